"""Fixtures for the web tests: two prefectures' worth of organisations and users, and a helper
that drives a case through the real services to any state, on fixed dates.

Nothing reads the real date: KEIEI_TODAY is fixed for every test, and every service call
passes its business date.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from keiei_web.accounts.choices import Role
from keiei_web.accounts.models import AdviserFirm, Bank, Company, Council, User
from keiei_web.cases import services
from keiei_web.cases.models import Case, CaseBank
from keiei_web.cases.workflow import State
from keiei_web.plans import doccache, planfile
from keiei_web.plans.doccache import DocumentStore

TODAY = dt.date(2025, 10, 1)
D0 = dt.date(2025, 4, 1)  # consultation day of the standard cases
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def _fixed_today(settings: Any) -> None:
    settings.KEIEI_TODAY = TODAY.isoformat()


@dataclass
class World:
    councils: dict[str, Council] = field(default_factory=dict)
    firms: dict[str, AdviserFirm] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    banks: dict[str, Bank] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        return self.users[name]


def make_user(username: str, role: str, **org: Any) -> User:
    user = User(username=username, role=role, last_name=username, is_staff=role == Role.COUNCIL, **org)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def fresh_documents_cache() -> Iterator[DocumentStore]:
    """The store of built documents (in memory in the tests), emptied before and after the test.

    The test settings keep built documents for the whole run (settings/test.py), so a test
    that counts builds, replaces a builder or plants a cached body must start from empty —
    and must not leave its fake bodies for the next test.
    """
    store = doccache.store()
    store.clear()
    yield store
    store.clear()


@pytest.fixture
def world(db: Any) -> World:
    w = World()
    w.councils["osaka"] = Council.objects.create(prefecture="大阪府", name="大阪府中小企業活性化協議会")
    w.councils["tokyo"] = Council.objects.create(prefecture="東京都", name="東京都中小企業活性化協議会")
    w.firms["a"] = AdviserFirm.objects.create(name="A会計事務所")
    w.firms["b"] = AdviserFirm.objects.create(name="B経営研究所")
    w.companies["a"] = Company.objects.create(name="株式会社エー", prefecture="大阪府", fiscal_year_end_month=3)
    w.companies["b"] = Company.objects.create(name="株式会社ビー", prefecture="大阪府", fiscal_year_end_month=9)
    w.companies["t"] = Company.objects.create(name="株式会社ティー", prefecture="東京都", fiscal_year_end_month=12)
    w.banks["main"] = Bank.objects.create(name="メイン銀行")
    w.banks["second"] = Bank.objects.create(name="セカンド信用金庫")
    w.banks["other"] = Bank.objects.create(name="よその銀行")
    w.users["council_osaka"] = make_user("council_osaka", Role.COUNCIL, council=w.councils["osaka"])
    w.users["council_tokyo"] = make_user("council_tokyo", Role.COUNCIL, council=w.councils["tokyo"])
    w.users["adviser_a"] = make_user("adviser_a", Role.ADVISER, adviser_firm=w.firms["a"])
    w.users["adviser_b"] = make_user("adviser_b", Role.ADVISER, adviser_firm=w.firms["b"])
    w.users["company_a"] = make_user("company_a", Role.COMPANY, company=w.companies["a"])
    w.users["company_b"] = make_user("company_b", Role.COMPANY, company=w.companies["b"])
    w.users["bank_main"] = make_user("bank_main", Role.BANK, bank=w.banks["main"])
    w.users["bank_second"] = make_user("bank_second", Role.BANK, bank=w.banks["second"])
    w.users["bank_other"] = make_user("bank_other", Role.BANK, bank=w.banks["other"])
    return w


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example_plan(name: str) -> dict[str, Any]:
    """examples/<name> as the import page stores it (JSON values)."""
    path = EXAMPLES / name
    return planfile.read_upload(path.name, path.read_bytes())


#: A valid plan file (the 405 example) and a revision of it: a later segment's growth and one
#: more action.
PLAN_V1 = example_plan("405-manufacturer.yaml")
PLAN_V2 = copy.deepcopy(PLAN_V1)
PLAN_V2["drivers"]["sales"]["segments"][1]["growth"][1] = 0.03
PLAN_V2["action_plan"][1]["measure"] = "外注加工の内製化（前倒し）"
#: The same for an early case (a submission refuses a plan of another programme).
EARLY_PLAN_V1 = example_plan("early-restaurant.yaml")
EARLY_PLAN_V2 = copy.deepcopy(EARLY_PLAN_V1)
EARLY_PLAN_V2["action_plan"][0]["measure"] = "仕込みの見直し（前倒し）"


def plans_for(program: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The first plan and its revision that `advance` saves for a case of `program`."""
    return (EARLY_PLAN_V1, EARLY_PLAN_V2) if program == "early" else (PLAN_V1, PLAN_V2)


