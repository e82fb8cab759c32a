"""The programme advisor: the pamphlet's questions in, the programme that fits out.

Decision order (docs/advisor.md): debt forgiveness or the SME guideline → `405-gl`; a needed
change of repayment terms → `405`; otherwise → `early`. Then the rules in force on the date
may rule a candidate out (single bank with only unguaranteed loans for 405, a second use of
`early` from 2024-04-01) or attach conditions (405 repeat use). Every conclusion carries the
Japanese reasons a company can read, and the council to call comes from the postal code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from keiei.errors import KeieiInputError
from keiei.money import format_yen
from keiei.rules import CONTENT_LABELS, PROGRAM_LABELS, ProgramRules, rules_for

USED_BEFORE_CHOICES = ("none", "early", "405", "405-gl")

BANK_STEP_TEXT = {
    "receipt": "メイン金融機関に計画を提出し、受取書（受領書・預り書）をもらいます（同意は不要です）",
    "consent": "すべての取引金融機関に計画を提出し、バンクミーティングを経て全行から同意書をもらいます",
}


@dataclass(frozen=True)
class Answers:
    """The pamphlet's questions, answered."""

    has_borrowing: bool
    needs_rescheduling: bool
    needs_forgiveness_or_gl: bool
    has_main_bank: bool
    single_bank_unguaranteed_only: bool
    used_before: str
    wants_guarantee_release: bool
    postal_code: str | None = None
    succession_concern: bool = False


@dataclass(frozen=True)
class Referral:
    name: str
    reason: str


@dataclass(frozen=True)
class Advice:
    program: str | None
    program_label: str | None
    as_of: dt.date
    reasons: tuple[str, ...]
    cautions: tuple[str, ...]
    referrals: tuple[Referral, ...]
    max_subsidy: int
    subsidy_items: tuple[dict[str, Any], ...]
    bank_step: str | None
    documents: tuple[str, ...]
    plan_contents: tuple[str, ...]
    councils: tuple[dict[str, Any], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "program_label": self.program_label,
            "as_of": self.as_of.isoformat(),
            "reasons": list(self.reasons),
            "cautions": list(self.cautions),
            "referrals": [asdict(r) for r in self.referrals],
            "max_subsidy": self.max_subsidy,
            "subsidy_items": list(self.subsidy_items),
            "bank_step": self.bank_step,
            "documents": list(self.documents),
            "plan_contents": list(self.plan_contents),
            "councils": list(self.councils),
        }


#: (Answers field, CLI flag, question) for each yes/no question, in the pamphlet's order. The CLI
#: and the web's interview both ask these, in this order, skipping what `relevant` rules out.
QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("has_borrowing", "--borrowing", "金融機関からの借入金がありますか"),
    ("needs_rescheduling", "--reschedule", "返済条件の変更（リスケ）など、金融機関の支援が必要ですか"),
    (
        "needs_forgiveness_or_gl",
        "--forgiveness",
        "債務減免（債権放棄等）や「中小企業の事業再生等に関するガイドライン」による再生を考えていますか",
    ),
    ("has_main_bank", "--main-bank", "メイン金融機関（主な取引金融機関）がありますか"),
    (
        "single_bank_unguaranteed_only",
        "--single-bank-unguaranteed-only",
        "借入は1つの金融機関からの、信用保証協会の保証がない融資だけですか",
    ),
    ("wants_guarantee_release", "--guarantee-release", "経営者保証の解除を金融機関と交渉したいですか"),
    ("succession_concern", "--succession", "事業承継（後継者・引継ぎ）についての悩みがありますか"),
)
#: Questions that may be left unanswered (they count as "no").
OPTIONAL_DEFAULT_NO = frozenset({"succession_concern"})
#: The choices of "これまでに利用した事業", with the words a person reads.
USED_BEFORE_LABELS: dict[str, str] = {
    "none": "利用したことはない",
    "early": "早期経営改善計画策定支援",
    "405": "経営改善計画策定支援（405事業）",
    "405-gl": "405事業 中小版GL枠",
}


