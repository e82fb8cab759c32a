"""No case leaks: every page and action about a case, for every role, against another party's case.

The URL patterns are enumerated from the URL resolver, so a page added later is covered
without editing this test; a new URL argument without sample values fails loudly here.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from keiei_web import access
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import TRANSITIONS

from .conftest import PASSWORD, World

CASE_KWARG = "case_id"

#: Users with no relation to the rich case (Osaka, company A, firm A, banks main + second).
OUTSIDERS = {
    "company": "company_b",  # another company in the same prefecture
    "adviser": "adviser_b",  # another adviser firm
    "bank": "bank_other",  # a bank that does not lend to company A
    "council": "council_tokyo",  # the council of another prefecture
}


def case_patterns() -> list[tuple[str, list[str]]]:
    """(url name, argument names) of every URL pattern that takes a case id."""
    found: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], namespaces: list[str], inherited: list[str]) -> None:
        for p in patterns:
            args = inherited + list(getattr(p.pattern, "converters", {}).keys())
            if isinstance(p, URLResolver):
                walk(p.url_patterns, namespaces + ([p.namespace] if p.namespace else []), args)
            elif isinstance(p, URLPattern) and CASE_KWARG in args and p.name:
                found.append((":".join([*namespaces, p.name]), args))

    walk(get_resolver().url_patterns, [], [])
    return found


def samples(case: Case) -> dict[str, list[Any]]:
    return {
        CASE_KWARG: [case.pk],
        "transition": [t.name for t in TRANSITIONS],
        "seq": list(case.sessions.values_list("seq", flat=True)[:2]),
        "claim_id": list(case.claims.values_list("pk", flat=True)),
        "upload_id": [_books_upload(case)],
        "number": list(case.plan_versions.values_list("number", flat=True)),
        "old": [1],
        "new": [2],
        "step": ["company"],
        # the plan's documents, every form (ZIP), one form (a bank's consent), a form the plan lacks
        "fmt": ["xlsx", "pdf", "forms", "form-2-consent-1", "form-9-unknown"],
    }


def _books_upload(case: Case) -> int:
    """A books upload of the case's first session (read and refused: its preview page shows why)."""
    from keiei_web.monitoring.models import BooksUpload

    row = case.books_uploads.first() or BooksUpload.objects.create(
        case=case, session=case.sessions.get(seq=1), filename="books.csv", sha256="0" * 64,
        storage_name="monitoring/books/none", status=BooksUpload.Status.FAILED, error="形式を判定できません",
    )  # fmt: skip
    return row.pk


def case_urls(case: Case) -> list[str]:
    values = samples(case)
    urls = []
    for name, args in case_patterns():
        missing = [a for a in args if a not in values or not values[a]]
        if missing:
            pytest.fail(f"URL {name} takes {missing}: add sample values to tests/web/test_no_case_leaks.py")
        for combo in itertools.product(*(values[a] for a in args)):
            urls.append(reverse(name, kwargs=dict(zip(args, combo, strict=True))))
    return urls


def login(user_name: str) -> Client:
    client = Client()
    assert client.login(username=user_name, password=PASSWORD)
    return client


def test_enumeration_finds_the_case_pages(rich_case: Case) -> None:
    names = {name for name, _ in case_patterns()}
    for expected in (
        "cases:detail",
        "cases:transition",
        "cases:bank_response",
        "plans:version",
        "plans:diff",
        "plans:download",
    ):
        assert expected in names
    assert len(case_urls(rich_case)) > 30


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_outsiders_get_404_on_every_case_url_get_and_post(world: World, rich_case: Case, role: str) -> None:
    user = world.user(OUTSIDERS[role])
    assert not access.in_scope(user, rich_case)
    client = login(user.username)
    for url in case_urls(rich_case):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 404, (role, method, url, response.status_code)
            assert rich_case.company.name not in response.content.decode(), (role, method, url)
    rich_case.refresh_from_db()
    assert rich_case.state == "monitoring"


def test_the_owner_does_see_the_case(world: World, rich_case: Case) -> None:
    """Control: the refusals above are about scope, not a broken page."""
    response = login("adviser_a").get(reverse("cases:detail", kwargs={CASE_KWARG: rich_case.pk}))
    assert response.status_code == 200
    assert rich_case.company.name in response.content.decode()


def test_anonymous_users_are_sent_to_login(rich_case: Case) -> None:
    client = Client()
    for url in case_urls(rich_case):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url


INSIDERS = ("company_a", "adviser_a", "council_osaka", "bank_main", "bank_second")


@pytest.mark.parametrize("user_name", INSIDERS)
def test_insiders_are_refused_transitions_their_role_may_not_do(world: World, rich_case: Case, user_name: str) -> None:
    user = world.user(user_name)
    client = login(user_name)
    for t in TRANSITIONS:
        if t.automatic or user.role in access.TRANSITION_ROLES[t.name]:
            continue
        url = reverse("cases:transition", kwargs={CASE_KWARG: rich_case.pk, "transition": t.name})
        for method in ("get", "post"):
            response = getattr(client, method)(
                url, *([{"on": "2025-09-01", "comment": "x"}] if method == "post" else [])
            )
            assert response.status_code == 403, (user_name, t.name, method, response.status_code)
    rich_case.refresh_from_db()
    assert rich_case.state == "monitoring"


