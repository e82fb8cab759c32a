"""The plan lines actual figures are mapped onto, with the side each line normally sits on.

Why a list of its own: the plan's glossary (`keiei.plan.glossary`) names the lines and labels
them, but an import also needs each line's *nature* (a debit line grows with debits: assets and
expenses; a credit line with credits: liabilities, net assets and revenue) to turn a journal's
debits and credits into the plan's signed figures. The keys are the plan's own, so the next
step (plan against actual) compares like with like without a translation table.
"""

from __future__ import annotations

from typing import Final, Literal

from keiei.plan import glossary

Nature = Literal["debit", "credit"]

#: Profit-and-loss lines that receive actual flows, in the glossary's order. Subtotals
#: (gross profit, …) are not imported: the engine computes them from these.
PL_KEYS: Final[tuple[str, ...]] = tuple(line.key for line in glossary.PL_INPUT_LINES)
#: Balance-sheet lines, assets first, then liabilities, then net assets (the books' equity
#: accounts: 資本金, 繰越利益剰余金, …; the plan states net assets as a checked total).
BS_KEYS: Final[tuple[str, ...]] = (*(line.key for line in glossary.BS_LINES), "net_assets")
ALL_KEYS: Final[tuple[str, ...]] = PL_KEYS + BS_KEYS

#: Memo lines: included in another line (減価償却費 in 販管費, 支払利息 in 営業外費用); an account
#: mapped to one is also mapped to a primary line, and only primary lines count in totals.
MEMO_KEYS: Final[frozenset[str]] = frozenset({"depreciation", "interest_expense", "variable_costs"})

_CREDIT_LINES: Final[frozenset[str]] = frozenset(
    {
        "sales",
        "non_operating_income",
        "extraordinary_income",
        "payables",
        "interest_bearing_debt",
        "other_liabilities",
        "net_assets",
    }
)

ASSET_KEYS: Final[frozenset[str]] = frozenset(line.key for line in glossary.BS_ASSET_LINES)
LIABILITY_KEYS: Final[frozenset[str]] = frozenset(line.key for line in glossary.BS_LIABILITY_LINES)

_LABELS: Final[dict[str, str]] = {
    **glossary.statement_labels(glossary.PL_INPUT_LINES),
    **glossary.statement_labels(glossary.BS_LINES),
    **glossary.statement_labels(glossary.BS_TOTALS),
}


def nature(key: str) -> Nature:
    """The side a line grows on: credit for revenue, liabilities and net assets, else debit."""
    return "credit" if key in _CREDIT_LINES else "debit"


def is_pl(key: str) -> bool:
    return key in PL_KEYS


def label(key: str) -> str:
    """The line's Japanese statement label (the glossary's), the key itself if unknown."""
    return _LABELS.get(key, key)


def signed(key: str, debit: int, credit: int) -> int:
    """The line's figure for these debits and credits: debit − credit on a debit line, else the reverse."""
    return debit - credit if nature(key) == "debit" else credit - debit
