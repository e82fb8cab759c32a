"""The programme rules in force on a date, as typed values the rest of keiei uses.

`rules_for(program, on)` is the single entry point: it reads the programme's dated YAML file
(via `parameters.load_parameter_file`) and the common file, picks the values in force on `on`
and returns a frozen `ProgramRules`. Nothing else in keiei hard-codes a cap, a rate or a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from keiei.dates import with_wareki
from keiei.errors import KeieiInputError, RulesDataError
from keiei.money import RoundingMode
from keiei.rules.parameters import Entry, Parameter, ParameterFile, load_parameter_file

PROGRAMS: tuple[str, ...] = ("early", "405", "405-gl")
PROGRAM_LABELS: dict[str, str] = {
    "early": "早期経営改善計画策定支援",
    "405": "経営改善計画策定支援（405事業）",
    "405-gl": "経営改善計画策定支援（405事業）中小版GL枠",
}
#: Plan contents codes and the Japanese names the pamphlet uses.
CONTENT_LABELS: dict[str, str] = {
    "business_model_diagram": "ビジネスモデル俯瞰図",
    "company_profile": "会社概要表",
    "cash_table": "資金実績・計画表（又は資金予定表）",
    "pl": "計画損益計算書",
    "bs": "計画貸借対照表",
    "cf": "計画キャッシュフロー計算書",
    "action_plan": "アクションプラン",
    "due_diligence": "DD（財務・事業デューデリジェンス）",
    "adjusted_bs": "実態貸借対照表",
    "causes_of_distress": "窮境原因",
    "financial_support": "金融支援の内容（債務減免等を含む）",
}
#: 中小版GL requirement and explanation codes (`guideline.requirements` / `.explanations`).
GUIDELINE_LABELS: dict[str, str] = {
    "liquidation_value": "清算価値保障（清算貸借対照表）",
    "guarantor_settlement": "保証債務の整理",
    "third_party_expert": "第三者支援専門家の調査",
    "tax_loss_carryforward": "繰越欠損金と債務免除益の課税",
}


def data_dir() -> Path:
    return Path(str(resources.files("keiei.rules").joinpath("data")))


@cache
def program_file(program: str) -> ParameterFile:
    """The parsed rules file of a programme (cached: files do not change while running)."""
    check_program(program)
    return load_parameter_file(data_dir() / f"{program}.yaml")


@cache
def common_file() -> ParameterFile:
    return load_parameter_file(data_dir() / "common.yaml")


def check_program(program: str, field_name: str = "--program") -> None:
    if program not in PROGRAMS:
        raise KeieiInputError(
            field_name,
            f"事業区分 {program!r} はありません。選べる値: {', '.join(PROGRAMS)}",
            f"unknown program {program!r}; allowed: {', '.join(PROGRAMS)}",
        )


@dataclass(frozen=True)
class SubsidyItemRule:
    """One subsidised item (e.g. the plan fee) as it stands on a date."""

    key: str
    label: str
    claim: str
    counts_toward_total: bool
    cap: int
    mandatory: bool
    since: dt.date
    reference: str
    note: str | None


@dataclass(frozen=True)
class ResolvedValue:
    """A parameter's value on the date asked, with its source: what `rules show` prints."""

    key: str
    description: str | None
    value: Any
    since: dt.date
    reference: str
    note: str | None
    unconfirmed: bool
    unit: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "description": self.description,
            "value": self.value,
            "unit": self.unit,
            "since": self.since.isoformat(),
            "reference": self.reference,
            "note": self.note,
            "unconfirmed": self.unconfirmed,
        }


@dataclass(frozen=True)
class ProgramRules:
    """Everything keiei needs to know about a programme on one date."""

    program: str
    as_of: dt.date
    label: str
    started: dt.date
    rate: Fraction
    total_cap: int
    items: dict[str, SubsidyItemRule]
    items_not_yet: dict[str, dt.date | None]
    plan_split: bool
    cumulative_cap: int | None
    monitoring_period_years: int
    monitoring_interval_months: tuple[int, int]
    monitoring_mandatory: tuple[str, ...]
    monitoring_optional: tuple[str, ...]
    plan_period_years: tuple[int, int]
    required_contents: tuple[str, ...]
    financial_support: str
    bank_step: dict[str, str]
    repeat_use: dict[str, str]
    deadlines: dict[str, int]
    application_documents: tuple[str, ...]
    criteria: dict[str, Any]
    single_bank_unguaranteed_only_excluded: bool
    fee_tax_treatment: str
    yen_rounding: RoundingMode
    values: tuple[ResolvedValue, ...] = field(default=())
    #: 中小版GL (405-gl): requirement codes judged as errors, explanation codes as warnings,
    #: and the guides for a guarantor's kept assets (`guideline.kept_assets.*`); empty elsewhere.
    guideline_requirements: tuple[str, ...] = ()
    guideline_explanations: tuple[str, ...] = ()
    guideline_kept_assets: dict[str, Any] = field(default_factory=dict)

    def item_keys(self) -> tuple[str, ...]:
        return tuple(self.items)

    def guarantee_release_cap(self) -> int:
        item = self.items.get("guarantee_release")
        return item.cap if item else 0

    def max_subsidy(self, *, guarantee_release: bool = False) -> int:
        """The most the council can pay under these rules (caps, not fees)."""
        within = min(self.total_cap, sum(i.cap for i in self.items.values() if i.counts_toward_total))
        return within + (self.guarantee_release_cap() if guarantee_release else 0)