@pytest.mark.parametrize("user_name", ("bank_main", "bank_second"))
def test_banks_are_refused_the_inside_pages(world: World, rich_case: Case, user_name: str) -> None:
    client = login(user_name)
    for name in ("cases:history", "cases:documents", "plans:edit_json"):
        assert client.get(reverse(name, kwargs={CASE_KWARG: rich_case.pk})).status_code == 403, name


@pytest.mark.parametrize("user_name", ("bank_main", "bank_second"))
def test_banks_are_refused_the_forms_not_addressed_to_them(world: World, rich_case: Case, user_name: str) -> None:
    """The rich case's plan names its banks unlike the web's (the 405 example): no form is a bank's own."""
    client = login(user_name)
    for number in rich_case.plan_versions.values_list("number", flat=True):
        for fmt in ("forms", "form-1-application", "form-2-consent-1", "form-2-consent-2", "form-3-payment-claim"):
            url = reverse("plans:download", kwargs={CASE_KWARG: rich_case.pk, "number": number, "fmt": fmt})
            assert client.get(url).status_code == 403, (user_name, url)


@pytest.mark.parametrize("user_name", INSIDERS)
def test_no_case_url_breaks_for_insiders(world: World, rich_case: Case, user_name: str) -> None:
    """Every page answers with a page, a refusal or a redirect, never an exception (the client raises)."""
    client = login(user_name)
    for url in case_urls(rich_case):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (200, 302, 403, 404, 409), (user_name, method, url, response.status_code)


def test_admin_shows_council_staff_only_their_prefecture(world: World, rich_case: Case) -> None:
    tokyo = login("council_tokyo")
    assert tokyo.get(reverse("admin:index")).status_code == 200
    listing = tokyo.get(reverse("admin:cases_case_changelist"))
    assert listing.status_code == 200 and rich_case.company.name not in listing.content.decode()
    for name in ("admin:cases_case_change", "admin:cases_case_history", "admin:cases_case_delete"):
        response = tokyo.get(reverse(name, args=[rich_case.pk]), follow=True)
        assert rich_case.company.name not in response.content.decode(), name
    events = tokyo.get(reverse("admin:cases_caseevent_changelist"))
    assert rich_case.company.name not in events.content.decode()
    osaka = login("council_osaka")
    assert rich_case.company.name in osaka.get(reverse("admin:cases_case_change", args=[rich_case.pk])).content.decode()


@pytest.mark.parametrize("user_name", ("company_a", "adviser_a", "bank_main"))
def test_admin_is_for_council_staff_only(world: World, user_name: str) -> None:
    response = login(user_name).get(reverse("admin:cases_case_changelist"))
    assert response.status_code == 302  # to the admin login: not staff


def test_admin_companies_and_user_forms_are_scoped_to_the_prefecture(world: World, rich_case: Case) -> None:
    tokyo = login("council_tokyo")
    companies = tokyo.get(reverse("admin:accounts_company_changelist")).content.decode()
    assert "株式会社ティー" in companies and rich_case.company.name not in companies
    add_user = tokyo.get(reverse("admin:accounts_user_add")).content.decode()
    assert "東京都中小企業活性化協議会" in add_user and "大阪府中小企業活性化協議会" not in add_user
    assert rich_case.company.name not in add_user


def test_admin_users_list_is_scoped_to_the_prefecture(world: World, rich_case: Case) -> None:
    """Advisers and bank users are listed only where their firm or bank is on one of the council's
    cases (Tokyo has none): a firm or bank is national, its users see every prefecture's cases."""
    users = login("council_tokyo").get(reverse("admin:accounts_user_changelist") + "?all=").content.decode()
    assert "company_a" not in users and "council_osaka" not in users
    assert "adviser_a" not in users and "bank_main" not in users
    users = login("council_osaka").get(reverse("admin:accounts_user_changelist") + "?all=").content.decode()
    assert "adviser_a" in users and "bank_main" in users and "company_a" in users
    assert "adviser_b" not in users and "bank_other" not in users and "council_tokyo" not in users


# --- every download ------------------------------------------------------------------------------
#
# The plan's documents (xlsx, pdf, the forms ZIP, each form the version's plan has), the plan
# exports (YAML and JSON, the draft and each version) and the council's CSV, for each outsider
# role and for each bank on the case. Building a document takes a fraction of a second and is not
# what is tested here: `doccache.get_or_build` is replaced by a stub, so every permitted download
# answers 200 at once while every refusal happens, as in production, before anything is built.

STUB = b"%stub-document%"


@pytest.fixture
def no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    from keiei_web.plans import doccache

    monkeypatch.setattr(doccache, "get_or_build", lambda key, build, check: STUB)


