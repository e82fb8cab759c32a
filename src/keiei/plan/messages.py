"""jsonschema errors as Japanese sentences naming the field path.

Why not jsonschema's own messages: users read Japanese, and its English text quotes Python
reprs ("Decimal('0.3') is not of type 'integer'"). Each validator keyword maps to one sentence;
a schema may carry `x-message-ja` to explain a composite rule (oneOf, patterns) in plain words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from jsonschema.exceptions import ValidationError

#: Validators whose schema-level `x-message-ja` replaces the generic sentence.
_COMPOSITE = frozenset({"oneOf", "anyOf", "not", "pattern", "minProperties", "maxProperties", "const"})

_TYPE_NAMES = {
    "integer": "整数",
    "number": "数値",
    "string": "文字列",
    "array": "一覧（リスト）",
    "object": "項目の対応表（mapping）",
    "boolean": "true または false",
    "null": "null",
}


def format_path(parts: Iterable[str | int]) -> str:
    """`banks[1].loans[0].balance` from ('banks', 1, 'loans', 0, 'balance')."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(ファイル全体)"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, int) and abs(value) >= 10_000:
        return f"{value:,}"
    return str(value)


def _kind(schema: Any) -> str:
    """'整数' or '数値' for range messages, from the schema's declared type."""
    if isinstance(schema, dict) and schema.get("type") == "integer":
        return "整数"
    return "数値"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "対応表"
    if isinstance(value, list):
        return "一覧"
    return str(value)


def _type_message(error: ValidationError) -> str:
    expected: Any = error.validator_value
    names = [expected] if isinstance(expected, str) else list(expected)
    label = "または".join(_TYPE_NAMES.get(n, n) for n in names)
    hint = ""
    if "integer" in names and isinstance(error.instance, str) and "," in error.instance:
        hint = "（桁区切りのカンマは使えません。52_000_000 のように書けます）"
    elif "integer" in names and isinstance(error.instance, Decimal):
        hint = "（円単位の整数で書いてください）"
    elif names == ["string"] and isinstance(error.instance, int | Decimal):
        hint = '（数字だけの値は "..." で囲んでください）'
    return f"{label}を指定してください{hint}（指定値: {_show(error.instance)}）"


def _branch_errors(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf: the errors of branches whose type matches the value, deepest first.

    A value that is a list is judged against the list branch, not against "must be a number".
    """
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context or ():
        key = sub.relative_schema_path[0] if sub.relative_schema_path else None
        branches.setdefault(key, []).append(sub)
    matching = [
        errs for errs in branches.values() if not any(e.validator == "type" and len(e.relative_path) == 0 for e in errs)
    ]
    if len(matching) != 1:
        return []
    return sorted(matching[0], key=lambda e: -len(e.relative_path))


def translate(error: ValidationError) -> tuple[list[str | int], str]:
    """The field path and the Japanese sentence for one jsonschema error."""
    path: list[str | int] = list(error.absolute_path)
    validator = str(error.validator)
    schema = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.validator_value

    if validator in {"anyOf", "oneOf"}:
        inner = _branch_errors(error)
        if inner:
            return translate(inner[0])
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        # a label used as a key (cash-table accounts, segments): the path names the key
        path = [*path, error.instance]
        if validator == "maxLength":
            return path, f"科目名・項目名は {value} 文字以内にしてください"
        if validator == "minLength":
            return path, "科目名・項目名を空にはできません"
    if validator in _COMPOSITE and "x-message-ja" in schema:
        return path, str(schema["x-message-ja"])

    if validator == "required":
        missing = _missing_key(error)
        return [*path, missing], "必須の項目です。値を指定してください"
    if validator == "additionalProperties":
        extras = _extra_keys(error)
        allowed = sorted((schema.get("properties") or {}).keys())
        key = extras[0] if extras else "?"
        guess = difflib.get_close_matches(key, allowed, n=1)
        hint = (
            f"（もしかして '{guess[0]}'？）" if guess else (f"（使える項目: {', '.join(allowed)}）" if allowed else "")
        )
        return [*path, key], f"不明な項目です{hint}"
    if validator == "type":
        return path, _type_message(error)
    if validator == "enum":
        choices = ", ".join(_show(v) for v in value)
        return path, f"次のいずれかを指定してください: {choices}（指定値: {_show(error.instance)}）"
    if validator == "const":
        return path, f"{_show(value)} を指定してください"
    if validator == "minimum":
        return path, f"{_number(value)} 以上の{_kind(schema)}を指定してください"
    if validator == "maximum":
        return path, f"{_number(value)} 以下の{_kind(schema)}を指定してください"
    if validator == "exclusiveMinimum":
        return path, f"{_number(value)} より大きい{_kind(schema)}を指定してください"
    if validator == "exclusiveMaximum":
        return path, f"{_number(value)} より小さい{_kind(schema)}を指定してください"
    if validator == "minItems":
        return path, "空にできません。1 件以上指定してください" if value == 1 else f"{value} 件以上指定してください"
    if validator == "maxItems":
        return path, f"{value} 件以内にしてください"
    if validator == "minLength":
        return path, "空の文字列にはできません"
    if validator == "maxLength":
        return path, f"{value} 文字以内にしてください"
    if validator == "pattern":
        return path, f"形式が正しくありません（指定値: {_show(error.instance)}）"
    if validator == "minProperties":
        return path, f"{value} 個以上の項目を指定してください"
    if validator == "maxProperties":
        return path, f"{value} 個以内の項目にしてください"
    if validator == "uniqueItems":
        return path, "同じ値が重複しています"
    if validator in {"oneOf", "anyOf"}:
        return path, "指定できる形のどれにも当てはまりません"
    if validator == "not":
        return path, "この組み合わせは指定できません"
    return path, f"値が正しくありません（{validator}）"


_REQUIRED_MESSAGE = re.compile(r"^'(?P<key>[^']+)' is a required property")


def _missing_key(error: ValidationError) -> str:
    """The key this error is about: jsonschema raises one `required` error per missing key."""
    match = _REQUIRED_MESSAGE.match(error.message)
    if match:
        return match.group("key")
    instance = error.instance if isinstance(error.instance, dict) else {}
    required: Any = error.validator_value
    for key in required:
        if key not in instance:
            return str(key)
    return "?"


def _extra_keys(error: ValidationError) -> list[str]:
    instance = error.instance if isinstance(error.instance, dict) else {}
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = set((schema.get("properties") or {}).keys())
    return sorted(str(k) for k in instance if k not in known)


def is_unknown_key_message(message: str) -> bool:
    """Unknown-key errors explain a typo best, so they come first among errors on one line."""
    return message.startswith("不明な項目です")


def sort_key(path: Sequence[str | int]) -> tuple[tuple[int, str], ...]:
    """Document-ish order for paths (list indexes numerically) when no line is known."""
    return tuple((0, f"{p:08d}") if isinstance(p, int) else (1, p) for p in path)
