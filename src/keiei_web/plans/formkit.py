"""The small form layer of the plan editor: inputs that know their place in the plan file.

Why not Django forms and formsets: the plan file nests rows in rows (banks → loans, actions →
effects), spreads one value over the plan years (a series is one number or one per year), and
must keep whatever was typed even when it is not valid yet. So every input here carries two
names: `name`, what the browser posts, and `path`, where the value lives in the plan file
(`banks[1].loans[0].balance`). The schema's problems come back with such paths, so attaching a
Japanese message to the right input is a longest-prefix match (`attach`). Values are converted
leniently (`52,000,000`, `△1,200`, `３％`, `2025/3` are understood) and anything that still is
not a number is stored as the text typed: the schema then names it, and nothing is lost.
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from keiei import limits
from keiei_web.plans import exactjson

# --------------------------------------------------------------------------- nodes


@dataclass
class Node:
    """Something a problem can attach to: an input, a row, a section or a grid line."""

    path: str
    label: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: str = ""  # what the row is, for messages in the panel ("大阪中央銀行 の借入 1")

    @property
    def described(self) -> str:
        return f"{self.context} {self.label}".strip() if self.context else self.label


@dataclass
class Input(Node):
    """One input: its POST name, how its value converts, and what to show."""

    name: str = ""
    kind: str = "text"  # text, textarea, lines, yen, int, number, period, date, select, bool3, yen_list
    value: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    placeholder: str = ""
    required: bool = False
    disabled: bool = False
    datalist: str = ""  # id of a <datalist> with suggestions
    width: str = ""  # css class: s, m, l, num
    widget: str = ""  # input, textarea, select (from kind when empty)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]+", "-", self.name).strip("-")

    @property
    def numeric(self) -> bool:
        return self.kind in {"yen", "int", "number", "yen_list"}

    @property
    def inputmode(self) -> str:
        return {"yen": "numeric", "int": "numeric", "number": "decimal"}.get(self.kind, "")

    @property
    def html(self) -> SafeHtml:
        """The input and its messages, as markup (`{{ f.html }}` in the editor's templates).

        Built here rather than by including a template per input: the cash step has several
        hundred inputs, and a Django `{% include %}` for each made template rendering most of
        the page's time (about 150 ms of 160 ms). Every value is escaped.
        """
        return SafeHtml(input_html(self))


class SafeHtml(str):
    """Markup that template engines (Django, Jinja2) insert without escaping again."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def _e(value: object) -> str:
    return _html.escape(str(value), quote=True)


def input_html(f: Input) -> str:
    """One editor input with its error and warning messages under it (see `Input.html`)."""
    cls = "fld" + (" has-error" if f.errors else " has-warning" if f.warnings else "")
    if f.width:
        cls += f" w-{_e(f.width)}"
    flags = (" disabled" if f.disabled else "") + (' aria-invalid="true"' if f.errors else "")
    if f.widget == "select":
        options = "".join(
            f'<option value="{_e(value)}"{" selected" if value == f.value else ""}>{_e(label)}</option>'
            for value, label in f.choices
        )
        control = (
            f'<select id="{_e(f.id)}" name="{_e(f.name)}" aria-label="{_e(f.described)}"{flags}>{options}</select>'
        )
    elif f.widget == "textarea":
        rows = "4" if f.kind == "lines" else "3"
        control = (
            f'<textarea id="{_e(f.id)}" name="{_e(f.name)}" rows="{rows}" aria-label="{_e(f.described)}"{flags}>'
            f"{_e(f.value)}</textarea>"
        )
    else:
        value = f.value if isinstance(f.value, str) else str(f.value)
        attrs = f' value="{_e(value)}" aria-label="{_e(f.described)}"'
        if f.numeric:
            attrs += ' class="num"'
        if f.inputmode:
            attrs += f' inputmode="{_e(f.inputmode)}"'
        if f.placeholder:
            attrs += f' placeholder="{_e(f.placeholder)}"'
        if f.datalist:
            attrs += f' list="{_e(f.datalist)}"'
        if isinstance(f.value, str) and len(f.value) > 14:
            attrs += f' title="{_e(f.value)}"'
        control = f'<input type="text" id="{_e(f.id)}" name="{_e(f.name)}"{attrs}{flags} autocomplete="off">'
    messages = "".join(f'<span class="error">{_e(e)}</span>' for e in f.errors)
    messages += "".join(f'<span class="warning">{_e(w)}</span>' for w in f.warnings)
    return f'<span class="{cls}">{control}{messages}</span>'


def is_within(path: str, prefix: str) -> bool:
    """`banks[1].loans[0].rate` is within `banks[1]` and `banks[1].loans` (component-wise)."""
    if not prefix:
        return True
    return path == prefix or (path.startswith(prefix) and path[len(prefix)] in ".[")


def attach(
    nodes: Iterable[Node], problems: Iterable[tuple[str, str]], *, warning: bool = False
) -> list[tuple[str, str]]:
    """Attach each (path, message) to the node with the longest path containing it.

    Returns the problems no node took (shown above the form). A problem is attached once;
    identical messages on one node are shown once.
    """
    candidates = [n for n in nodes if n.path]
    left: list[tuple[str, str]] = []
    for path, message in problems:
        best: Node | None = None
        for node in candidates:
            if is_within(path, node.path) and (best is None or len(node.path) > len(best.path)):
                best = node
        if best is None:
            left.append((path, message))
            continue
        bucket = best.warnings if warning else best.errors
        if message not in bucket:
            bucket.append(message)
    return left


# --------------------------------------------------------------------------- values in


_FULLWIDTH_MINUS = str.maketrans({"−": "-", "‐": "-", "ー": "-", "―": "-", "△": "-", "▲": "-"})
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PERIOD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR = re.compile(r"^(\d{4})\s*年?$")


def normalise(text: Any) -> str:
    """NFKC (全角 → 半角) and trimmed; None → ''."""
    if text is None:
        return ""
    return unicodedata.normalize("NFKC", str(text)).strip()


def _number_text(text: str) -> str:
    t = normalise(text).translate(_FULLWIDTH_MINUS)
    t = t.replace(",", "").replace("_", "").replace(" ", "").replace("円", "")
    if t.startswith("+"):
        t = t[1:]
    return t


def parse_int(text: str) -> Any:
    """`52,000,000` / `△1,200` / `５２` → int; '' → None; anything else: a number or the text."""
    raw = normalise(text)
    if not raw:
        return None
    t = _number_text(raw)
    if _INT.match(t) and _digits_ok(t):
        return int(t)
    if _DEC.match(t):
        return _decimal_number(t, raw)  # the schema says "integer" and keeps the value on screen
    return raw


def _digits_ok(text: str) -> bool:
    """Few enough digits to be a number keiei stores (keiei.limits.MAX_NUMBER_DIGITS); longer
    ones are kept as typed (Python refuses integers of more than 4,300 digits outright)."""
    return len(text.lstrip("+-")) <= limits.MAX_NUMBER_DIGITS


def parse_number(text: str) -> Any:
    """`0.03`, `3%` (= 0.03), `-0.5`, `1` → int or float (a Decimal when no float holds the
    number exactly: `exactjson.exact`); '' → None; else the text as typed."""
    raw = normalise(text)
    if not raw:
        return None
    t = _number_text(raw)
    percent = t.endswith("%")
    if percent:
        t = t[:-1]
    if _INT.match(t) and not percent and _digits_ok(t):
        return int(t)
    if _INT.match(t) or _DEC.match(t):
        value = Decimal(t)
        if percent and value.is_finite() and abs(value.adjusted()) < limits.MAX_NUMBER_DIGITS:
            value = value / 100
            return _decimal_number(format(value.normalize(), "f"), raw)
        return _decimal_number(t, raw)
    return raw


def _decimal_number(text: str, raw: str) -> Any:
    """`text` as an int, or a float when that float is exactly the decimal typed, else a
    Decimal (so no digit typed is lost on the way to the core); `raw` (as typed) when it is no
    number keiei can store: infinite (1e999999) or beyond keiei.limits.MAX_NUMBER_DIGITS."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return raw
    if not value.is_finite() or (value and abs(value.adjusted()) >= limits.MAX_NUMBER_DIGITS):
        return raw
    if "." not in text and "e" not in text.lower():
        return int(value)
    return exactjson.exact(value)


def parse_period(text: str) -> Any:
    """`2025-03`, `2025/3`, `2025年3月` → '2025-03'; else the text as typed (the schema names it)."""
    raw = normalise(text)
    if not raw:
        return None
    m = _PERIOD.match(raw)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    return raw


def parse_date(text: str) -> Any:
    """`1978-04-01`, `1978/4/1`, `1978年4月1日`, `1978-04`, `1978` → ISO text; else as typed."""
    raw = normalise(text)
    if not raw:
        return None
    m = _DATE.match(raw)
    if m:
        return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = _PERIOD.match(raw)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{int(m.group(2)):02d}"
    m = _YEAR.match(raw)
    if m:
        return m.group(1)
    return raw


def parse_text(text: str) -> Any:
    value = str(text or "").strip()
    return value or None


def parse_textarea(text: str) -> Any:
    value = str(text or "").replace("\r\n", "\n").strip()
    return value or None


def parse_lines(text: str) -> Any:
    """One item per line (blank lines dropped); None when empty."""
    lines = [line.strip() for line in str(text or "").replace("\r\n", "\n").split("\n")]
    items = [line for line in lines if line]
    return items or None


def parse_bool3(text: str) -> Any:
    """'' → None (the file's default applies), 'true' / 'false' → bool."""
    return {"true": True, "false": False}.get(str(text or ""))


_LIST_SPLIT = re.compile(r"[/／、;；\s]+")


def parse_yen_list(text: str) -> Any:
    """`12,000,000 / 12,000,000 / 6,000,000` → a list; one value → that value (a series)."""
    raw = normalise(text)
    if not raw:
        return None
    parts = [p for p in _LIST_SPLIT.split(raw) if p]
    values = [parse_int(p) for p in parts]
    return values[0] if len(values) == 1 else values


PARSERS = {
    "text": parse_text,
    "textarea": parse_textarea,
    "lines": parse_lines,
    "yen": parse_int,
    "int": parse_int,
    "number": parse_number,
    "period": parse_period,
    "date": parse_date,
    "select": parse_text,
    "bool3": parse_bool3,
    "yen_list": parse_yen_list,
}


def parse(kind: str, text: str) -> Any:
    return PARSERS[kind](text)


# --------------------------------------------------------------------------- values out


def show(kind: str, value: Any) -> str:
    """A stored value as the text in its input (the inverse of `parse` for valid values)."""
    if value is None:
        return ""
    if kind == "lines":
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return str(value)
    if kind == "bool3":
        return "true" if value is True else "false" if value is False else str(value)
    if kind == "yen_list" and isinstance(value, list):
        return " / ".join(show("yen", v) for v in value)
    if kind in {"yen", "yen_list"}:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int):
            return f"{value:,}"
        return show_number(value)
    if kind in {"int", "number"}:
        return show_number(value)
    if isinstance(value, dict | list):
        return exactjson.dumps(value)
    return str(value)


def show_number(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | Decimal):
        return exactjson.number_text(value)
    return str(value)


# --------------------------------------------------------------------------- posted rows


_INDEX = re.compile(r"\[(\d+)\]")


def row_indexes(post: Mapping[str, Any], prefix: str) -> list[int]:
    """The row numbers posted under `prefix` (`banks` → 0, 1, 3 for banks[0]…, banks[3]…)."""
    found: set[int] = set()
    start = prefix + "["
    for key in post:
        if key.startswith(start):
            rest = key[len(start) :]
            end = rest.find("]")
            if end > 0 and rest[:end].isdigit():
                found.add(int(rest[:end]))
    return sorted(found)


def keep_of(post: Mapping[str, Any], row: str) -> dict[str, Any]:
    """The row's keys the form does not edit, round-tripped as JSON in `<row>._keep`.

    Raises keiei.limits.LimitError (named by the field) when the JSON passes the limits — the
    post is refused whole rather than saved without those keys; text that is not JSON is
    ignored as before (the server wrote the field; only a tampered post differs).
    """
    text = post.get(f"{row}._keep") or ""
    if not text:
        return {}
    try:
        value = limits.loads_json(str(text), parse_float=exactjson.exact_number, whole=f"{row}._keep")
    except limits.LimitError as exc:
        field = exc.field if exc.field.startswith(f"{row}._keep") else f"{row}._keep.{exc.field}"
        raise limits.LimitError(field, exc.message_ja, exc.message_en) from None
    except (ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def keep_json(data: Any, managed: Iterable[str]) -> str:
    """JSON of the keys of `data` outside `managed` ('' when none)."""
    if not isinstance(data, dict):
        return ""
    rest = {k: v for k, v in data.items() if k not in set(managed)}
    return exactjson.dumps(rest, sort_keys=True) if rest else ""


def deleted(post: Mapping[str, Any], row: str) -> bool:
    return bool(post.get(f"{row}._delete"))


def set_or_drop(target: dict[str, Any], key: str, value: Any) -> None:
    """Set `key` to `value`, or remove it when the value is empty (None, '', [], {})."""
    if value is None or value == "" or value == [] or value == {}:
        target.pop(key, None)
    else:
        target[key] = value
