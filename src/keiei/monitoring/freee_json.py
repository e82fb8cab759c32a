"""freee会計 API の試算表（`trial_bs` / `trial_pl`）を保存した JSON ファイル.

Per the vendor's published schema (../shared/docs/monitoring-facts.md, confirmed): each
`balances[]` row has `account_item_name`, `account_category_name`, `account_group_name`,
`total_line`, `opening_balance`, `debit_amount`, `credit_amount`, `closing_balance`; credit-
natured accounts come back positive. One call covers a span of months (no monthly series), so
the figures are stated for the span `start_date`..`end_date`. A file may hold `trial_bs`,
`trial_pl` or both (an object with both keys, or a list of responses). Category and total rows
(`total_line: true`, or no account name) are not accounts and are skipped.
"""

from __future__ import annotations

import json
from typing import Any

from keiei import limits
from keiei.errors import Finding, KeieiInputError, Severity
from keiei.monitoring.books import Books, Stated, account_key, parse_day
from keiei.monitoring.source import BookFile, decode_error

KEYS = ("trial_bs", "trial_pl")


def looks_like(data: Any) -> bool:
    items = data if isinstance(data, list) else [data]
    return any(isinstance(item, dict) and any(key in item for key in KEYS) for item in items)


def load(book: BookFile) -> Any:
    """The file's JSON within keiei.limits (size, depth, items) — an error naming the line otherwise."""
    if book.size > limits.MAX_BYTES:
        raise limits.too_large("FILE", book.size)
    raw = book.path.read_bytes()
    try:
        text = raw.decode(book.encoding)
    except UnicodeDecodeError as exc:
        raise decode_error(book, raw[: exc.start].count(b"\n") + 1, exc) from None
    try:
        return limits.loads_json(text, whole="FILE")
    except json.JSONDecodeError as exc:
        raise KeieiInputError(
            f"FILE: {exc.lineno} 行目 {exc.colno} 文字目",
            f"JSON として読めません（{exc.msg}）",
            f"invalid JSON: {exc}",
        ) from None


def read(book: BookFile, data: Any | None = None) -> Books:
    data = load(book) if data is None else data
    out = Books(
        format="freee-json",
        kind="trial_balance",
        encoding=book.encoding,
        sha256=book.sha256,
        file_name=book.path.name,
        size=book.size,
    )
    items = data if isinstance(data, list) else [data]
    found = False
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        for key in KEYS:
            body = item.get(key)
            if body is None:
                continue
            found = True
            where = f"[{index}].{key}" if isinstance(data, list) else key
            _read_one(out, body, where)
    if not found:
        raise KeieiInputError(
            "FILE", "freee の試算表（trial_bs・trial_pl）の JSON ではありません", "no trial_bs/trial_pl"
        )
    out.finish()
    return out


def _month(body: dict[str, Any], name: str, where: str) -> str:
    text = body.get(name)
    day = parse_day(str(text)) if isinstance(text, str) else "日付がありません"
    if isinstance(day, str):
        raise KeieiInputError(f"FILE: {where}.{name}", day, f"bad {name}: {text!r}")
    return f"{day.year:04d}-{day.month:02d}"


def _read_one(out: Books, body: Any, where: str) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("balances"), list):
        raise KeieiInputError(f"FILE: {where}", "balances（残高の一覧）がありません", "no balances list")
    first, last = _month(body, "start_date", where), _month(body, "end_date", where)
    if body.get("company_id") is not None:
        out.company_id = str(body["company_id"])
    if body.get("fiscal_year") is not None:
        out.fiscal_year = str(body["fiscal_year"])
    if body.get("up_to_date") is False:
        out.findings.append(
            Finding(
                "books.freee_not_up_to_date",
                Severity.WARNING,
                f"{where}: freee がまだ集計中の数字です（up_to_date: false）。集計が終わってから取り直してください",
                where,
            )
        )
    for number, row in enumerate(body["balances"]):
        at = f"{where}.balances[{number}]"
        out.rows_read += 1
        if not isinstance(row, dict):
            out.reject(number + 1, at, "残高の行がオブジェクトではありません")
            continue
        name = row.get("account_item_name")
        if row.get("total_line") or not isinstance(name, str) or not name.strip():
            continue  # a category or total line, not an account
        figures: dict[str, int | None] = {}
        bad = False
        for field in ("opening_balance", "debit_amount", "credit_amount", "closing_balance"):
            value = row.get(field)
            if value is None:
                figures[field] = None
            elif isinstance(value, int) and not isinstance(value, bool):
                figures[field] = value
            else:
                out.reject(number + 1, f"{at}.{field}", f"金額が整数ではありません（{value!r}）")
                bad = True
        if bad:
            continue
        account = account_key(name)
        group = row.get("account_category_name") or row.get("account_group_name")
        if isinstance(group, str) and group.strip():
            out.groups.setdefault(account, group.strip())
        key = (first, last, account)
        if key in out.stated:
            out.reject(number + 1, at, f"勘定科目「{name}」が同じ期間に2回あります")
            continue
        out.stated[key] = Stated(
            figures["opening_balance"], figures["debit_amount"], figures["credit_amount"], figures["closing_balance"]
        )
        out.rows_used += 1
