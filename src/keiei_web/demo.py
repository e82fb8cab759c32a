"""Demo data for a first start: one council, two advisers, three companies, three banks, and
cases in several states, built by replaying each case's history through the real services
(so the audit trail, plan versions, bank answers and claims are exactly what users would make).

Dates are relative to "today", so deadlines look alive whenever the demo is loaded: the 405
case of 浪速精工 is past its two-year lapse date (highlighted), the banks have answers pending,
and the council has an application to accept.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth import get_user_model
from django.db import transaction

from keiei.councils.directory import find
from keiei.plan.references import rename_banks
from keiei_web import clock
from keiei_web.accounts.choices import ROLE_ORGANISATION_FIELD, Role
from keiei_web.accounts.models import AdviserFirm, Bank, Company, Council, User
from keiei_web.cases import services
from keiei_web.cases.models import Case, CaseBank, CaseEvent, Program
from keiei_web.plans import planfile

DEMO_PASSWORD = "keiei-demo"
DEMO_PREFECTURE = "大阪府"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    organisation: str
    name: str


#: (username, role, organisation key, last name, first name)
DEMO_USERS: tuple[tuple[str, Role, str, str, str], ...] = (
    ("council", Role.COUNCIL, "council", "大川", "統括"),
    ("adviser1", Role.ADVISER, "firm1", "山本", "税理士"),
    ("adviser2", Role.ADVISER, "firm2", "中村", "診断士"),
    ("company1", Role.COMPANY, "aoba", "青葉", "社長"),
    ("company2", Role.COMPANY, "naniwa", "浪速", "社長"),
    ("company3", Role.COMPANY, "minato", "港", "社長"),
    ("bank1", Role.BANK, "sakura", "桜井", "融資課"),
    ("bank2", Role.BANK, "naniwa_shinkin", "難波", "融資課"),
    ("bank3", Role.BANK, "yodogawa", "淀", "審査部"),
)


#: Copies of examples/405-manufacturer.yaml and examples/early-restaurant.yaml (the installed
#: package has no examples/ folder; tests/web/test_demo.py keeps them identical to examples/).
DEMO_PLANS = Path(__file__).resolve().parent / "cases" / "demo_plans"


def example_plan(filename: str, company_name: str, bank_names: Sequence[str] = ()) -> dict[str, Any]:
    """An example plan file read exactly as the import page reads it, under the demo company's name.

    `bank_names` (the case's main bank first) rename the plan's banks in order, main first: a
    bank reading the demo plan finds itself in it under its own name, and may download the
    同意書 addressed to it (`access.may_download_form` matches by name).
    """
    path = DEMO_PLANS / filename
    data = planfile.read_upload(path.name, path.read_bytes())
    data["company"]["name"] = company_name
    banks = sorted(data.get("banks") or [], key=lambda b: not b.get("main"))
    rename_banks(data, {bank["name"]: name for bank, name in zip(banks, bank_names, strict=False)})
    return data


def _users(orgs: dict[str, Any]) -> dict[str, User]:
    out = {}
    for username, role, org, last, first in DEMO_USERS:
        user = User(
            username=username,
            role=role,
            last_name=last,
            first_name=first,
            is_staff=role == Role.COUNCIL,
            **{ROLE_ORGANISATION_FIELD[role]: orgs[org]},
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        out[username] = user
    return out


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _at(day: dt.date, func: Callable[_P, _R], *args: _P.args, **kwargs: _P.kwargs) -> _R:
    """Call `func` as if today were `day`: the history is replayed with the dates it would have had."""
    with clock.frozen(day):
        return func(*args, **kwargs)


def demo_users_present() -> list[str]:
    """Usernames of the demo accounts that exist (their password is published in the README)."""
    names = [username for username, *_rest in DEMO_USERS]
    return sorted(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))


class DemoUsersPresent(Exception):
    """Production settings with demo accounts in the database: refuse to serve."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        super().__init__(f"demo accounts present under production settings: {', '.join(self.names)}")

    @property
    def message_ja(self) -> str:
        return (
            f"デモのアカウント（{'、'.join(self.names)}）が残っているため、本番の設定では起動しません。"
            "パスワードが公開されているアカウントです。管理画面で削除するか、ユーザー名とパスワードを変えてから起動してください。"
        )


def refuse_demo_users() -> None:
    """Raise DemoUsersPresent when the settings forbid demo accounts (production) and one exists."""
    from django.conf import settings

    if getattr(settings, "KEIEI_REFUSE_DEMO_USERS", False):
        names = demo_users_present()
        if names:
            raise DemoUsersPresent(names)


def _answer(case: Case, user: User, kind: str, comment: str, on: dt.date) -> CaseEvent:
    """A bank's answer to the version it is asked about (what its answer form would show)."""
    version = services.version_to_answer(case, user)
    assert version is not None
    return services.bank_respond(case, user, kind, comment, on, version=version.number, sha256=version.sha256)


def needs_demo() -> bool:
    """First start: no user and no case yet."""
    return not (get_user_model().objects.exists() or Case.objects.exists())


def load_if_empty(today: dt.date | None = None) -> bool:
    if not needs_demo():
        return False
    load(today or clock.today())
    return True


@transaction.atomic
def load(today: dt.date) -> None:
    office = find(DEMO_PREFECTURE)[0]
    council = Council.objects.create(prefecture=office.prefecture, name=office.council, operator=office.operator)
    orgs: dict[str, Any] = {
        "council": council,
        "firm1": AdviserFirm.objects.create(name="やまと会計事務所", certification_number="デモ-0001"),
        "firm2": AdviserFirm.objects.create(
            name="みらい経営コンサルティング株式会社", certification_number="デモ-0002"
        ),
        "aoba": Company.objects.create(
            name="株式会社あおば食品", prefecture=DEMO_PREFECTURE, fiscal_year_end_month=3, representative="青葉 太郎"
        ),
        "naniwa": Company.objects.create(
            name="浪速精工株式会社", prefecture=DEMO_PREFECTURE, fiscal_year_end_month=9, representative="浪速 一郎"
        ),
        "minato": Company.objects.create(
            name="有限会社みなと運送", prefecture=DEMO_PREFECTURE, fiscal_year_end_month=12, representative="港 健二"
        ),
        "sakura": Bank.objects.create(name="さくら中央銀行"),
        "naniwa_shinkin": Bank.objects.create(name="なにわ信用金庫"),
        "yodogawa": Bank.objects.create(name="淀川商工信用組合"),
    }
    users = _users(orgs)
    _early_case(today, orgs, users)
    _405_case(today, orgs, users)
    _applied_case(today, orgs, users)


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def _early_case(today: dt.date, orgs: dict[str, Any], users: dict[str, User]) -> None:
    """あおば食品, early: receipt from the main bank, plan claim paid, monitoring under way."""
    adviser, council = users["adviser1"], users["council"]

    def d(n: int) -> dt.date:
        return _days(today, n)

    case = _at(
        d(300),
        services.create_case,
        adviser,
        company=orgs["aoba"],
        program=Program.EARLY,
        consulted_on=d(300),
        main_bank=orgs["sakura"],
        other_banks=[orgs["naniwa_shinkin"]],
        estimated_fees={"plan": 240_000, "monitoring_mid": 60_000, "monitoring_end": 60_000},
    )
    CaseBank.objects.filter(case=case, bank=orgs["sakura"]).update(balance=38_000_000)
    CaseBank.objects.filter(case=case, bank=orgs["naniwa_shinkin"]).update(balance=9_000_000)
    _at(d(290), services.perform, case, "apply", adviser, on=d(290))
    _at(d(280), services.perform, case, "accept", council, on=d(280))
    _at(d(279), services.perform, case, "start_drafting", adviser, on=d(279))
    plan = example_plan("early-restaurant.yaml", orgs["aoba"].name, [orgs["sakura"].name])
    _at(d(240), services.save_plan, case, adviser, plan)
    _at(d(220), services.perform, case, "submit_to_banks", adviser, on=d(220))
    _at(d(215), _answer, case, users["bank1"], "receipt", "計画書を受領しました。", d(215))
    _at(
        d(200),
        services.perform,
        case,
        "claim_plan_payment",
        adviser,
        on=d(200),
        data={
            "fees": {"plan": 240_000},
            "transfer_on": d(205),
            "transfer_amount": 90_000,
            "monitoring_interval_months": 4,
        },
    )
    _at(d(190), services.perform, case, "approve_plan_payment", council, on=d(190))
    case.refresh_from_db()
    first = case.sessions.order_by("seq").first()
    if first is not None and first.due_on <= today:
        report_day = min(today, first.due_on + dt.timedelta(days=3))
        from keiei_web.monitoring.demo import import_sample

        _at(report_day, import_sample, case, first, adviser)
        _at(
            report_day,
            services.report_monitoring,
            case,
            first,
            adviser,
            on=report_day,
            summary="月次試算表で売上は計画比98%。価格改定は8品目中6品目で実施済み。残り2品目は来月交渉。",
            fee=60_000,
            transfer_on=report_day,
            transfer_amount=20_000,
        )
        claim = case.claims.filter(kind="monitoring").first()
        if claim is not None:
            _at(report_day, services.approve_claim, case, claim, council, on=report_day)


def _405_case(today: dt.date, orgs: dict[str, Any], users: dict[str, User]) -> None:
    """浪速精工, 405: three lending banks; plan revised after a decline; past the lapse date."""
    adviser, council = users["adviser1"], users["council"]

    def d(n: int) -> dt.date:
        return _days(today, n)

    case = _at(
        d(760),
        services.create_case,
        adviser,
        company=orgs["naniwa"],
        program=Program.P405,
        consulted_on=d(760),
        main_bank=orgs["sakura"],
        other_banks=[orgs["naniwa_shinkin"], orgs["yodogawa"]],
        estimated_fees={"plan": 2_400_000, "monitoring": 900_000},
    )
    for bank, balance in (("sakura", 120_000_000), ("naniwa_shinkin", 45_000_000), ("yodogawa", 20_000_000)):
        CaseBank.objects.filter(case=case, bank=orgs[bank]).update(balance=balance)
    _at(d(750), services.perform, case, "apply", adviser, on=d(750))
    _at(d(740), services.perform, case, "accept", council, on=d(740))
    _at(d(739), services.perform, case, "start_drafting", adviser, on=d(739))
    plan = example_plan(
        "405-manufacturer.yaml",
        orgs["naniwa"].name,
        [orgs["sakura"].name, orgs["naniwa_shinkin"].name, orgs["yodogawa"].name],
    )
    _at(d(80), services.save_plan, case, adviser, plan)
    _at(d(60), services.perform, case, "submit_to_banks", adviser, on=d(60), comment="第1回バンクミーティング")
    _at(d(55), _answer, case, users["bank1"], "consent", "", d(55))
    _at(
        d(50),
        _answer,
        case,
        users["bank3"],
        "decline",
        "2年目の売上増加の根拠が弱い。受注見込みの内訳を示してください。",
        d(50),
    )
    _at(
        d(45),
        services.perform,
        case,
        "revise",
        adviser,
        on=d(45),
        comment="淀川商工信用組合の意見を受けて売上計画を見直す",
    )
    revised = copy.deepcopy(plan)
    # bank3 found year 2's growth of 産業機械部品 too optimistic: the revision tempers it
    revised["drivers"]["sales"]["segments"][1]["growth"] = [0.04, 0.03, 0.03, 0.03, 0.03]
    _at(d(30), services.save_plan, case, adviser, revised)
    _at(d(20), services.perform, case, "submit_to_banks", adviser, on=d(20), comment="第2回バンクミーティング")
    _at(d(15), _answer, case, users["bank1"], "consent", "修正後の計画に同意します。", d(15))


def _applied_case(today: dt.date, orgs: dict[str, Any], users: dict[str, User]) -> None:
    """みなと運送, 405, adviser 2: the application waits for the council's acceptance."""
    adviser = users["adviser2"]

    def d(n: int) -> dt.date:
        return _days(today, n)

    case = _at(
        d(30),
        services.create_case,
        adviser,
        company=orgs["minato"],
        program=Program.P405,
        consulted_on=d(30),
        main_bank=orgs["naniwa_shinkin"],
        other_banks=[orgs["yodogawa"]],
        estimated_fees={"plan": 1_800_000, "monitoring": 600_000},
    )
    _at(d(5), services.perform, case, "apply", users["company3"], on=d(5))


def logins() -> list[DemoLogin]:
    """The demo accounts that still exist, with their initial password (for the start banner)."""
    User = get_user_model()
    out = []
    for username, role, _org, last, first in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        out.append(
            DemoLogin(username, DEMO_PASSWORD, str(Role(role).label), str(user.organisation or ""), f"{last} {first}")
        )
    return out