def relevant(dest: str, values: dict[str, Any]) -> bool:
    """Whether a question matters given the answers so far (the pamphlet's flow).

    Without borrowing nothing about banks matters; without a need for financial support the
    forgiveness and single-bank questions do not change the answer. Irrelevant questions are
    not asked and count as "no".
    """
    if dest in ("needs_rescheduling", "has_main_bank", "wants_guarantee_release"):
        return bool(values.get("has_borrowing"))
    if dest in ("needs_forgiveness_or_gl", "single_bank_unguaranteed_only"):
        return bool(values.get("has_borrowing")) and bool(values.get("needs_rescheduling"))
    return True


def answers_from(values: dict[str, Any]) -> Answers:
    """`Answers` from the yes/no values given so far: a question that does not matter is "no".

    Why here: the CLI and the web both turn partial answers into the decision's input, and an
    answer kept from before a change (the web keeps them while one goes back) must not count
    once its question no longer matters.
    """
    kept: dict[str, Any] = {}
    for dest, _flag, _question in QUESTIONS:
        kept[dest] = bool(values.get(dest)) if relevant(dest, kept) else False
    return Answers(
        **kept,
        used_before=str(values.get("used_before", "none")),
        postal_code=values.get("postal_code") or None,
    )


YOROZU = "よろず支援拠点"
SUCCESSION = "事業承継・引継ぎ支援センター"


def advise(answers: Answers, on: dt.date) -> Advice:
    """Pick the programme that fits, with reasons, caps, bank step, documents and council."""
    if answers.used_before not in USED_BEFORE_CHOICES:
        raise KeieiInputError(
            "--used-before",
            f"選べる値は {', '.join(USED_BEFORE_CHOICES)} です（指定値: {answers.used_before!r}）",
            f"allowed: {', '.join(USED_BEFORE_CHOICES)}; got {answers.used_before!r}",
        )
    councils = _councils(answers.postal_code)
    reasons: list[str] = []
    cautions: list[str] = []
    referrals: list[Referral] = []
    if answers.succession_concern:
        referrals.append(Referral(SUCCESSION, "事業承継（親族内承継・第三者への引継ぎ）の相談ができます"))

    candidate = _candidate(answers, reasons)
    rules = _rules_or_none(candidate, on)
    if candidate is not None and rules is None:
        reasons.append(f"{PROGRAM_LABELS[candidate]}は {on.isoformat()} 時点ではまだ始まっていません")
        candidate = None

    if candidate is not None and rules is not None:
        candidate = _apply_eligibility(answers, rules, reasons, cautions, referrals)
    if candidate is None:
        if not any(r.name == YOROZU for r in referrals):
            referrals.append(Referral(YOROZU, "売上拡大や経営改善など、経営上のあらゆる相談ができます（無料）"))
        return Advice(None, None, on, tuple(reasons), tuple(cautions), tuple(referrals), 0, (), None, (), (), councils)

    assert rules is not None
    if not answers.has_main_bank:
        if answers.has_borrowing:
            cautions.append(
                "メイン金融機関（通常は借入残高が最も多い金融機関）を決め、事前に相談してください。"
                "利用申請にはメイン金融機関の確認（事前相談）が必要です"
            )
        elif candidate == "early":
            reasons.append("借入がない場合は、決済口座のある金融機関に事前相談書を依頼します")
    guarantee = answers.wants_guarantee_release and "guarantee_release" in rules.items
    if answers.wants_guarantee_release and not guarantee:
        cautions.append(f"{rules.label}には経営者保証解除の金融機関交渉費用の加算はありません")
    if guarantee:
        reasons.append(
            f"経営者保証解除の金融機関交渉費用（上限 {format_yen(rules.guarantee_release_cap())}）を"
            "上限額に加算できます（任意）"
        )
    items = tuple(
        {"item": i.key, "label": i.label, "cap": i.cap, "mandatory": i.mandatory}
        for i in rules.items.values()
        if i.key != "guarantee_release" or guarantee
    )
    max_subsidy = rules.max_subsidy(guarantee_release=guarantee)
    if rules.cumulative_cap is not None and answers.used_before in ("405", "405-gl"):
        cautions.append(f"前回の補助と合わせた累計上限は {format_yen(rules.cumulative_cap)} です")
        max_subsidy = min(max_subsidy, rules.cumulative_cap)
    return Advice(
        program=candidate,
        program_label=rules.label,
        as_of=on,
        reasons=tuple(reasons),
        cautions=tuple(cautions),
        referrals=tuple(referrals),
        max_subsidy=max_subsidy,
        subsidy_items=items,
        bank_step=BANK_STEP_TEXT.get(rules.bank_step.get("kind", ""), rules.bank_step.get("note")),
        documents=rules.application_documents,
        plan_contents=tuple(CONTENT_LABELS.get(c, c) for c in rules.required_contents),
        councils=councils,
    )


