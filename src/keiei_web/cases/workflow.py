"""The case state machine: states and the transitions between them, as data.

Why data: the same table drives the buttons a user sees, the refusal of an invalid
transition, the audit trail and docs/web.md, so they cannot disagree. Who may perform a
transition is decided in keiei_web.access (TRANSITION_ROLES), not here; what each transition
does is in keiei_web.cases.services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    CONSULTATION = "consultation", _("相談")
    APPLIED = "applied", _("利用申請")
    ACCEPTED = "accepted", _("受理")
    DRAFTING = "drafting", _("計画策定")
    BANK_MEETING = "bank_meeting", _("バンクミーティング")
    AGREED = "agreed", _("受取書・同意取得")
    PAYMENT_CLAIM = "payment_claim", _("支払申請")
    MONITORING = "monitoring", _("伴走支援")
    COMPLETED = "completed", _("完了")
    WITHDRAWN = "withdrawn", _("取下げ")
    LAPSED = "lapsed", _("失効")


#: The main line, in order (the progress bar on a case page).
MAIN_LINE: tuple[State, ...] = (
    State.CONSULTATION,
    State.APPLIED,
    State.ACCEPTED,
    State.DRAFTING,
    State.BANK_MEETING,
    State.AGREED,
    State.PAYMENT_CLAIM,
    State.MONITORING,
    State.COMPLETED,
)
TERMINAL: frozenset[State] = frozenset({State.COMPLETED, State.WITHDRAWN, State.LAPSED})
ACTIVE: frozenset[State] = frozenset(set(State) - TERMINAL)
#: States in which the application can lapse (accepted, plan payment not yet claimed).
LAPSABLE: frozenset[State] = frozenset({State.ACCEPTED, State.DRAFTING, State.BANK_MEETING, State.AGREED})
#: States in which the working plan may still be edited.
PLAN_EDITABLE: frozenset[State] = frozenset({State.CONSULTATION, State.APPLIED, State.ACCEPTED, State.DRAFTING})


def state_label(state: str, program: str) -> str:
    """The state's Japanese name; the bank step reads 受取書 (early) or 全行同意 (405)."""
    if state == State.AGREED:
        return str(_("受取書受領") if program == "early" else _("全行同意"))
    return str(State(state).label)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[State]
    target: State
    #: True when the system performs it (the last bank's receipt/consent), never a user's button.
    automatic: bool = False
    #: A comment is required (returns, refusals, withdrawals explain themselves).
    needs_comment: bool = False
    #: Shown in red: it ends or sets back the case.
    danger: bool = False

    @property
    def action(self) -> str:
        return f"transition:{self.name}"


TRANSITIONS: tuple[Transition, ...] = (
    Transition("apply", _("利用申請する"), frozenset({State.CONSULTATION}), State.APPLIED),
    Transition(
        "return_application",
        _("利用申請を差し戻す"),
        frozenset({State.APPLIED}),
        State.CONSULTATION,
        needs_comment=True,
        danger=True,
    ),
    Transition("accept", _("受理する"), frozenset({State.APPLIED}), State.ACCEPTED),
    Transition("start_drafting", _("計画策定を始める"), frozenset({State.ACCEPTED}), State.DRAFTING),
    Transition(
        "submit_to_banks",
        _("計画を金融機関に提出する（バンクミーティング）"),
        frozenset({State.DRAFTING}),
        State.BANK_MEETING,
    ),
    Transition(
        "agree",
        _("受取書・同意がそろう"),
        frozenset({State.BANK_MEETING}),
        State.AGREED,
        automatic=True,
    ),
    Transition(
        "revise",
        _("計画を修正する（策定に戻す）"),
        frozenset({State.BANK_MEETING, State.AGREED}),
        State.DRAFTING,
        needs_comment=True,
    ),
    Transition("claim_plan_payment", _("計画策定支援の支払申請をする"), frozenset({State.AGREED}), State.PAYMENT_CLAIM),
    Transition(
        "return_claim",
        _("支払申請を差し戻す"),
        frozenset({State.PAYMENT_CLAIM}),
        State.AGREED,
        needs_comment=True,
        danger=True,
    ),
    Transition(
        "approve_plan_payment",
        _("支払を承認し伴走支援を始める"),
        frozenset({State.PAYMENT_CLAIM}),
        State.MONITORING,
    ),
    Transition("complete", _("完了にする"), frozenset({State.MONITORING}), State.COMPLETED),
    Transition("withdraw", _("取り下げる"), ACTIVE, State.WITHDRAWN, needs_comment=True, danger=True),
    Transition("lapse", _("失効にする"), LAPSABLE, State.LAPSED, needs_comment=True, danger=True),
)
BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}
USER_TRANSITIONS: tuple[Transition, ...] = tuple(t for t in TRANSITIONS if not t.automatic)


def transitions_from(state: str) -> list[Transition]:
    """User transitions whose source includes `state` (automatic ones are never offered)."""
    return [t for t in USER_TRANSITIONS if state in t.sources]
