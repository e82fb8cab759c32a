"""Building the typed `Plan` from schema-valid data: cross-references, series lengths, defaults.

The second half of reading a plan (keiei.plan.loader reads the file, bounds it and checks the
schema; this module turns what passed into keiei.plan.model, refusing what the schema cannot
express: unknown bank names, duplicate labels, series of the wrong length). Every refusal is a
`PlanInputError` naming the field path and, for a file, its line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

import yaml

from keiei.money import RoundingMode, to_yen
from keiei.plan import model as m
from keiei.plan.errors import PlanInputError
from keiei.plan.messages import format_path
from keiei.plan.names import name_and_remark
from keiei.plan.periods import Period

#: Reserved names of the built-in scenarios (see keiei.finance.scenarios).
BUILTIN_SCENARIOS = ("base", "sales_down_10", "contractual")


def line_of(node: yaml.Node | None, path: Sequence[str | int]) -> int | None:
    """1-based line of the deepest node along `path` that exists in the YAML tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in path:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _dec(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(int(value))


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


class Builder:
    """Turns schema-valid data into the typed model, checking cross-references on the way."""

    def __init__(self, data: dict[str, Any], source: str, node: yaml.Node | None) -> None:
        self.data = data
        self.source = source
        self.node = node
        self.rounding: RoundingMode = (data.get("settings") or {}).get("rounding", "half_up")
        self.years = int(data["drivers"]["years"])

    def fail(self, path: Sequence[str | int], ja: str, en: str) -> PlanInputError:
        field = format_path(path)
        return PlanInputError(field, ja, f"{field}: {en}", source=self.source, line=line_of(self.node, path))

    # ---- series

    def yen_series(self, value: Any, path: Sequence[str | int], default: int = 0) -> m.YenSeries:
        if value is None:
            return (default,) * self.years
        if isinstance(value, list):
            self._check_length(value, path)
            return tuple(int(v) for v in value)
        return (int(value),) * self.years

    def ratio_series(self, value: Any, path: Sequence[str | int]) -> m.RatioSeries:
        if isinstance(value, list):
            self._check_length(value, path)
            return tuple(_dec(v) for v in value)
        return (_dec(value),) * self.years

    def _check_length(self, value: list[Any], path: Sequence[str | int]) -> None:
        if len(value) != self.years:
            raise self.fail(
                path,
                f"計画年数（drivers.years = {self.years}）と同じ {self.years} 件の値を指定してください（{len(value)} 件あります）",
                f"series needs {self.years} values, got {len(value)}",
            )

    def plan_year(self, value: Any, path: Sequence[str | int]) -> int:
        year = int(value)
        if year > self.years:
            raise self.fail(
                path,
                f"計画年数（{self.years} 年）を超えています。1〜{self.years} を指定してください",
                f"plan year {year} beyond {self.years} plan years",
            )
        return year

    # ---- whole plan

    def plan(self) -> m.Plan:
        d = self.data
        actuals = self.actuals()
        drivers = self.drivers(actuals)
        banks = self.banks()
        action_plan = self.actions(drivers)
        return m.Plan(
            program=d["program"],
            company=self.company(),
            actuals=actuals,
            drivers=drivers,
            banks=banks,
            financial_support=self.financial_support(banks),
            action_plan=action_plan,
            causes_of_distress=tuple(d.get("causes_of_distress") or ()),
            basic_policy=tuple(d.get("basic_policy") or ()),
            display_unit=d.get("display_unit", "円"),
            rounding=self.rounding,
            business_model=self.business_model(),
            cash_table=self.cash_table(),
            scenarios=self.scenarios(),
            guideline=self.guideline(banks),
            source=self.source,
        )

    def company(self) -> m.Company:
        c = self.data["company"]
        # older files put the remark in brackets after the name (keiei.plan.names)
        representative, note = name_and_remark(
            _opt_str(c.get("representative")), _opt_str(c.get("representative_note"))
        )
        return m.Company(
            name=c["name"],
            fiscal_year_end_month=int(c["fiscal_year_end_month"]),
            postal_code=_opt_str(c.get("postal_code")),
            address=_opt_str(c.get("address")),
            industry=_opt_str(c.get("industry")),
            employees=None if c.get("employees") is None else int(c["employees"]),
            founded=_opt_str(c.get("founded")),
            capital=None if c.get("capital") is None else int(c["capital"]),
            representative=representative,
            business=_opt_str(c.get("business")),
            shareholders=tuple(str(s) for s in c.get("shareholders") or ()),
            representative_note=note,
        )

    def actuals(self) -> tuple[m.ActualYear, ...]:
        out: list[m.ActualYear] = []
        for i, a in enumerate(self.data["actuals"]):
            period = Period.parse(a["period"])
            if out and period <= out[-1].period:
                raise self.fail(
                    ["actuals", i, "period"],
                    "実績の決算期は古い順に並べてください（同じ期は2度書けません）",
                    "actual periods must be strictly ascending",
                )
            pl = a["pl"]
            stated_keys = ("gross_profit", "operating_profit", "ordinary_profit", "pretax_income", "net_income")
            actual_pl = m.ActualPL(
                sales=int(pl["sales"]),
                cost_of_sales=int(pl["cost_of_sales"]),
                sga=int(pl["sga"]),
                non_operating_income=int(pl.get("non_operating_income", 0)),
                non_operating_expenses=int(pl.get("non_operating_expenses", 0)),
                interest_expense=int(pl.get("interest_expense", 0)),
                extraordinary_income=int(pl.get("extraordinary_income", 0)),
                extraordinary_loss=int(pl.get("extraordinary_loss", 0)),
                income_taxes=int(pl.get("income_taxes", 0)),
                depreciation=int(pl.get("depreciation", 0)),
                variable_costs=None if pl.get("variable_costs") is None else int(pl["variable_costs"]),
                stated=tuple((k, int(pl[k])) for k in stated_keys if k in pl),
            )
            bs = a.get("bs")
            actual_bs = None
            if bs is not None:
                actual_bs = m.ActualBS(
                    cash=int(bs["cash"]),
                    receivables=int(bs["receivables"]),
                    inventory=int(bs["inventory"]),
                    fixed_assets=int(bs["fixed_assets"]),
                    payables=int(bs["payables"]),
                    interest_bearing_debt=int(bs["interest_bearing_debt"]),
                    other_current_assets=int(bs.get("other_current_assets", 0)),
                    other_liabilities=int(bs.get("other_liabilities", 0)),
                    stated_net_assets=None if bs.get("net_assets") is None else int(bs["net_assets"]),
                )
            adjustments = tuple(
                m.Adjustment(
                    item=adj["item"],
                    line=adj["line"],
                    amount=int(adj["amount"]),
                    reason=adj["reason"],
                    ends_year=None
                    if adj.get("ends_year") is None
                    else self.plan_year(adj["ends_year"], ["actuals", i, "adjustments", j, "ends_year"]),
                )
                for j, adj in enumerate(a.get("adjustments") or ())
            )
            out.append(
                m.ActualYear(
                    period=period,
                    pl=actual_pl,
                    bs=actual_bs,
                    adjustments=adjustments,
                    employees=None if a.get("employees") is None else int(a["employees"]),
                    segments=tuple((str(k), int(v)) for k, v in (a.get("segments") or {}).items()),
                )
            )
        if out[-1].bs is None:
            raise self.fail(
                ["actuals", len(out) - 1, "bs"],
                "直近の実績年度（計画の基準となる期）には貸借対照表（bs）が必要です",
                "the last actual year needs a balance sheet",
            )
        return tuple(out)

    def drivers(self, actuals: tuple[m.ActualYear, ...]) -> m.Drivers:
        d = self.data["drivers"]
        p = ["drivers"]
        last = actuals[-1]
        bs = cast(m.ActualBS, last.bs)
        tax = d["tax"]
        wc = d.get("working_capital") or {}
        sga = tuple(self.sga_item(item, [*p, "sga", i]) for i, item in enumerate(d.get("sga") or ()))
        self._unique([s.name for s in sga], [*p, "sga"], "販管費の科目名")
        company_employees = self.data["company"].get("employees")
        default_employees = last.employees if last.employees is not None else company_employees
        employees_raw = d.get("employees")
        employees: tuple[int | None, ...]
        if employees_raw is None:
            employees = (None if default_employees is None else int(default_employees),) * self.years
        else:
            employees = self.yen_series(employees_raw, [*p, "employees"])
        other_debt = d.get("other_debt") or {}
        return m.Drivers(
            years=self.years,
            sales=self.sales(d["sales"], [*p, "sales"], last),
            cost_ratio=self.ratio_series(d["cost_of_sales"]["ratio"], [*p, "cost_of_sales", "ratio"]),
            cost_fixed=self.yen_series(d["cost_of_sales"].get("fixed"), [*p, "cost_of_sales", "fixed"]),
            sga=sga,
            existing_depreciation=self.yen_series(
                (d.get("depreciation") or {}).get("existing"), [*p, "depreciation", "existing"]
            ),
            capex=tuple(
                m.Capex(
                    name=c["name"],
                    year=self.plan_year(c["year"], [*p, "capex", i, "year"]),
                    amount=int(c["amount"]),
                    useful_life=int(c["useful_life"]),
                    maintenance=c.get("purpose", "maintenance") == "maintenance",
                )
                for i, c in enumerate(d.get("capex") or ())
            ),
            receivables=self.turnover(
                wc.get("receivables"), [*p, "working_capital", "receivables"], "sales", bs.receivables, last
            ),
            inventory=self.turnover(
                wc.get("inventory"), [*p, "working_capital", "inventory"], "cost_of_sales", bs.inventory, last
            ),
            payables=self.turnover(
                wc.get("payables"), [*p, "working_capital", "payables"], "cost_of_sales", bs.payables, last
            ),
            other_current_assets=self.yen_series(
                d.get("other_current_assets"), [*p, "other_current_assets"], default=bs.other_current_assets
            ),
            other_liabilities=self.yen_series(
                d.get("other_liabilities"), [*p, "other_liabilities"], default=bs.other_liabilities
            ),
            non_operating_income=self.yen_series(d.get("non_operating_income"), [*p, "non_operating_income"]),
            non_operating_expenses=self.yen_series(d.get("non_operating_expenses"), [*p, "non_operating_expenses"]),
            extraordinary_income=self.yen_series(d.get("extraordinary_income"), [*p, "extraordinary_income"]),
            extraordinary_loss=self.yen_series(d.get("extraordinary_loss"), [*p, "extraordinary_loss"]),
            asset_writedowns=self.yen_series(d.get("asset_writedowns"), [*p, "asset_writedowns"]),
            other_debt_rate=_dec(other_debt.get("rate", 0)),
            other_debt_repayment=self.yen_series(other_debt.get("repayment"), [*p, "other_debt", "repayment"]),
            tax=m.Tax(
                rate=_dec(tax["rate"]),
                per_capita=int(tax.get("per_capita", 70_000)),
                loss_carryforward=int(tax.get("loss_carryforward", 0)),
                offset_limit=_dec(tax.get("offset_limit", 1)),
                reduced_rate=None if tax.get("reduced_rate") is None else _dec(tax["reduced_rate"]),
                reduced_limit=int(tax.get("reduced_limit", 0)),
            ),
            dividends=self.yen_series(d.get("dividends"), [*p, "dividends"]),
            equity_issued=self.yen_series(d.get("equity_issued"), [*p, "equity_issued"]),
            employees=employees,
        )

    def sales(self, s: dict[str, Any], path: list[str | int], last: m.ActualYear) -> m.SalesDriver:
        if "growth" in s:
            return m.SalesDriver(growth=self.ratio_series(s["growth"], [*path, "growth"]))
        if "amounts" in s:
            return m.SalesDriver(amounts=self.yen_series(s["amounts"], [*path, "amounts"]))
        actual_segments = dict(last.segments)
        segments: list[m.Segment] = []
        for i, seg in enumerate(s["segments"]):
            where = [*path, "segments", i]
            if "growth" in seg and "amounts" in seg:
                raise self.fail(
                    where, "growth と amounts のどちらか一方を指定してください", "segment needs growth xor amounts"
                )
            name = str(seg["name"])
            base = actual_segments.get(name)
            if "growth" in seg and base is None:
                raise self.fail(
                    [*where, "name"],
                    f"成長率で計画する部門 '{name}' の基準売上高がありません。直近の実績年度の segments に同じ名前で売上高を書いてください",
                    f"segment {name!r} has no actual sales in the last actual year",
                )
            segments.append(
                m.Segment(
                    name=name,
                    base=base or 0,
                    growth=self.ratio_series(seg["growth"], [*where, "growth"]) if "growth" in seg else None,
                    amounts=self.yen_series(seg["amounts"], [*where, "amounts"]) if "amounts" in seg else None,
                )
            )
        self._unique([seg.name for seg in segments], [*path, "segments"], "部門名")
        return m.SalesDriver(segments=tuple(segments))

    def sga_item(self, item: dict[str, Any], path: list[str | int]) -> m.SgaItem:
        if item["kind"] == "variable":
            return m.SgaItem(item["name"], "variable", ratios=self.ratio_series(item["ratio"], [*path, "ratio"]))
        return m.SgaItem(item["name"], item["kind"], amounts=self.yen_series(item["amount"], [*path, "amount"]))

    def turnover(
        self,
        t: dict[str, Any] | None,
        path: list[str | int],
        default_basis: m.TurnoverBasis,
        balance: int,
        last: m.ActualYear,
    ) -> m.Turnover:
        basis: m.TurnoverBasis = (t or {}).get("basis", default_basis)
        if t is None:
            # Default: keep the last actual turnover (balance ÷ yearly basis).
            amount = last.pl.sales if basis == "sales" else last.pl.cost_of_sales
            factor = Decimal(balance) / Decimal(amount) if amount > 0 else m.ZERO
            return m.Turnover((factor,) * self.years, basis)
        if "months" in t:
            months = self.ratio_series(t["months"], [*path, "months"])
            return m.Turnover(tuple(v / 12 for v in months), basis)
        days = self.ratio_series(t["days"], [*path, "days"])
        return m.Turnover(tuple(v / 365 for v in days), basis)

    def banks(self) -> tuple[m.Bank, ...]:
        out: list[m.Bank] = []
        for i, b in enumerate(self.data.get("banks") or ()):
            where: list[str | int] = ["banks", i]
            loans = []
            for j, loan in enumerate(b.get("loans") or ()):
                annual: int | None = None
                if "monthly_repayment" in loan:
                    annual = int(loan["monthly_repayment"]) * 12
                elif "annual_repayment" in loan:
                    annual = int(loan["annual_repayment"])
                loans.append(
                    m.Loan(
                        name=loan["name"],
                        balance=int(loan["balance"]),
                        rate=_dec(loan["rate"]),
                        annual_repayment=annual,
                        schedule=self.yen_series(loan["schedule"], [*where, "loans", j, "schedule"])
                        if "schedule" in loan
                        else None,
                        maturity=Period.parse(loan["maturity"]) if "maturity" in loan else None,
                        covered=self.covered(loan, int(loan["balance"])),
                        guarantor=_opt_str(loan.get("guarantor")),
                        collateral=_opt_str(loan.get("collateral")),
                        rescheduled=bool(loan.get("rescheduled", True)),
                        purpose=_opt_str(loan.get("purpose")),
                        guarantee_ratio=_dec(loan["guarantee_ratio"]) if "guarantee_ratio" in loan else None,
                        extended_maturity=Period.parse(loan["extended_maturity"])
                        if "extended_maturity" in loan
                        else None,
                    )
                )
            new_loans = []
            for j, nl in enumerate(b.get("new_loans") or ()):
                amount = int(nl["amount"])
                if "term_years" in nl:
                    annual_new = to_yen(Decimal(amount) / int(nl["term_years"]), self.rounding)
                else:
                    annual_new = int(nl.get("annual_repayment", 0))
                new_loans.append(
                    m.NewLoan(
                        name=nl["name"],
                        year=self.plan_year(nl["year"], [*where, "new_loans", j, "year"]),
                        amount=amount,
                        rate=_dec(nl["rate"]),
                        annual_repayment=annual_new,
                        grace_years=int(nl.get("grace_years", 0)),
                        covered=self.covered(nl, amount),
                        guarantor=_opt_str(nl.get("guarantor")),
                        collateral=_opt_str(nl.get("collateral")),
                        support=bool(nl.get("support", True)),
                        rescheduled=bool(nl.get("rescheduled", False)),
                        purpose=_opt_str(nl.get("purpose")),
                        guarantee_ratio=_dec(nl["guarantee_ratio"]) if "guarantee_ratio" in nl else None,
                    )
                )
            names = [loan.name for loan in loans] + [nl.name for nl in new_loans]
            self._unique(names, [*where, "loans"], "借入の名称")
            out.append(
                m.Bank(
                    name=b["name"],
                    loans=tuple(loans),
                    new_loans=tuple(new_loans),
                    main=bool(b.get("main", False)),
                    type=_opt_str(b.get("type")),
                    branch=_opt_str(b.get("branch")),
                )
            )
        self._unique([b.name for b in out], ["banks"], "金融機関名")
        return tuple(out)

    def covered(self, loan: Mapping[str, Any], balance: int) -> int:
        """保全額: the amount as entered, or the guarantee's ratio of the balance (the schema
        allows one of them), rounded once by the plan's rule."""
        if "guarantee_ratio" in loan:
            return to_yen(balance * _dec(loan["guarantee_ratio"]), self.rounding)
        return int(loan.get("covered", 0))

    def shares(
        self, r: Mapping[str, Any], banks: tuple[m.Bank, ...], where: list[str | int]
    ) -> tuple[tuple[str, Decimal], ...]:
        """Negotiated shares: every bank named in `banks`, exact, summing to 100 %."""
        raw = r.get("shares") or {}
        names = {b.name for b in banks}
        out: list[tuple[str, Decimal]] = []
        for name, value in raw.items():
            if name not in names:
                raise self.fail(
                    [*where, "rescheduling", "shares", name],
                    f"金融機関 '{name}' は banks にありません",
                    f"unknown bank {name!r}",
                )
            out.append((name, _dec(value)))
        total = sum((v for _, v in out), Decimal(0))
        if out and total != 1:
            raise self.fail(
                [*where, "rescheduling", "shares"],
                f"financial_support.rescheduling.shares（交渉による返済シェア）の合計は100%にしてください（現在 {total * 100:f}%）",
                f"shares sum to {total}, not 1",
            )
        return tuple(out)

    def financial_support(self, banks: tuple[m.Bank, ...]) -> m.FinancialSupport:
        fs = self.data.get("financial_support") or {}
        where: list[str | int] = ["financial_support"]
        rescheduling = None
        r = fs.get("rescheduling")
        if r is not None:
            from_year = self.plan_year(r.get("from_year", 1), [*where, "rescheduling", "from_year"])
            until_year = self.plan_year(r.get("until_year", self.years), [*where, "rescheduling", "until_year"])
            if until_year < from_year:
                raise self.fail(
                    [*where, "rescheduling", "until_year"],
                    "until_year は from_year 以上にしてください",
                    "until_year before from_year",
                )
            rescheduling = m.Rescheduling(
                basis=r.get("basis", "balance"),
                from_year=from_year,
                until_year=until_year,
                minimum_cash=int(r.get("minimum_cash", 0)),
                capacity_share=_dec(r.get("capacity_share", 1)),
                deduct_maintenance_capex=bool(r.get("deduct_maintenance_capex", True)),
                cap_at_contractual=bool(r.get("cap_at_contractual", True)),
                share_timing=r.get("share_timing", "after_forgiveness"),
                before_agreement=r.get("before_agreement", "contract"),
                shares=self.shares(r, banks, where),
                agreement_date=Period.parse(r["agreement_date"]) if "agreement_date" in r else None,
                interest=r.get("interest", "paid"),
                reduced_rate=_dec(r["reduced_rate"]) if "reduced_rate" in r else None,
            )
            if rescheduling.interest == "reduced" and rescheduling.reduced_rate is None:
                raise self.fail(
                    [*where, "rescheduling", "reduced_rate"],
                    "interest が reduced のときは減免後の金利（reduced_rate）を指定してください",
                    "reduced interest needs reduced_rate",
                )
        by_name = {b.name: b for b in banks}
        forgiveness = []
        for i, f in enumerate(fs.get("forgiveness") or ()):
            bank = by_name.get(f["bank"])
            if bank is None:
                raise self.fail(
                    [*where, "forgiveness", i, "bank"],
                    f"金融機関 '{f['bank']}' は banks にありません",
                    f"unknown bank {f['bank']!r}",
                )
            loan = f.get("loan")
            if loan is not None and loan not in {x.name for x in bank.loans} | {x.name for x in bank.new_loans}:
                raise self.fail(
                    [*where, "forgiveness", i, "loan"],
                    f"借入 '{loan}' は {bank.name} の loans・new_loans にありません",
                    f"unknown loan {loan!r}",
                )
            forgiveness.append(
                m.Forgiveness(
                    bank=bank.name,
                    amount=int(f["amount"]),
                    year=self.plan_year(f["year"], [*where, "forgiveness", i, "year"]),
                    loan=loan,
                )
            )
        return m.FinancialSupport(
            rescheduling=rescheduling, forgiveness=tuple(forgiveness), notes=_opt_str(fs.get("notes"))
        )

    def actions(self, drivers: m.Drivers) -> tuple[m.Action, ...]:
        sga_names = {s.name for s in drivers.sga}
        segment_names = {s.name for s in drivers.sales.segments}
        out: list[m.Action] = []
        for i, a in enumerate(self.data.get("action_plan") or ()):
            effects: list[m.Effect] = []
            for j, e in enumerate(a.get("effects") or ()):
                where: list[str | int] = ["action_plan", i, "effects", j]
                line = e["line"]
                item, segment = e.get("item"), e.get("segment")
                if line == "sga":
                    if item is None:
                        raise self.fail(
                            [*where, "item"],
                            "line が sga のときは科目名（item）を指定してください",
                            "sga effect needs item",
                        )
                    if item not in sga_names:
                        raise self.fail(
                            [*where, "item"],
                            f"販管費の科目 '{item}' は drivers.sga にありません",
                            f"unknown SG&A item {item!r}",
                        )
                elif item is not None:
                    raise self.fail([*where, "item"], "item は line が sga のときだけ指定できます", "item only for sga")
                if segment is not None:
                    if line != "sales":
                        raise self.fail(
                            [*where, "segment"],
                            "segment は line が sales のときだけ指定できます",
                            "segment only for sales",
                        )
                    if segment not in segment_names:
                        raise self.fail(
                            [*where, "segment"],
                            f"部門 '{segment}' は drivers.sales.segments にありません",
                            f"unknown segment {segment!r}",
                        )
                if "ratio" in e and line not in {"sales", "cost_of_sales", "sga"}:
                    raise self.fail(
                        [*where, "ratio"],
                        "ratio は line が sales・cost_of_sales・sga のときだけ使えます。amount（円）を指定してください",
                        "ratio only for sales, cost_of_sales, sga",
                    )
                from_year = self.plan_year(e.get("from_year", 1), [*where, "from_year"])
                until_year = None
                if e.get("until_year") is not None:
                    until_year = self.plan_year(e["until_year"], [*where, "until_year"])
                    if until_year < from_year:
                        raise self.fail(
                            [*where, "until_year"], "until_year は from_year 以上にしてください", "until before from"
                        )
                effects.append(
                    m.Effect(
                        line=line,
                        from_year=from_year,
                        until_year=until_year,
                        amount=None if "amount" not in e else int(e["amount"]),
                        ratio=None if "ratio" not in e else _dec(e["ratio"]),
                        item=item,
                        segment=segment,
                    )
                )
            out.append(
                m.Action(
                    measure=a["measure"],
                    owner=_opt_str(a.get("owner")),
                    deadline=_opt_str(a.get("deadline")),
                    detail=_opt_str(a.get("detail")),
                    kpi=_opt_str(a.get("kpi")),
                    effects=tuple(effects),
                )
            )
        return tuple(out)

    def business_model(self) -> m.BusinessModel:
        bm = self.data.get("business_model") or {}

        def parties(key: str) -> tuple[m.Party, ...]:
            return tuple(
                m.Party(
                    name=p["name"],
                    role=_opt_str(p.get("role")),
                    share=None if p.get("share") is None else _dec(p["share"]),
                    note=_opt_str(p.get("note")),
                )
                for p in bm.get(key) or ()
            )

        return m.BusinessModel(
            suppliers=parties("suppliers"),
            customers=parties("customers"),
            partners=parties("partners"),
            flows=tuple(
                m.Flow(source=f["from"], target=f["to"], what=_opt_str(f.get("what")), kind=_opt_str(f.get("kind")))
                for f in bm.get("flows") or ()
            ),
            strengths=tuple(str(s) for s in bm.get("strengths") or ()),
            weaknesses=tuple(str(s) for s in bm.get("weaknesses") or ()),
        )

    def cash_table(self) -> m.CashTable:
        ct = self.data.get("cash_table") or {}
        months: list[m.CashMonth] = []
        for i, mo in enumerate(ct.get("months") or ()):
            month = Period.parse(mo["month"])
            if months and month <= months[-1].month:
                raise self.fail(
                    ["cash_table", "months", i, "month"],
                    "月は古い順に並べてください（同じ月は2度書けません）",
                    "cash table months must be strictly ascending",
                )
            groups = {g: tuple((str(k), int(v)) for k, v in (mo.get(g) or {}).items()) for g in m.CASH_GROUPS}
            months.append(
                m.CashMonth(
                    month=month,
                    kind=mo["kind"],
                    operating_in=groups["operating_in"],
                    operating_out=groups["operating_out"],
                    investing_in=groups["investing_in"],
                    investing_out=groups["investing_out"],
                    financing_in=groups["financing_in"],
                    financing_out=groups["financing_out"],
                    note=_opt_str(mo.get("note")),
                )
            )
        opening = ct.get("opening_cash")
        season = ct.get("seasonality")
        return m.CashTable(
            opening_cash=None if opening is None else int(opening),
            months=tuple(months),
            seasonality=None if season is None else tuple(int(w) for w in season),
        )

    def scenarios(self) -> tuple[m.Scenario, ...]:
        out: list[m.Scenario] = []
        for i, s in enumerate(self.data.get("scenarios") or ()):
            if s["name"] in BUILTIN_SCENARIOS:
                raise self.fail(
                    ["scenarios", i, "name"],
                    f"'{s['name']}' は組み込みのシナリオ名です。別の名前にしてください",
                    "built-in scenario name",
                )
            out.append(
                m.Scenario(
                    name=s["name"],
                    label=str(s.get("label", s["name"])),
                    sales_factor=_dec(s.get("sales_factor", 1)),
                    growth_delta=_dec(s.get("growth_delta", 0)),
                    cost_of_sales_ratio_delta=_dec(s.get("cost_of_sales_ratio_delta", 0)),
                    sga_factor=_dec(s.get("sga_factor", 1)),
                    action_effect_share=_dec(s.get("action_effect_share", 1)),
                    financial_support=bool(s.get("financial_support", True)),
                )
            )
        self._unique([s.name for s in out], ["scenarios"], "シナリオ名")
        return tuple(out)

    def guideline(self, banks: tuple[m.Bank, ...]) -> m.Guideline | None:
        """The 中小版GL block; lender names must be banks of the plan (figures are judged later,
        by keiei.criteria.guideline, so an inconsistent figure is a verdict, not a load error)."""
        g = self.data.get("guideline")
        if g is None:
            return None
        names = {b.name for b in banks}
        where: list[str | int] = ["guideline"]

        def bank(name: str, path: list[str | int]) -> str:
            if name not in names:
                raise self.fail(path, f"金融機関 '{name}' は banks にありません", f"unknown bank {name!r}")
            return name

        liquidation = None
        lq = g.get("liquidation")
        if lq is not None:
            lw = [*where, "liquidation"]
            liquidation = m.Liquidation(
                assets=tuple(
                    m.LiquidationAsset(str(a["item"]), int(a["book"]), int(a["liquidation"]), _opt_str(a.get("note")))
                    for a in lq["assets"]
                ),
                priority_claims=tuple(
                    m.PriorityClaim(str(c["item"]), int(c["amount"]), _opt_str(c.get("note")))
                    for c in lq.get("priority_claims") or ()
                ),
                secured=tuple(
                    m.SecuredRecovery(
                        bank(s["bank"], [*lw, "secured", i, "bank"]),
                        int(s["amount"]),
                        s.get("source", "collateral"),
                        _opt_str(s.get("note")),
                    )
                    for i, s in enumerate(lq.get("secured") or ())
                ),
                other_general_claims=None
                if lq.get("other_general_claims") is None
                else int(lq["other_general_claims"]),
                stated_recovery=tuple(
                    (bank(str(k), [*lw, "stated_recovery", str(k)]), int(v))
                    for k, v in (lq.get("stated_recovery") or {}).items()
                ),
                note=_opt_str(lq.get("note")),
            )
        guarantors = []
        for i, gr in enumerate(g.get("guarantors") or ()):
            gw = [*where, "guarantors", i]
            guarantors.append(
                m.Guarantor(
                    name=str(gr["name"]),
                    settlement=gr["settlement"],
                    relation=_opt_str(gr.get("relation")),
                    assets=tuple(
                        m.GuarantorAsset(
                            str(a["item"]),
                            int(a["value"]),
                            int(a.get("kept", 0)),
                            a.get("basis"),
                            _opt_str(a.get("note")),
                        )
                        for a in gr.get("assets") or ()
                    ),
                    guarantees=tuple(
                        m.Guarantee(
                            bank(x["bank"], [*gw, "guarantees", j, "bank"]),
                            int(x["amount"]),
                            int(x.get("paid", 0)),
                            int(x.get("forgiven", 0)),
                        )
                        for j, x in enumerate(gr.get("guarantees") or ())
                    ),
                    note=_opt_str(gr.get("note")),
                )
            )
        e = g.get("third_party_expert")
        expert = (
            None
            if e is None
            else m.ThirdPartyExpert(
                name=str(e["name"]),
                qualification=str(e["qualification"]),
                independent=bool(e["independent"]),
                independence=_opt_str(e.get("independence")),
                organization=_opt_str(e.get("organization")),
                report_date=_opt_str(e.get("report_date")),
            )
        )
        return m.Guideline(
            liquidation=liquidation,
            guarantors=tuple(guarantors),
            no_guarantors=_opt_str(g.get("no_guarantors")),
            third_party_expert=expert,
        )

    def _unique(self, names: list[str], path: list[str | int], what: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise self.fail([*path, i], f"{what} '{name}' が重複しています", f"duplicate name {name!r}")
            seen.add(name)
