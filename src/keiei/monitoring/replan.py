"""計画の見直し: a new plan file that starts from the actual figures, as a new version.

`keiei` never edits the agreed plan: `replan` reads it and writes a *new* file in which each
plan year the actuals reach becomes an actual year, and the remaining plan years keep their
assumptions. How (decisions, docs/monitoring.md):

- **The actual year**: the income statement is the year's actual figures when the year is
  complete, else the rolling forecast (actual to date + plan for the months left: a 見込 year,
  said in `notes`). The balance sheet is the plan's year-end sheet with the difference in net
  income carried into cash (the forecast projection, `forecast.py`), or the trial balance's
  stated year-end balances when a complete year states them. A negative cash becomes
  short-term interest-bearing debt (the schema keeps BS lines ≥ 0), said in `notes`.
- **The plan years shift**: `drivers.years` falls by the years made actual; every per-year
  series (`*_series` in the schema) drops its first values; every plan-year number
  (`plan_year` in the schema: capex `year`, effects' `from_year`/`until_year`, …) falls by as
  many, and items dated in the years made actual are dropped: a capex of year 1, and an
  action's effect that started (or ended) there — effects are level shifts of the driver path,
  so one realised in the actual year is already in the new base and would count twice. The walk follows the plan's JSON Schema, so a new series field is
  covered without editing this module.
- **Loans** start at the projected closing balances of the last year made actual (the
  schedule does not change with the forecast); repaid loans are dropped. The tax-loss
  carry-forward becomes the projected one. The cash table's months belonged to the old year
  and are dropped (its seasonality stays). At most three actual years are kept.
The output loads with `keiei.plan.load_plan` and is checked with `validate_plan` by the caller.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from keiei.errors import KeieiInputError
from keiei.finance import Projection
from keiei.monitoring.compare import Annual
from keiei.monitoring.forecast import forecast_projection
from keiei.monitoring.yamlio import dump_yaml, load_yaml
from keiei.plan.loader import plan_schema

SERIES_DEFS = frozenset({"yen_series", "rate_series", "growth_series", "months_series", "days_series", "count_series"})
PL_OUT = ("sales", "cost_of_sales", "sga", "non_operating_income", "non_operating_expenses", "interest_expense",
          "extraordinary_income", "extraordinary_loss", "income_taxes", "depreciation")  # fmt: skip
BS_OUT = ("cash", "receivables", "inventory", "other_current_assets", "fixed_assets", "payables",
          "interest_bearing_debt", "other_liabilities")  # fmt: skip
_DROP = object()


def _ref_name(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _shift(data: Any, node: dict[str, Any], defs: dict[str, Any], n: int) -> Any:
    """`data` with series shortened and plan years lowered by `n`, following the schema `node`."""
    name = _ref_name(node)
    if name in SERIES_DEFS:
        return data[n:] if isinstance(data, list) else data
    if name == "plan_year":
        if isinstance(data, int) and not isinstance(data, bool):
            return data - n if data - n >= 1 else _DROP
        return data
    if name is not None:
        return _shift(data, {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}, defs, n)
    if isinstance(data, dict) and "properties" in node:
        out: dict[str, Any] = {}
        for key, value in data.items():
            child = node["properties"].get(key)
            shifted = _shift(value, child, defs, n) if isinstance(child, dict) else value
            if shifted is _DROP:
                # A capex of a year made actual, an effect that started (it is in the new base
                # already: effects are level shifts) or ended there: the item goes.
                return _DROP
            out[key] = shifted
        return out
    if isinstance(data, list) and isinstance(node.get("items"), dict):
        items = [_shift(item, node["items"], defs, n) for item in data]
        return [item for item in items if item is not _DROP]
    for key in ("anyOf", "oneOf"):  # alternatives of type (a series: one value or a list …)
        if key in node:
            for option in node[key]:
                if _fits(data, option, defs):
                    return _shift(data, option, defs, n)
            return data
    return data


def _fits(data: Any, option: dict[str, Any], defs: dict[str, Any]) -> bool:
    name = _ref_name(option)
    if name is not None:
        option = defs.get(name, {})
        if "anyOf" in option or "oneOf" in option:
            return any(_fits(data, o, defs) for o in option.get("anyOf", option.get("oneOf", [])))
    kind = option.get("type")
    if kind == "array":
        return isinstance(data, list)
    if kind == "object":
        return isinstance(data, dict)
    if kind in ("integer", "number"):
        return isinstance(data, int | float) and not isinstance(data, bool)
    if kind == "string":
        return isinstance(data, str)
    return True


def replan_data(
    raw: dict[str, Any], projection: Projection, annuals: tuple[Annual, ...], *, source: str = "plan"
) -> tuple[dict[str, Any], list[str]]:
    """The new plan's data from the agreed plan's raw data (module doc), and what was decided."""
    if not annuals:
        raise KeieiInputError("ACTUALS", "計画期間の中の月の実績がないため、見直しの計画を作れません", "no months")
    n = annuals[-1].plan_year
    years = int(raw["drivers"]["years"])
    if n >= years:
        raise KeieiInputError(
            "ACTUALS",
            f"実績が最終年度（計画{years}年目）まで届いているため、残りの計画年度がありません。新しい計画を作ってください",
            "no plan years left",
        )
    if [a.plan_year for a in annuals] != list(range(1, n + 1)):
        have = "・".join(str(a.plan_year) for a in annuals)
        raise KeieiInputError("ACTUALS", f"計画1年目から順に実績が必要です（あるのは計画{have}年目）", "years missing")
    notes: list[str] = []
    new = copy.deepcopy(raw)
    schema = plan_schema()
    new["drivers"] = _shift(new["drivers"], schema["properties"]["drivers"], schema["$defs"], n)
    new["drivers"]["years"] = years - n
    for key in ("action_plan", "financial_support"):
        if key in new:
            shifted = _shift(new[key], schema["properties"][key], schema["$defs"], n)
            if shifted is _DROP:
                del new[key]
            else:
                new[key] = shifted
    actual_years = list(new["actuals"])
    changed = projection
    for annual in annuals:
        changed = forecast_projection(changed, annual)
        year = changed.years[len(projection.actual_years) + annual.plan_year - 1]
        pl = {key: annual.forecast[key] for key in PL_OUT if annual.forecast[key]}
        for key in ("sales", "cost_of_sales", "sga"):
            pl.setdefault(key, 0)
        assert year.bs is not None
        bs = {key: int(getattr(year.bs, key)) for key in BS_OUT}
        if bs["cash"] < 0:
            notes.append(f"{annual.fiscal_year}期末の現預金の不足 {-bs['cash']:,} 円を短期の有利子負債としました")
            bs["interest_bearing_debt"] += -bs["cash"]
            bs["cash"] = 0
        entry: dict[str, Any] = {"period": annual.fiscal_year, "pl": pl, "bs": bs}
        if "employees" in raw["drivers"] and isinstance(raw["drivers"]["employees"], int):
            entry["employees"] = raw["drivers"]["employees"]
        actual_years.append(entry)
        kind = (
            "実績"
            if annual.complete
            else f"見込（実績 {len(annual.months_actual)} か月 + 計画 {len(annual.months_left)} か月）"
        )
        notes.append(f"{annual.fiscal_year}期を{kind}の年度としました（貸借は計画の期末に当期純利益の差を加えたもの）")
    new["actuals"] = actual_years[-3:]
    if len(actual_years) > 3:
        notes.append(
            f"実績年度は直近3期までとし、{', '.join(str(y['period']) for y in actual_years[:-3])}期を外しました"
        )
    last = projection.plan_years[n - 1]
    closing = {b.name: b for b in projection.banks}
    for bank in new.get("banks", []):
        result = closing.get(bank.get("name"))
        if result is None:
            continue
        loans = []
        by_name = {loan.name: loan for loan in result.loans}
        for loan in bank.get("loans", []):
            res = by_name.get(loan.get("name"))
            if res is None:
                loans.append(loan)
                continue
            balance = res.closing_balance[n - 1]
            if balance <= 0:
                notes.append(f"{bank['name']}「{loan['name']}」は完済の予定のため外しました")
                continue
            loan["balance"] = balance
            if "covered" in loan and loan["covered"] > balance:
                loan["covered"] = balance
            loans.append(loan)
        bank["loans"] = loans
    if last.details is not None and "tax" in new["drivers"]:
        new["drivers"]["tax"]["loss_carryforward"] = last.details.loss_carryforward
    table = new.get("cash_table")
    if isinstance(table, dict):
        table.pop("months", None)
        table.pop("opening_cash", None)
        if not table:
            del new["cash_table"]
    note = (
        f"計画の見直し（{source} の計画{n}年目までを実績・見込にした新しい版。元の計画は変更していません）: "
        + "。".join(notes)
    )
    new["notes"] = (str(raw.get("notes")) + "\n" if raw.get("notes") else "") + note
    return new, notes


def write_replan(
    plan_path: str | Path, projection: Projection, annuals: tuple[Annual, ...], out: str | Path
) -> list[str]:
    """Write the new plan (never over the agreed one) and say what was decided."""
    if Path(out).resolve() == Path(plan_path).resolve():
        raise KeieiInputError("-o", "元の計画ファイルには書き込みません。別のファイル名を指定してください", "same file")
    raw = load_yaml(plan_path, "PLAN")
    data, notes = replan_data(raw, projection, annuals, source=Path(plan_path).name)
    Path(out).write_text(
        "# keiei monitor replan が書いた見直しの計画（新しい版）。元の計画は変更していません。\n" + dump_yaml(data),
        encoding="utf-8",
    )
    return notes
