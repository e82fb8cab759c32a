"""How each indicator is printed: one rule per indicator, for every face.

Why one module: the same 債務償還年数 used to read 7.13 in the verdict, 7.1 in the target text
and 7.13 or 7.1 in the tables (two decimals below 10, one above, binary-float rounding), so a
reader comparing the criteria page with the tables saw two numbers for one figure. Now the
criteria, the CLI, the documents (PDF text, workbook values) and the web all call this module.

The rules (`RULES`):

* 債務償還年数 is rounded **up** (ROUND_CEILING) to 2 decimals, from the exact ratio: the figure
  is compared with a ceiling (10 years), and rounding up never shows a failing plan at or under
  it (10.0000002 shows 10.01, never 10.00). The JSON's 4-decimal figure cannot give that (it
  rounds half-up), so `plan check --json` publishes the shown figure beside it
  (`indicators.debt_repayment_years_shown`) and faces that read the JSON print that one.
* Ratios in percent (0.1 %) and the other ratios (倍, か月; 2 decimals) round half-up in two
  steps: first to the 4 decimals the JSON publishes (`keiei.finance.output.RATIO_PLACES`), then
  to the places shown; so a face starting from the JSON and one starting from the exact ratio
  print the same string (a one-step rounding of the exact ratio would differ from the JSON's
  at 0.12345).

Negative figures print with △; undefined ones as a dash.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Literal, NamedTuple

PUBLISHED_PLACES = 4
_PUBLISHED = Decimal(1).scaleb(-PUBLISHED_PLACES)

Style = Literal["number", "percent"]


class Rule(NamedTuple):
    """Decimal places shown (of the percentage for `percent`), rounding mode, style."""

    places: int
    rounding: str
    style: Style


RULES: dict[str, Rule] = {
    "debt_repayment_years": Rule(2, ROUND_CEILING, "number"),
    "ebitda_debt_ratio": Rule(2, ROUND_HALF_UP, "number"),
    "working_capital_months": Rule(2, ROUND_HALF_UP, "number"),
    "sales_growth": Rule(1, ROUND_HALF_UP, "percent"),
    "operating_margin": Rule(1, ROUND_HALF_UP, "percent"),
    "equity_ratio": Rule(1, ROUND_HALF_UP, "percent"),
    "adjusted_equity_ratio": Rule(1, ROUND_HALF_UP, "percent"),
    "share": Rule(1, ROUND_HALF_UP, "percent"),
}
#: The rule for a ratio without its own entry (`ratio_text`, `percent_text`).
NUMBER = Rule(2, ROUND_HALF_UP, "number")
PERCENT = Rule(1, ROUND_HALF_UP, "percent")

DASH = "－"


def _decimal(value: Decimal | float | int) -> Decimal:
    """A JSON float as the decimal it was printed from (repr round-trips), else as is."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def shown_value(key: str, value: Decimal | float | int | None) -> Decimal | None:
    """The figure as shown (the ratio itself for percentages, e.g. 0.123 for 12.3 %)."""
    if value is None:
        return None
    return _shown(RULES.get(key, NUMBER), value)


def _quantum(rule: Rule) -> Decimal:
    return Decimal(1).scaleb(-(rule.places + (2 if rule.style == "percent" else 0)))


#: Each rule's quantum, made once (the JSON of every projected plan shows 債務償還年数 each year).
_QUANTA: dict[Rule, Decimal] = {}


def _shown(rule: Rule, value: Decimal | float | int) -> Decimal:
    places = _QUANTA.get(rule)
    if places is None:
        places = _QUANTA[rule] = _quantum(rule)
    if rule.rounding == ROUND_CEILING:
        return _decimal(value).quantize(places, ROUND_CEILING)  # from the exact ratio (or its shown figure)
    return _decimal(value).quantize(_PUBLISHED, ROUND_HALF_UP).quantize(places, rule.rounding)


def _text(rule: Rule, value: Decimal | float | int | None, blank: str) -> str:
    if value is None:
        return blank
    shown = _shown(rule, value)
    if rule.style == "percent":
        shown = shown.scaleb(2)
    text = f"{abs(shown):,.{rule.places}f}" + ("%" if rule.style == "percent" else "")
    return f"△{text}" if shown < 0 else text


def indicator_text(key: str, value: Decimal | float | int | None, *, blank: str = DASH) -> str:
    """The indicator `key` as every face prints it: "3.10", "12.3%", "△1.2%"; `blank` for None."""
    return _text(RULES.get(key, NUMBER), value, blank)


def ratio_text(value: Decimal | float | int | None, *, blank: str = DASH) -> str:
    """A ratio without its own rule: 2 decimals, half-up."""
    return _text(NUMBER, value, blank)


def percent_text(value: Decimal | float | int | None, *, blank: str = DASH) -> str:
    """A ratio shown in percent without its own rule: 0.1 %, half-up."""
    return _text(PERCENT, value, blank)


def net_assets_label(bases: Iterable[str | None]) -> str:
    """The label of a row of 実態純資産 over years whose `net_assets_basis` are `bases`.

    A year without a due diligence has no 実態 figure: its "adjusted" net assets are the book
    ones, and are labelled so (簿価純資産), not passed off as 実態純資産.
    """
    kinds = {b or "adjusted" for b in bases}
    if kinds == {"book"}:
        return "簿価純資産（実態修正なし）"
    if "book" in kinds:
        return "実態純資産（実態修正のない年度は簿価純資産）"
    return "実態純資産"