def program_start(program: str) -> dt.date:
    """The first date the programme accepted applications."""
    param = program_file(program).parameters["program.available"]
    for entry in param.entries:
        if entry.value is True:
            return entry.since
    raise RulesDataError(f"{program_file(program).path}: program.available", "開始日がありません", "no start date")


def rules_for(program: str, on: dt.date) -> ProgramRules:
    """The rules of `program` in force on `on`; input errors name --program or --date."""
    check_program(program)
    pf = program_file(program)
    started = program_start(program)
    if on < started:
        raise KeieiInputError(
            "--date",
            f"{with_wareki(on)} は {PROGRAM_LABELS[program]} の開始（{with_wareki(started)}）より前です。"
            f"{started.isoformat()} 以降の日付を指定してください",
            f"{on.isoformat()} is before {program} began on {started.isoformat()}",
        )
    cf = common_file()
    get = _getter(pf, on)
    get_common = _getter(cf, on)

    items: dict[str, SubsidyItemRule] = {}
    not_yet: dict[str, dt.date | None] = {}
    for item_key in _item_keys(pf):
        base = f"subsidy.items.{item_key}"
        avail = pf.parameters[f"{base}.available"].at(on)
        if avail is None or avail.value is not True:
            not_yet[item_key] = _first_true(pf.parameters[f"{base}.available"], after=on)
            continue
        cap = _required(pf, f"{base}.cap", on)
        mandatory = _required(pf, f"{base}.mandatory", on)
        attrs = pf.attributes.get(base, {})
        items[item_key] = SubsidyItemRule(
            key=item_key,
            label=str(attrs.get("label", item_key)),
            claim=str(attrs.get("claim", item_key)),
            counts_toward_total=bool(attrs.get("counts_toward_total", True)),
            cap=_as_int(pf, f"{base}.cap", cap.value),
            mandatory=bool(mandatory.value),
            since=avail.since,
            reference=cap.reference,
            note=cap.note,
        )

    rounding = str(get_common("fees.yen_rounding"))
    if rounding not in ("truncate", "half_up"):
        raise RulesDataError(
            f"{cf.path}: fees.yen_rounding", "truncate か half_up を指定してください", "must be truncate or half_up"
        )
    interval = cast(dict[str, int], get("monitoring.interval_months"))
    period = cast(dict[str, int], get("plan.period_years"))
    deadlines = {
        key.removeprefix("deadlines."): _as_int(pf, key, entry.value)
        for key, param in pf.parameters.items()
        if key.startswith("deadlines.") and (entry := param.at(on)) is not None
    }
    excluded = pf.parameters.get("eligibility.single_bank_unguaranteed_only_excluded")
    excluded_entry = excluded.at(on) if excluded else None
    cumulative = pf.parameters.get("subsidy.cumulative_cap")
    cumulative_entry = cumulative.at(on) if cumulative else None

    return ProgramRules(
        program=program,
        as_of=on,
        label=str(get("program.name")),
        started=started,
        rate=_fraction(pf, "subsidy.rate", get("subsidy.rate")),
        total_cap=_as_int(pf, "subsidy.total_cap", get("subsidy.total_cap")),
        items=items,
        items_not_yet=not_yet,
        plan_split=bool(get("subsidy.plan_split")),
        cumulative_cap=None
        if cumulative_entry is None
        else _as_int(pf, "subsidy.cumulative_cap", cumulative_entry.value),
        monitoring_period_years=_as_int(pf, "monitoring.period_years", get("monitoring.period_years")),
        monitoring_interval_months=(int(interval["min"]), int(interval["max"])),
        monitoring_mandatory=tuple(get("monitoring.mandatory_items")),
        monitoring_optional=tuple(get("monitoring.optional_items")),
        plan_period_years=(int(period["min"]), int(period["max"])),
        required_contents=tuple(get("plan.required_contents")),
        financial_support=str(get("plan.financial_support")),
        bank_step={str(k): str(v) for k, v in dict(get("bank_step")).items()},
        repeat_use={str(k): str(v) for k, v in dict(get("repeat_use")).items()},
        deadlines=deadlines,
        application_documents=tuple(str(d) for d in get("application.documents")),
        criteria=dict(get("criteria")),
        single_bank_unguaranteed_only_excluded=bool(excluded_entry.value) if excluded_entry else False,
        fee_tax_treatment=str(get_common("fees.tax_treatment")),
        yen_rounding=cast(RoundingMode, rounding),
        values=tuple(_resolved(pf, on)) + tuple(_resolved(cf, on, prefix="common.")),
        guideline_requirements=tuple(_optional(pf, "guideline.requirements", on) or ()),
        guideline_explanations=tuple(_optional(pf, "guideline.explanations", on) or ()),
        guideline_kept_assets={
            key.removeprefix("guideline.kept_assets."): entry.value
            for key, param in pf.parameters.items()
            if key.startswith("guideline.kept_assets.") and (entry := param.at(on)) is not None
        },
    )


