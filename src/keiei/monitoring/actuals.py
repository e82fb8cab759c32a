"""The actual figures: per month (or span of months), per plan line, integer yen — the contract
`keiei monitor check` reads (docs/monitoring.md), stored as `actuals.yaml`.

Decisions (why):
- **Plan line keys, not accounts**: the plan is what is compared; the per-account totals and
  where each went are kept beside (`accounts`) so a reader can retrace every line.
- **Profit and loss as flows** of each period; **balance sheet as movements** (`bs_change`)
  always, and as month-end **balances** (`bs`) only when the file states them (a trial
  balance). A journal has no opening balances, so it never claims balances: the next step
  adds the movements to the plan's opening balance sheet (the last actual year), where it
  knows the two are the same books.
- **`net_assets` in `bs`** includes the fiscal year's profit to date (the books' equity
  accounts do not until the year is closed), so assets = liabilities + net assets holds.
- **Findings are stored** with the figures: a report must say which rows were left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keiei.errors import Finding, KeieiInputError, Severity
from keiei.monitoring import lines
from keiei.monitoring.books import Books
from keiei.monitoring.mapping import CLEARING_ACCOUNTS, Mapping
from keiei.monitoring.yamlio import dump_yaml, load_yaml

VERSION = 1


@dataclass(frozen=True)
class Source:
    """Where the figures came from (the web detects the same file imported twice by `sha256`)."""

    format: str
    file: str
    sha256: str
    encoding: str
    size: int
    rows_read: int
    rows_used: int
    rows_rejected: int


@dataclass(frozen=True)
class PeriodFigures:
    """One month (`first == month`) or one span of months a trial balance covers."""

    month: str
    first: str
    pl: dict[str, int]
    bs_change: dict[str, int]
    #: Month-end balances, only when the file states them (see the module doc).
    bs: dict[str, int] | None = None
    closing_rows: int = 0

    @property
    def net_income(self) -> int:
        """当期純利益 of the period, from the primary lines (memo lines are inside others)."""
        return _net_income(self.pl)


@dataclass(frozen=True)
class AccountLine:
    """One account of the file: where it went and its totals over the file."""

    account: str
    line: str | None
    source: str
    debit: int
    credit: int
    #: The figure as mapped (the line's sign), or for an unmapped account debit − credit
    #: (journals) or the stated closing figure (trial balances).
    amount: int
    memos: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True)
class Actuals:
    """Actual figures of one imported file, mapped onto the plan's lines."""

    source: Source
    periods: tuple[PeriodFigures, ...]
    accounts: tuple[AccountLine, ...]
    findings: tuple[Finding, ...] = ()
    company: str | None = None
    company_id: str | None = None
    fiscal_year: str | None = None
    plan_company: str | None = None
    fiscal_year_end_month: int | None = None
    version: int = VERSION

    @property
    def unmapped(self) -> tuple[AccountLine, ...]:
        return tuple(a for a in self.accounts if a.line is None and a.source != "clearing")

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": dict(vars_of(self.source)),
            "company": self.company,
            "company_id": self.company_id,
            "fiscal_year": self.fiscal_year,
            "plan_company": self.plan_company,
            "fiscal_year_end_month": self.fiscal_year_end_month,
            "periods": [
                {
                    "month": p.month,
                    **({"first": p.first} if p.first != p.month else {}),
                    "pl": dict(p.pl),
                    "bs_change": dict(p.bs_change),
                    **({"bs": dict(p.bs)} if p.bs is not None else {}),
                    **({"closing_rows": p.closing_rows} if p.closing_rows else {}),
                }
                for p in self.periods
            ],
            "accounts": [
                {
                    "account": a.account,
                    "line": a.line,
                    "source": a.source,
                    "debit": a.debit,
                    "credit": a.credit,
                    "amount": a.amount,
                    **({"memos": list(a.memos)} if a.memos else {}),
                    **({"group": a.group} if a.group else {}),
                }
                for a in self.accounts
            ],
            "findings": [f.as_dict() for f in self.findings],
        }


