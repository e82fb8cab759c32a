"""法人税、住民税及び事業税 for a plan year: effective rate, carry-forward, 均等割.

Why this simple model: a management-improvement plan needs the tax line to be right in
direction and size, not a tax return. Taxable income is taken as pre-tax income (no
加算・減算); losses add to the carry-forward; profits are first offset by it up to
`offset_limit` of income (100 % for a 中小法人); the rest is taxed at `rate`, or at
`reduced_rate` up to `reduced_limit` (the 中小法人 軽減税率 on the first 8,000,000 yen) when
given; the 住民税均等割 (`per_capita`) is due in every year, loss or profit. Expiry of old
losses (10 years) is not modelled: give the carry-forward still usable at the plan start.
"""

from __future__ import annotations

from decimal import Decimal

from keiei.finance.rounding import yen
from keiei.money import RoundingMode, to_yen
from keiei.plan.model import ONE, Tax


def income_taxes(pretax_income: int, carryforward: int, tax: Tax, rounding: RoundingMode) -> tuple[int, int]:
    """(tax for the year, carry-forward after the year). Both integer yen, tax ≥ 均等割."""
    if pretax_income <= 0:
        return tax.per_capita, carryforward - pretax_income
    limit = pretax_income if tax.offset_limit == ONE else to_yen(pretax_income * tax.offset_limit, "truncate")
    offset = min(carryforward, limit)
    taxable = pretax_income - offset
    if tax.reduced_rate is not None and tax.reduced_limit > 0:
        low = min(taxable, tax.reduced_limit)
        amount: Decimal = low * tax.reduced_rate + (taxable - low) * tax.rate
    else:
        amount = taxable * tax.rate
    return yen(amount, rounding) + tax.per_capita, carryforward - offset