def _candidate(answers: Answers, reasons: list[str]) -> str | None:
    if answers.needs_forgiveness_or_gl:
        if not answers.has_borrowing:
            reasons.append("借入がないため、債務減免や中小版GLによる計画は対象になりません")
            return None
        reasons.append(
            "債務減免等を含む、または「中小企業の事業再生等に関するガイドライン」に基づく計画のため、"
            "405事業の中小版GL枠が該当します（DD・計画策定・伴走支援の補助）"
        )
        return "405-gl"
    if answers.needs_rescheduling:
        if not answers.has_borrowing:
            reasons.append("借入がないため、返済条件の変更を伴う405事業は対象になりません")
            return None
        reasons.append(
            "金融機関への返済条件の変更（リスケ）等の金融支援が必要なため、経営改善計画策定支援（405事業）が該当します"
        )
        return "405"
    if answers.has_borrowing:
        reasons.append("返済条件の変更が必要ないうちの早めの経営改善のため、早期経営改善計画策定支援が該当します")
    else:
        reasons.append("借入はありませんが、資金繰りや採算管理の見直しに早期経営改善計画策定支援を使えます")
    return "early"


def _rules_or_none(program: str | None, on: dt.date) -> ProgramRules | None:
    if program is None:
        return None
    try:
        return rules_for(program, on)
    except KeieiInputError:
        return None


def _apply_eligibility(
    answers: Answers,
    rules: ProgramRules,
    reasons: list[str],
    cautions: list[str],
    referrals: list[Referral],
) -> str | None:
    program = rules.program
    if rules.single_bank_unguaranteed_only_excluded and answers.single_bank_unguaranteed_only:
        reasons.append(
            f"借入が1つの金融機関からの保証協会の保証がない融資のみの場合、{rules.label}の対象外です。"
            "まずはメイン金融機関と協議会にご相談ください"
        )
        return None
    policy = rules.repeat_use.get("policy", "no_rule_recorded")
    same_family = answers.used_before == program or (
        program in ("405", "405-gl") and answers.used_before in ("405", "405-gl")
    )
    if same_family:
        if policy == "not_allowed":
            reasons.append(f"{rules.label}は2回目の利用ができません（{rules.as_of.isoformat()} 時点の規則）")
            if not answers.needs_rescheduling:
                referrals.append(Referral(YOROZU, "計画の実行や経営改善の継続的な相談ができます（無料）"))
            return None
        if policy == "exception_only":
            cautions.append(f"再度の利用は原則できません。{rules.repeat_use.get('condition', '')}")
        elif policy == "no_rule_recorded":
            cautions.append("再度の利用の可否は協議会に確認してください")
    return program


def _councils(postal_code: str | None) -> tuple[dict[str, Any], ...]:
    if not postal_code:
        return ()
    from keiei.councils.directory import find  # local: the directory loads its data lazily

    try:
        offices = find(postal_code)
    except KeieiInputError as exc:
        raise KeieiInputError("--postal-code", exc.message_ja, exc.message_en) from None
    return tuple(o.as_dict() for o in offices)