def vars_of(source: Source) -> dict[str, Any]:
    return {name: getattr(source, name) for name in Source.__dataclass_fields__}


def _net_income(pl: dict[str, int]) -> int:
    get = pl.get
    return (
        get("sales", 0)
        - get("cost_of_sales", 0)
        - get("sga", 0)
        + get("non_operating_income", 0)
        - get("non_operating_expenses", 0)
        + get("extraordinary_income", 0)
        - get("extraordinary_loss", 0)
        - get("income_taxes", 0)
    )


def _fiscal_start(month: str, fy_end: int | None) -> str | None:
    """The first month of the fiscal year `month` is in, when the year-end month is known."""
    if fy_end is None:
        return None
    year, mon = (int(part) for part in month.split("-"))
    start = fy_end % 12 + 1
    start_year = year if mon >= start else year - 1
    return f"{start_year:04d}-{start:02d}"


def build_actuals(
    books: Books,
    mapping: Mapping,
    *,
    fiscal_year_end_month: int | None = None,
    plan_company: str | None = None,
    plan_months: tuple[str, str] | None = None,
) -> Actuals:
    """Map a file's per-account figures onto plan lines, reconcile them, and say what is off."""
    findings = list(books.findings)
    per: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    stated_bs: dict[tuple[str, str], dict[str, int]] = {}
    totals: dict[str, list[int]] = {}  # account → [debit, credit, amount]
    where_to: dict[str, tuple[str | None, tuple[str, ...], str]] = {}
    file_debit = file_credit = mapped_debit = mapped_credit = 0
    clearing: dict[str, int] = {}

    def resolve(account: str) -> tuple[str | None, tuple[str, ...], str]:
        found = where_to.get(account)
        if found is None:
            if account in CLEARING_ACCOUNTS and account not in mapping.accounts:
                found = (None, (), "clearing")
            else:
                r = mapping.resolve(account, books.groups.get(account))
                found = (r.line, r.memos, r.source)
            where_to[account] = found
        return found

    def bucket(first: str, last: str) -> dict[str, dict[str, int]]:
        return per.setdefault((first, last), {"pl": {}, "bs_change": {}})

    def add(target: dict[str, int], key: str, value: int) -> None:
        target[key] = target.get(key, 0) + value

    # ---- journals: debits and credits per month and account
    for (month, account), (debit, credit) in books.moves.items():
        file_debit += debit
        file_credit += credit
        line, memos, source = resolve(account)
        total = totals.setdefault(account, [0, 0, 0])
        total[0] += debit
        total[1] += credit
        if source == "clearing":
            clearing[month] = clearing.get(month, 0) + debit - credit
            total[2] += debit - credit
            continue
        if line is None:
            total[2] += debit - credit
            continue
        mapped_debit += debit
        mapped_credit += credit
        figures = bucket(month, month)
        part = figures["pl"] if lines.is_pl(line) else figures["bs_change"]
        value = lines.signed(line, debit, credit)
        add(part, line, value)
        total[2] += value
        for memo in memos:
            add(figures["pl"], memo, lines.signed(memo, debit, credit))

    # ---- trial balances: stated figures per span and account
    previous: dict[str, int] = {}
    for (first, last, account), st in sorted(books.stated.items()):
        line, memos, source = resolve(account)
        debit, credit = st.debit or 0, st.credit or 0
        file_debit += debit
        file_credit += credit
        total = totals.setdefault(account, [0, 0, 0])
        total[0] += debit
        total[1] += credit
        if line is None:
            total[2] += st.closing if st.closing is not None else debit - credit
            continue
        mapped_debit += debit
        mapped_credit += credit
        figures = bucket(first, last)
        if lines.is_pl(line):
            if st.debit is not None and st.credit is not None:
                value = lines.signed(line, debit, credit)
            else:
                value = st.closing or 0
            add(figures["pl"], line, value)
            total[2] += value
            for memo in memos:
                add(figures["pl"], memo, value)
            continue
        balance = st.closing
        if st.debit is not None and st.credit is not None:
            change: int | None = lines.signed(line, debit, credit)
        elif balance is not None and st.opening is not None:
            change = balance - st.opening
        elif balance is not None and account in previous:
            change = balance - previous[account]
        else:
            change = None
        if balance is not None:
            previous[account] = balance
            add(stated_bs.setdefault((first, last), {}), line, balance)
            total[2] = balance
        if change is not None:
            add(figures["bs_change"], line, change)

    # ---- periods, year-to-date profit into net assets, the balance check
    has_unmapped = any(line is None for line, _, _ in where_to.values()) or any(clearing.values())
    periods: list[PeriodFigures] = []
    ytd: dict[str, int] = {}
    for first, last in sorted(per.keys() | stated_bs.keys(), key=lambda k: (k[1], k[0])):
        figures = per.get((first, last), {"pl": {}, "bs_change": {}})
        pl = {key: figures["pl"][key] for key in lines.PL_KEYS if key in figures["pl"]}
        moves = {key: figures["bs_change"][key] for key in lines.BS_KEYS if key in figures["bs_change"]}
        # Year to date: single months add up within their fiscal year; a span (a trial balance)
        # is taken to start at the fiscal year's start, as 試算表 are printed.
        year_key = _fiscal_start(first, fiscal_year_end_month) or "file"
        if first == last:
            ytd[year_key] = ytd.get(year_key, 0) + _net_income(pl)
            to_date = ytd[year_key]
        else:
            to_date = _net_income(pl)
        balances = stated_bs.get((first, last))
        bs: dict[str, int] | None = None
        if balances is not None:
            bs = {key: balances.get(key, 0) for key in lines.BS_KEYS}
            bs["net_assets"] += to_date
            assets = sum(bs[key] for key in lines.ASSET_KEYS)
            liabilities = sum(bs[key] for key in lines.LIABILITY_KEYS)
            if assets != liabilities + bs["net_assets"]:
                findings.append(
                    Finding(
                        "actuals.bs_unbalanced",
                        Severity.ERROR,
                        f"{last}: 資産 {assets:,} 円 ≠ 負債 {liabilities:,} 円 + 純資産 {bs['net_assets']:,} 円"
                        f"（差額 {assets - liabilities - bs['net_assets']:,} 円。純資産には年度累計の当期純利益"
                        f" {to_date:,} 円を含む）",
                        last,
                        passed=False,
                        details={"assets": assets, "liabilities": liabilities, "net_assets": bs["net_assets"]},
                    )
                )
        elif moves:
            # A journal: the movements obey the same identity, when every account is mapped.
            moved = sum(moves.get(k, 0) for k in lines.ASSET_KEYS) - sum(moves.get(k, 0) for k in lines.LIABILITY_KEYS)
            moved -= moves.get("net_assets", 0)
            if moved != _net_income(pl) and not has_unmapped:
                findings.append(
                    Finding(
                        "actuals.flows_unbalanced",
                        Severity.WARNING,
                        f"{last}: 資産の増減 − 負債の増減 − 純資産の増減 = {moved:,} 円が当期純利益 {_net_income(pl):,} 円と"
                        "一致しません（対応のない勘定科目・諸口の残りがあるためです）",
                        last,
                        passed=False,
                        details={"bs_movement": moved, "net_income": _net_income(pl)},
                    )
                )
        periods.append(PeriodFigures(last, first, pl, moves, bs, books.closing_rows.get(last, 0)))

    # ---- reconciliation, clearing accounts, unmapped accounts, months outside the plan
    unmapped_debit = file_debit - mapped_debit
    unmapped_credit = file_credit - mapped_credit
    if books.kind == "journal" and file_debit != file_credit:
        findings.append(
            Finding(
                "actuals.not_reconciled",
                Severity.ERROR,
                f"借方合計 {file_debit:,} 円と貸方合計 {file_credit:,} 円が一致しません",
                passed=False,
            )
        )
    for month, rest in sorted(clearing.items()):
        if rest:
            findings.append(
                Finding(
                    "actuals.clearing_not_zero",
                    Severity.ERROR,
                    f"{month}: 諸口の残高が {rest:,} 円残っています（0 円になるはずです）",
                    month,
                    passed=False,
                )
            )
    accounts: list[AccountLine] = []
    order = {key: index for index, key in enumerate(lines.ALL_KEYS)}
    for account in sorted(totals, key=lambda a: (order.get(where_to[a][0] or "", len(order)), a)):
        debit, credit, amount = totals[account]
        line, memos, source = where_to[account]
        accounts.append(AccountLine(account, line, source, debit, credit, amount, memos, books.groups.get(account)))
        if line is None and source != "clearing":
            findings.append(
                Finding(
                    "actuals.unmapped",
                    Severity.WARNING,
                    f"勘定科目「{account}」は計画のどの行にも対応していません（金額 {amount:,} 円。"
                    "対応表の accounts: に 勘定科目: 行 を書いてください）",
                    account,
                    passed=False,
                    details={"debit": debit, "credit": credit, "amount": amount},
                )
            )
    findings.append(
        Finding(
            "actuals.reconciled",
            Severity.INFO,
            f"ファイルの借方 {file_debit:,} 円・貸方 {file_credit:,} 円 = 対応した科目 {mapped_debit:,}・{mapped_credit:,} 円"
            f" + 対応のない科目 {unmapped_debit:,}・{unmapped_credit:,} 円",
            passed=True,
            details={
                "file_debit": file_debit,
                "file_credit": file_credit,
                "mapped_debit": mapped_debit,
                "mapped_credit": mapped_credit,
                "unmapped_debit": unmapped_debit,
                "unmapped_credit": unmapped_credit,
            },
        )
    )
    if plan_months is not None:
        outside = [p.month for p in periods if not plan_months[0] <= p.month <= plan_months[1]]
        if outside:
            findings.append(
                Finding(
                    "actuals.outside_plan",
                    Severity.WARNING,
                    f"計画期間（{plan_months[0]}〜{plan_months[1]}）の外の月があります: {', '.join(outside[:12])}",
                    passed=False,
                    details={"months": outside},
                )
            )
    origin = Source(
        books.format,
        books.file_name,
        books.sha256,
        books.encoding,
        books.size,
        books.rows_read,
        books.rows_used,
        books.rows_rejected,
    )
    return Actuals(
        origin,
        tuple(periods),
        tuple(accounts),
        tuple(findings),
        company=books.company,
        company_id=books.company_id,
        fiscal_year=books.fiscal_year,
        plan_company=plan_company,
        fiscal_year_end_month=fiscal_year_end_month,
    )


