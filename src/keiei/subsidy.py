"""The subsidy calculator: 2/3 of each fee, item caps, the programme total cap, the add-on.

Order of operations (docs/subsidy.md): for each item, fee × rate rounded once to whole yen by
`money.to_yen` (truncate by default), limited by the item cap; then the items that count toward
the programme total are limited in claim order (the council pays claims in the order they
arrive, so a later claim absorbs the total cap); the guarantee-release add-on comes on top; a
repeat-use cumulative cap, when asked for, applies last. Everything is integer yen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from keiei.errors import Finding, KeieiInputError, Severity
from keiei.money import format_yen, to_yen
from keiei.rules import PROGRAM_LABELS, ProgramRules, rules_for

CLAIM_LABELS: dict[str, str] = {
    "plan": "計画策定支援の支払申請",
    "monitoring_mid": "伴走支援（期中）の支払申請",
    "monitoring_end": "伴走支援（期末）の支払申請",
    "monitoring": "伴走支援の支払申請（3年間の各回の合計）",
    "monitoring_first": "最初の伴走支援の支払申請",
    "guarantee_release": "金融機関交渉費用の支払申請",
}
MONITORING_CLAIMS = ("monitoring_mid", "monitoring_end", "monitoring")
#: The part of the plan subsidy paid with the plan claim when the rules split it (`plan_split`,
#: "半額ずつ"); the first monitoring claim pays the rest.
PLAN_CLAIM_SHARE = Fraction(1, 2)


def share(amount: int, fraction: Fraction, rules: ProgramRules) -> int:
    """`amount` × `fraction` in whole yen, rounded as the rules' data says (`yen_rounding`).

    The one place a subsidy amount is divided: the rate (2/3 of a fee) and the plan-subsidy
    split (half now, half later) both come here, so changing the rounding in the data
    changes every split together.
    """
    return to_yen(Fraction(amount) * fraction, rules.yen_rounding)


@dataclass(frozen=True)
class ItemResult:
    item: str
    label: str
    fee: int
    cap: int
    two_thirds: int
    subsidy: int
    limited_by: str | None  # None, "item_cap", "total_cap" or "cumulative_cap"

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "label": self.label,
            "fee": self.fee,
            "cap": self.cap,
            "subsidy": self.subsidy,
            "before_caps": self.two_thirds,
            "limited_by": self.limited_by,
        }


@dataclass(frozen=True)
class Claim:
    claim: str
    label: str
    amount: int
    items: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"claim": self.claim, "label": self.label, "amount": self.amount, "items": self.items}


@dataclass(frozen=True)
class SubsidyResult:
    program: str
    rules: ProgramRules
    items: tuple[ItemResult, ...]
    payment_schedule: tuple[Claim, ...]
    warnings: tuple[Finding, ...] = field(default=())
    previous_subsidy: int | None = None

    @property
    def total_fee(self) -> int:
        return sum(i.fee for i in self.items)

    @property
    def total_subsidy(self) -> int:
        return sum(i.subsidy for i in self.items)

    @property
    def company_share(self) -> int:
        return self.total_fee - self.total_subsidy

    def as_dict(self) -> dict[str, Any]:
        r = self.rules
        return {
            "program": self.program,
            "program_label": r.label,
            "as_of": r.as_of.isoformat(),
            "rate": f"{r.rate.numerator}/{r.rate.denominator}",
            "total_cap": r.total_cap,
            "fee_tax_treatment": r.fee_tax_treatment,
            "yen_rounding": r.yen_rounding,
            "items": [i.as_dict() for i in self.items],
            "total_fee": self.total_fee,
            "total_subsidy": self.total_subsidy,
            "company_share": self.company_share,
            "payment_schedule": [c.as_dict() for c in self.payment_schedule],
            "warnings": [w.as_dict() for w in self.warnings],
            "previous_subsidy": self.previous_subsidy,
        }


def compute_subsidy(
    program: str,
    fees: Mapping[str, int],
    on: dt.date,
    *,
    previous_subsidy: int | None = None,
) -> SubsidyResult:
    """Compute the subsidy for tax-exclusive fees under the rules in force on `on`."""
    rules = rules_for(program, on)
    _check_fees(rules, fees)
    if previous_subsidy is not None and previous_subsidy < 0:
        raise KeieiInputError(
            "--previous-subsidy",
            "0 以上の整数（円）を指定してください",
            "previous subsidy must be a non-negative integer",
        )
    warnings: list[Finding] = []

    # 1. Each item: fee × rate, rounded once, then the item cap.
    per_item: dict[str, tuple[int, int, str | None]] = {}
    for key, rule in rules.items.items():
        if key not in fees:
            continue
        raw = share(fees[key], rules.rate, rules)
        per_item[key] = (raw, min(raw, rule.cap), "item_cap" if raw > rule.cap else None)

    # 2. The programme total cap, in claim order.
    remaining = rules.total_cap
    for key, rule in rules.items.items():
        if key in per_item and rule.counts_toward_total:
            raw, amount, limited = per_item[key]
            if amount > remaining:
                amount, limited = remaining, "total_cap"
            remaining -= amount
            per_item[key] = (raw, amount, limited)

    # 3. Repeat use: refused, flagged, or limited by a cumulative cap.
    if previous_subsidy:  # 0 means nothing was received before: not a repeat use
        warnings.extend(_apply_repeat_use(rules, per_item, previous_subsidy))

    items = tuple(
        ItemResult(key, rule.label, fees[key], rule.cap, per_item[key][0], per_item[key][1], per_item[key][2])
        for key, rule in rules.items.items()
        if key in per_item
    )
    schedule, schedule_warnings = _payment_schedule(rules, items)
    warnings.extend(schedule_warnings)
    warnings.extend(_item_warnings(rules, fees, items))
    return SubsidyResult(program, rules, items, schedule, tuple(warnings), previous_subsidy)


def _check_fees(rules: ProgramRules, fees: Mapping[str, int]) -> None:
    allowed = ", ".join(rules.items)
    for key, fee in fees.items():
        if key not in rules.items:
            if key in rules.items_not_yet:
                begins = rules.items_not_yet[key]
                since = f"{begins.isoformat()} 以降の申請で使えます" if begins else "この事業区分では使えません"
                raise KeieiInputError(
                    "--fee",
                    f"項目 {key!r} は {rules.as_of.isoformat()} 時点の{PROGRAM_LABELS[rules.program]}にありません"
                    f"（{since}）。選べる項目: {allowed}",
                    f"item {key!r} is not available for {rules.program} on {rules.as_of}; allowed: {allowed}",
                )
            raise KeieiInputError(
                "--fee",
                f"項目 {key!r} は{PROGRAM_LABELS[rules.program]}にありません。選べる項目: {allowed}",
                f"unknown item {key!r} for {rules.program}; allowed: {allowed}",
            )
        if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
            raise KeieiInputError(
                "--fee",
                f"{key} の費用は 0 以上の整数（円・税抜）で指定してください（指定値: {fee!r}）",
                f"fee for {key} must be a non-negative integer yen amount, got {fee!r}",
            )


def _apply_repeat_use(
    rules: ProgramRules, per_item: dict[str, tuple[int, int, str | None]], previous: int
) -> list[Finding]:
    policy = rules.repeat_use.get("policy", "no_rule_recorded")
    if policy == "not_allowed":
        raise KeieiInputError(
            "--previous-subsidy",
            f"{rules.label}は {rules.as_of.isoformat()} 時点で2回目の利用ができません",
            f"{rules.program} cannot be used a second time on {rules.as_of}",
        )
    out: list[Finding] = []
    if policy == "exception_only":
        out.append(
            Finding(
                "repeat_use_exception",
                Severity.WARNING,
                f"再度の利用は原則不可です。{rules.repeat_use.get('condition', '')}",
                "previous_subsidy",
            )
        )
    elif policy == "no_rule_recorded":
        out.append(
            Finding(
                "repeat_use_unknown",
                Severity.INFO,
                "この日付の再度の利用に関する規則は記録されていません。協議会に確認してください",
                "previous_subsidy",
            )
        )
    if rules.cumulative_cap is not None:
        remaining = max(0, rules.cumulative_cap - previous)
        for key in rules.items:
            if key in per_item:
                raw, amount, limited = per_item[key]
                if amount > remaining:
                    amount, limited = remaining, "cumulative_cap"
                remaining -= amount
                per_item[key] = (raw, amount, limited)
        out.append(
            Finding(
                "cumulative_cap",
                Severity.INFO,
                f"前回までの補助 {format_yen(previous)} を含めた累計上限は {format_yen(rules.cumulative_cap)} です",
                "previous_subsidy",
            )
        )
    return out


def _payment_schedule(rules: ProgramRules, items: tuple[ItemResult, ...]) -> tuple[tuple[Claim, ...], list[Finding]]:
    """Group item subsidies into the claims that pay them.

    Where the rules split the plan subsidy, the plan claim pays half (rounded as the rules'
    `yen_rounding` says) and the first monitoring claim pays the rest, so the two always add up.
    """
    warnings: list[Finding] = []
    claims: dict[str, dict[str, int]] = {}
    for item in items:
        claim = rules.items[item.item].claim
        claims.setdefault(claim, {})[item.item] = item.subsidy
    plan_subsidy = claims.get("plan", {}).get("plan")
    if rules.plan_split and plan_subsidy:
        first_half = share(plan_subsidy, PLAN_CLAIM_SHARE, rules)
        deferred = plan_subsidy - first_half
        claims["plan"]["plan"] = first_half
        first_monitoring = next((c for c in MONITORING_CLAIMS if c in claims), None)
        if first_monitoring is None:
            first_monitoring = "monitoring_first"
            warnings.append(
                Finding(
                    "plan_split_without_monitoring",
                    Severity.WARNING,
                    f"計画策定支援の補助の残り半額 {format_yen(deferred)} は最初の伴走支援の支払申請時に支払われます。"
                    "伴走支援の費用が入力されていません",
                    "payment_schedule",
                )
            )
        claims.setdefault(first_monitoring, {})["plan_deferred_half"] = deferred
    order = ["plan", "monitoring_first", *MONITORING_CLAIMS, "guarantee_release"]
    schedule = tuple(
        Claim(c, CLAIM_LABELS.get(c, c), sum(claims[c].values()), claims[c])
        for c in sorted(claims, key=lambda c: order.index(c) if c in order else len(order))
    )
    return schedule, warnings


def _item_warnings(rules: ProgramRules, fees: Mapping[str, int], items: tuple[ItemResult, ...]) -> list[Finding]:
    out: list[Finding] = []
    for key, rule in rules.items.items():
        if rule.mandatory and key not in fees:
            if key in rules.monitoring_mandatory:
                msg = f"{rule.label}は必須です（{rules.label}）。費用が入力されていません"
            else:
                msg = f"{rule.label}の費用が入力されていません"
            out.append(Finding("mandatory_item_missing", Severity.WARNING, msg, f"items.{key}"))
    for item in items:
        if item.limited_by == "item_cap":
            bind = to_yen(Fraction(item.cap) / rules.rate, "truncate")
            out.append(
                Finding(
                    "item_cap_reached",
                    Severity.INFO,
                    f"{item.label}は上限 {format_yen(item.cap)} に達しています"
                    f"（費用 {format_yen(bind)} を超える部分は補助されません）",
                    f"items.{item.item}",
                )
            )
        elif item.limited_by == "total_cap":
            out.append(
                Finding(
                    "total_cap_reached",
                    Severity.INFO,
                    f"補助の合計が上限 {format_yen(rules.total_cap)} に達したため、"
                    f"{item.label}の補助は {format_yen(item.subsidy)} です",
                    f"items.{item.item}",
                )
            )
    threshold = rules.deadlines.get("process_chart_required_above_plan_fee")
    plan_fee = fees.get("plan", 0) + fees.get("dd", 0)
    if threshold is not None and plan_fee > threshold:
        out.append(
            Finding(
                "process_chart_required",
                Severity.INFO,
                f"計画策定支援費用が {format_yen(threshold)} を超えるため、利用申請に工程表が必要です",
                "items.plan",
            )
        )
    if "guarantee_release" in fees:
        out.append(
            Finding(
                "guarantee_release_evidence",
                Severity.INFO,
                "経営者保証の解除に至らない場合も、交渉の事実を示す書類があれば補助の対象です",
                "items.guarantee_release",
            )
        )
    if rules.fee_tax_treatment == "exclusive" and fees:
        out.append(
            Finding(
                "fees_tax_exclusive",
                Severity.INFO,
                "費用は税抜額として計算しています（消費税の扱いは未確認の規則です）",
                "items",
            )
        )
    return out