@pytest.fixture
def early_case(world: World) -> Case:
    """An early case at the bank meeting: version 1 went to the main bank only; セカンド信用金庫 lends
    but receives no plan (in early only the main bank issues the 受取書)."""
    from keiei_web.cases.workflow import State

    from .conftest import advance, new_case

    return advance(world, new_case(world, "early", company="b", banks=("main", "second")), State.BANK_MEETING)


def form_keys(case: Case, number: int) -> list[str]:
    """Every form the version's plan has (as the core lists them), and one it does not."""
    from keiei.documents import form_docs
    from keiei.plan import parse_plan

    version = case.plan_versions.get(number=number)
    return [d.key for d in form_docs(parse_plan(version.data, "v"))] + ["form-9-unknown"]


def downloads(case: Case) -> dict[str, str]:
    """kind → URL for every download of the case: `v<N>:<fmt>`, `export:<fmt>:v<N>`, `export:<fmt>:draft`."""
    found: dict[str, str] = {}
    for number in case.plan_versions.values_list("number", flat=True):
        for fmt in ["xlsx", "pdf", "forms", *form_keys(case, number)]:
            found[f"v{number}:{fmt}"] = reverse(
                "plans:download", kwargs={CASE_KWARG: case.pk, "number": number, "fmt": fmt}
            )
        for fmt in ("yaml", "json"):
            found[f"export:{fmt}:v{number}"] = (
                reverse("plans:export", kwargs={CASE_KWARG: case.pk}) + f"?format={fmt}&version={number}"
            )
    for fmt in ("yaml", "json"):
        found[f"export:{fmt}:draft"] = reverse("plans:export", kwargs={CASE_KWARG: case.pk}) + f"?format={fmt}"
    return found


def test_downloads_enumerate_every_form(rich_case: Case, early_case: Case) -> None:
    kinds = set(downloads(rich_case))
    assert {"v1:form-1-application", "v2:form-2-consent-1", "v2:form-4-monitoring-report"} <= kinds
    assert {"export:yaml:v1", "export:json:v2", "export:json:draft"} <= kinds
    assert "v1:form-2-receipt" in downloads(early_case)


@pytest.mark.parametrize("role", sorted(OUTSIDERS))
def test_outsiders_download_nothing(
    world: World, rich_case: Case, early_case: Case, no_building: None, role: str
) -> None:
    user = world.user(OUTSIDERS[role])
    client = login(user.username)
    for case in (rich_case, early_case):
        if access.in_scope(user, case):  # bank_other lends to neither; company_b owns the early case
            continue
        for kind, url in downloads(case).items():
            response = client.get(url)
            assert response.status_code == 404, (role, kind, response.status_code)
            assert STUB not in response.content and case.company.name not in response.content.decode()
    csv = client.get(reverse("council:export_csv"))
    if user.role == "council":
        body = csv.content.decode("utf-8-sig")
        assert csv.status_code == 200 and rich_case.company.name not in body and rich_case.reference not in body
    else:
        assert csv.status_code == 403, role


#: What each bank on a case gets, stated here rather than computed by access.py: the workbook and
#: the plan PDF of the versions sent to it, their YAML/JSON; never the draft, the forms ZIP, a form
#: not addressed to it (these plans name their banks unlike the web's banks, so none is), the CSV.
def bank_expectation(kind: str, sent: set[int]) -> int:
    if kind.startswith("export:"):
        target = kind.rsplit(":", 1)[1]
        return 403 if target == "draft" else (200 if int(target[1:]) in sent else 404)
    number, fmt = kind.split(":", 1)
    if int(number[1:]) not in sent:
        return 404
    if fmt in ("xlsx", "pdf"):
        return 200
    return 404 if fmt == "form-9-unknown" else 403


@pytest.mark.parametrize(
    ("case_name", "user_name", "sent"),
    [
        ("rich", "bank_main", {1, 2}),
        ("rich", "bank_second", {1, 2}),
        ("early", "bank_main", {1}),
        ("early", "bank_second", set()),
    ],
)
def test_each_bank_downloads_only_what_was_sent_to_it(
    world: World, rich_case: Case, early_case: Case, no_building: None, case_name: str, user_name: str, sent: set[int]
) -> None:
    case = rich_case if case_name == "rich" else early_case
    other = early_case if case is rich_case else rich_case
    client = login(user_name)
    for kind, url in downloads(case).items():
        response = client.get(url)
        assert response.status_code == bank_expectation(kind, sent), (user_name, kind, response.status_code)
        if response.status_code != 200:
            assert STUB not in response.content
        assert other.company.name not in response.content.decode(errors="replace"), kind
    assert client.get(reverse("council:export_csv")).status_code == 403


@pytest.mark.parametrize("user_name", ("company_a", "adviser_a", "council_osaka"))
def test_insiders_download_everything(world: World, rich_case: Case, no_building: None, user_name: str) -> None:
    """Control: the refusals above are about scope and addressee, not broken downloads."""
    client = login(user_name)
    for kind, url in downloads(rich_case).items():
        expected = 404 if kind.endswith("form-9-unknown") else 200
        assert client.get(url).status_code == expected, (user_name, kind)