def _optional(pf: ParameterFile, key: str, on: dt.date) -> Any:
    """The value of a rule only some programmes have (None when absent or not in force)."""
    param = pf.parameters.get(key)
    entry = param.at(on) if param else None
    return None if entry is None else entry.value


def _getter(pf: ParameterFile, on: dt.date) -> Any:
    def get(key: str) -> Any:
        return _required(pf, key, on).value

    return get


def _required(pf: ParameterFile, key: str, on: dt.date) -> Entry:
    param = pf.parameters.get(key)
    if param is None:
        raise RulesDataError(f"{pf.path}: {key}", "必要な規則がありません", "required parameter is missing")
    entry = param.at(on)
    if entry is None:
        raise RulesDataError(
            f"{pf.path}: {key}",
            f"{on.isoformat()} 時点の値がありません",
            f"no value in force on {on.isoformat()}",
        )
    return entry


def _item_keys(pf: ParameterFile) -> list[str]:
    keys: list[str] = []
    for key in pf.parameters:
        if key.startswith("subsidy.items."):
            item = key.split(".")[2]
            if item not in keys:
                keys.append(item)
    return keys


def _first_true(param: Parameter, after: dt.date) -> dt.date | None:
    for entry in param.entries:
        if entry.since > after and entry.value is True:
            return entry.since
    return None


def _as_int(pf: ParameterFile, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesDataError(
            f"{pf.path}: {key}", f"整数が必要です（値: {value!r}）", f"expected an integer, got {value!r}"
        )
    return value


def _fraction(pf: ParameterFile, key: str, value: Any) -> Fraction:
    try:
        result = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise RulesDataError(
            f"{pf.path}: {key}",
            f"分数（例 2/3）が必要です（値: {value!r}）",
            f"expected a fraction such as 2/3, got {value!r}",
        ) from None
    if not 0 < result <= 1:
        raise RulesDataError(f"{pf.path}: {key}", "0 より大きく 1 以下にしてください", "rate must be in (0, 1]")
    return result


def _resolved(pf: ParameterFile, on: dt.date, prefix: str = "") -> list[ResolvedValue]:
    out: list[ResolvedValue] = []
    for key, param in pf.parameters.items():
        entry = param.at(on)
        if entry is None:
            continue
        out.append(
            ResolvedValue(
                prefix + key,
                param.description,
                entry.value,
                entry.since,
                entry.reference,
                entry.note,
                param.unconfirmed,
                param.unit,
            )
        )
    return out


@dataclass(frozen=True)
class MonitoringFlags:
    """The thresholds at which plan against actual raises a flag (`common.yaml` `monitoring.flags`).

    Each is a dated, cited parameter; the 80 % readings are practice, not rules, so they are
    marked unconfirmed in the data and cited with their source in every flag's details.
    """

    as_of: dt.date
    sales_min_achievement: Decimal
    net_income_min_achievement: Decimal
    ordinary_profit_sign: bool
    repayment_min_achievement: Decimal
    values: tuple[ResolvedValue, ...]

    def source(self, name: str) -> ResolvedValue:
        return next(v for v in self.values if v.key == f"monitoring.flags.{name}")


def monitoring_flags(on: dt.date) -> MonitoringFlags | None:
    """The monitoring thresholds in force on `on`, or None before they exist."""
    cf = common_file()
    values = [v for v in _resolved(cf, on) if v.key.startswith("monitoring.flags.")]
    found = {v.key.removeprefix("monitoring.flags."): v.value for v in values}
    names = ("sales_min_achievement", "net_income_min_achievement", "ordinary_profit_sign", "repayment_min_achievement")
    if any(name not in found for name in names):
        return None

    def share(name: str) -> Decimal:
        value = found[name]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise RulesDataError(f"{cf.path}: monitoring.flags.{name}", "比率（例 0.8）が必要です", "expected a ratio")
        result = Decimal(str(value))
        if not 0 <= result <= 2:
            raise RulesDataError(
                f"{cf.path}: monitoring.flags.{name}", "0〜2 の比率にしてください", "ratio out of range"
            )
        return result

    return MonitoringFlags(
        on,
        share("sales_min_achievement"),
        share("net_income_min_achievement"),
        bool(found["ordinary_profit_sign"]),
        share("repayment_min_achievement"),
        tuple(values),
    )


def all_effective_dates() -> dict[str, list[dt.date]]:
    """Every date on which a rule changes, per file (the YAML test cases must straddle each)."""
    out = {p: program_file(p).effective_dates() for p in PROGRAMS}
    out["common"] = common_file().effective_dates()
    return out