# ---- actuals.yaml -----------------------------------------------------------------------------


def write_actuals(actuals: Actuals, path: str | Path) -> None:
    Path(path).write_text(
        "# keiei の実績（会計データから取り込んだ月ごとの数字）。形式は docs/monitoring.md\n"
        + dump_yaml(actuals.as_dict()),
        encoding="utf-8",
    )


def _yen_map(data: Any, where: str, keys: tuple[str, ...]) -> dict[str, int]:
    if not isinstance(data, dict):
        raise KeieiInputError(where, "行: 金額 の対応にしてください", "not a mapping")
    out: dict[str, int] = {}
    for key, value in data.items():
        if key not in keys:
            raise KeieiInputError(f"{where}.{key}", f"計画の行 {key!r} はありません", f"unknown line {key!r}")
        if not isinstance(value, int) or isinstance(value, bool):
            raise KeieiInputError(f"{where}.{key}", f"金額は整数（円）にしてください（{value!r}）", "not an integer")
        out[str(key)] = value
    return out


def _text(data: dict[str, Any], key: str, where: str, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise KeieiInputError(f"{where}.{key}", "文字列にしてください", "not a string")
    return str(value)


def actuals_from_dict(data: Any, where: str = "actuals") -> Actuals:
    """The typed actuals from data read from `actuals.yaml` (every field checked)."""
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise KeieiInputError(f"{where}.version", f"実績ファイルの version は {VERSION} です", "bad version")
    src = data.get("source")
    if not isinstance(src, dict):
        raise KeieiInputError(f"{where}.source", "source がありません", "source missing")
    try:
        source = Source(
            str(src["format"]),
            str(src["file"]),
            str(src["sha256"]),
            str(src["encoding"]),
            int(src["size"]),
            int(src["rows_read"]),
            int(src["rows_used"]),
            int(src["rows_rejected"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KeieiInputError(f"{where}.source", f"source の項目が足りません（{exc}）", f"bad source: {exc}") from None
    periods: list[PeriodFigures] = []
    raw_periods = data.get("periods")
    if not isinstance(raw_periods, list):
        raise KeieiInputError(f"{where}.periods", "periods（月ごとの数字）がありません", "periods missing")
    for index, item in enumerate(raw_periods):
        at = f"{where}.periods[{index}]"
        if not isinstance(item, dict):
            raise KeieiInputError(at, "月ごとの数字は 項目: 値 の形にしてください", "not a mapping")
        month = _text(item, "month", at, required=True)
        assert month is not None
        bs = _yen_map(item["bs"], f"{at}.bs", lines.BS_KEYS) if item.get("bs") is not None else None
        periods.append(
            PeriodFigures(
                month,
                _text(item, "first", at) or month,
                _yen_map(item.get("pl") or {}, f"{at}.pl", lines.PL_KEYS),
                _yen_map(item.get("bs_change") or {}, f"{at}.bs_change", lines.BS_KEYS),
                bs,
                int(item.get("closing_rows") or 0),
            )
        )
    accounts: list[AccountLine] = []
    for index, item in enumerate(data.get("accounts") or []):
        at = f"{where}.accounts[{index}]"
        if not isinstance(item, dict):
            raise KeieiInputError(at, "勘定科目は 項目: 値 の形にしてください", "not a mapping")
        line = item.get("line")
        if line is not None and line not in lines.ALL_KEYS:
            raise KeieiInputError(f"{at}.line", f"計画の行 {line!r} はありません", "unknown line")
        accounts.append(
            AccountLine(
                str(item.get("account")),
                line,
                str(item.get("source", "")),
                int(item.get("debit", 0)),
                int(item.get("credit", 0)),
                int(item.get("amount", 0)),
                tuple(item.get("memos") or ()),
                item.get("group"),
            )
        )
    findings = tuple(
        Finding(
            str(f.get("code")),
            Severity(str(f.get("severity"))),
            str(f.get("message")),
            str(f.get("where", "")),
            f.get("passed"),
            dict(f.get("details") or {}),
        )
        for f in data.get("findings") or []
        if isinstance(f, dict)
    )
    fy = data.get("fiscal_year_end_month")
    return Actuals(
        source,
        tuple(periods),
        tuple(accounts),
        findings,
        company=_text(data, "company", where),
        company_id=_text(data, "company_id", where),
        fiscal_year=_text(data, "fiscal_year", where),
        plan_company=_text(data, "plan_company", where),
        fiscal_year_end_month=fy if isinstance(fy, int) else None,
    )


def load_actuals(path: str | Path, field_name: str = "ACTUALS") -> Actuals:
    """Read `actuals.yaml` within keiei.limits."""
    return actuals_from_dict(load_yaml(path, field_name), str(path))