#: The order states are reached on the main line, with the business date of each step.
STEP_DATES = {
    State.APPLIED: D0 + dt.timedelta(days=5),
    State.ACCEPTED: D0 + dt.timedelta(days=10),
    State.DRAFTING: D0 + dt.timedelta(days=11),
    State.BANK_MEETING: D0 + dt.timedelta(days=60),
    State.AGREED: D0 + dt.timedelta(days=65),
    State.PAYMENT_CLAIM: D0 + dt.timedelta(days=70),
    State.MONITORING: D0 + dt.timedelta(days=80),
}
PLAN_FEES = {"early": {"plan": 240_000}, "405": {"plan": 2_400_000}, "405-gl": {"dd": 3_000_000, "plan": 3_000_000}}


def new_case(
    w: World,
    program: str = "405",
    *,
    company: str = "a",
    adviser: str = "adviser_a",
    banks: tuple[str, ...] = ("main", "second"),
) -> Case:
    return services.create_case(
        w.user(adviser),
        company=w.companies[company],
        program=program,
        consulted_on=D0,
        main_bank=w.banks[banks[0]],
        other_banks=[w.banks[b] for b in banks[1:]],
        estimated_fees=dict(PLAN_FEES[program]),
    )


def bank_user_for(w: World, cb: CaseBank) -> User:
    return next(u for u in w.users.values() if u.role == Role.BANK and u.bank_id == cb.bank_id)


def bank_answer(case: Case, user: User, kind: str, comment: str, on: dt.date) -> Any:
    """A bank's answer to the version it is asked about, as its answer form would post it."""
    version = services.version_to_answer(case, user)
    number, sha256 = (version.number, version.sha256) if version else (1, "0" * 64)
    return services.bank_respond(case, user, kind, comment, on, version=number, sha256=sha256)


def advance(
    w: World,
    case: Case,
    to: State,
    *,
    adviser: str = "adviser_a",
    council: str = "council_osaka",
    revise_once: bool = False,
) -> Case:
    """Drive `case` along the main line until it is in state `to` (through the real services)."""
    a, c = w.user(adviser), w.user(council)
    order = [
        State.APPLIED,
        State.ACCEPTED,
        State.DRAFTING,
        State.BANK_MEETING,
        State.AGREED,
        State.PAYMENT_CLAIM,
        State.MONITORING,
    ]
    case.refresh_from_db()
    start = order.index(State(case.state)) + 1 if case.state in order else 0
    for state in order[start:]:
        case.refresh_from_db()
        if case.state == to:
            break
        on = STEP_DATES[state]
        if state == State.APPLIED:
            services.perform(case, "apply", a, on=on)
        elif state == State.ACCEPTED:
            services.perform(case, "accept", c, on=on)
        elif state == State.DRAFTING:
            services.perform(case, "start_drafting", a, on=on)
            services.save_plan(case, a, plans_for(case.program)[0])
        elif state == State.BANK_MEETING:
            services.perform(case, "submit_to_banks", a, on=on - dt.timedelta(days=20) if revise_once else on)
            if revise_once:
                services.perform(case, "revise", a, on=on - dt.timedelta(days=10), comment="銀行の意見で修正")
                services.save_plan(case, a, plans_for(case.program)[1])
                services.perform(case, "submit_to_banks", a, on=on)
        elif state == State.AGREED:
            kind = "receipt" if case.program == "early" else "consent"
            for cb in services.required_banks(case):
                bank_answer(case, bank_user_for(w, cb), kind, "", on)
        elif state == State.PAYMENT_CLAIM:
            fees = PLAN_FEES[case.program]
            from keiei_web.cases.payments import plan_claim

            share = plan_claim(case, fees).company_share
            services.perform(
                case,
                "claim_plan_payment",
                a,
                on=on,
                data={
                    "fees": fees,
                    "transfer_on": on - dt.timedelta(days=1),
                    "transfer_amount": share,
                    "monitoring_interval_months": 6,
                },
            )
        elif state == State.MONITORING:
            services.perform(case, "approve_plan_payment", c, on=on)
    case.refresh_from_db()
    assert case.state == to, (case.state, to)
    return case


def give_report(session: Any) -> None:
    """A stored 伴走支援レポート for `session`: a monitoring claim needs one (issue 13). For tests
    about claims and the workflow, not about the figures (tests/web/test_monitoring_web.py)."""
    from keiei_web.monitoring.models import SessionReport

    SessionReport.objects.update_or_create(session=session, defaults={"case": session.case, "data": {"stub": True}})


@pytest.fixture
def rich_case(world: World) -> Case:
    """A 405 case in monitoring with two plan versions, sessions and an approved monitoring claim."""
    case = advance(world, new_case(world, "405"), State.MONITORING, revise_once=True)
    session = case.sessions.get(seq=1)
    give_report(session)
    services.report_monitoring(
        case,
        session,
        world.user("adviser_a"),
        on=session.due_on,
        summary="計画どおり",
        fee=150_000,
        transfer_on=session.due_on,
        transfer_amount=50_000,
    )
    claim = case.claims.get(kind="monitoring")
    services.approve_claim(case, claim, world.user("council_osaka"), on=session.due_on + dt.timedelta(days=5))
    return case
