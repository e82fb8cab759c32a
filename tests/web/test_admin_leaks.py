"""No leak through the Django admin: every registered model, every admin page, for every role.

Two prefectures, each with a case: Osaka (company A, adviser firm A, banks メイン銀行 and
セカンド信用金庫) and Tokyo (company T, adviser firm B, bank よその銀行). Each council's staff
enumerates the admin — every registered model's changelist (plain, searched, filtered), add
page, and the change / history / delete / password / view-on-site pages of every object
outside its scope, the autocomplete of every relation, bulk actions — and must find no name
of the other prefecture's cases, organisations or users, get 403/404/302 for the objects, and
change nothing with any POST. The registered admins are read from `admin.site`, so a model
registered later is covered without editing this test.

The rule (keiei_web.access, "the Django admin"): adviser firms and banks are national, so a
user attached to one sees its cases in every prefecture; council staff therefore never create
or change adviser or bank users nor the firms and banks, and see only those involved in their
own prefecture's cases (read-only). They manage the company users of their prefecture's
companies and their own council's staff, never is_staff/is_superuser.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter, RelatedOnlyFieldListFilter
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from keiei_web.accounts.choices import Role
from keiei_web.accounts.models import AdviserFirm, Bank, Company, Council, User
from keiei_web.cases.models import Case, CaseEvent
from keiei_web.cases.workflow import State

from .conftest import PASSWORD, World, advance, make_user, new_case

OUR_APPS = ("accounts", "cases", "plans")
SUPERUSER = "ops_superuser"


@pytest.fixture
def two_prefectures(world: World, rich_case: Case) -> dict[str, Any]:
    """The rich Osaka case plus a Tokyo case (company T, firm B, bank よその銀行) in monitoring, so
    every registered model has objects on both sides."""
    world.users["company_t"] = make_user("company_t", Role.COMPANY, company=world.companies["t"])
    world.users["council_osaka_clerk"] = make_user("council_osaka_clerk", Role.COUNCIL, council=world.councils["osaka"])
    User.objects.filter(pk=world.users["council_osaka_clerk"].pk).update(is_staff=False)
    root = User(username=SUPERUSER, last_name=SUPERUSER, is_staff=True, is_superuser=True)
    root.set_password(PASSWORD)
    root.save()
    world.users[SUPERUSER] = root
    tokyo_case = advance(
        world,
        new_case(world, "early", company="t", adviser="adviser_b", banks=("other",)),
        State.MONITORING,
        adviser="adviser_b",
        council="council_tokyo",
    )
    return {"osaka": rich_case, "tokyo": tokyo_case}


#: For each council's staff: the strings of the other prefecture that must never appear.
FOREIGN = {
    "council_tokyo": [
        "株式会社エー",
        "株式会社ビー",
        "大阪府中小企業活性化協議会",
        "A会計事務所",
        "メイン銀行",
        "セカンド信用金庫",
        "company_a",
        "company_b",
        "council_osaka",
        "adviser_a",
        "bank_main",
        "bank_second",
        SUPERUSER,
    ],
    "council_osaka": [
        "株式会社ティー",
        "東京都中小企業活性化協議会",
        "B経営研究所",
        "よその銀行",
        "company_t",
        "council_tokyo",
        "adviser_b",
        "bank_other",
        SUPERUSER,
    ],
}


def in_scope_pks(council_user: User, w: World, cases: dict[str, Any]) -> dict[type[models.Model], set[int]]:
    """The objects this council's staff may see at all, stated independently of access.py."""
    own = cases["osaka"] if council_user.council_id == w.councils["osaka"].pk else cases["tokyo"]
    own_case = Case.objects.get(pk=own.pk)
    prefecture = own_case.council.prefecture
    firms = {own_case.adviser_firm_id}
    banks = set(own_case.banks.values_list("bank_id", flat=True))
    users = set(
        User.objects.filter(is_superuser=False)
        .filter(
            models.Q(role=Role.COMPANY, company__prefecture=prefecture)
            | models.Q(role=Role.COUNCIL, council_id=own_case.council_id)
            | models.Q(role=Role.ADVISER, adviser_firm_id__in=firms)
            | models.Q(role=Role.BANK, bank_id__in=banks)
        )
        .values_list("pk", flat=True)
    )
    return {
        Case: {own_case.pk},
        Company: set(Company.objects.filter(prefecture=prefecture).values_list("pk", flat=True)),
        AdviserFirm: firms,
        Bank: banks,
        Council: {own_case.council_id},
        User: users,
    }


def registered() -> list[tuple[type[models.Model], admin.ModelAdmin[Any]]]:
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label in OUR_APPS]


def outside_objects(model: type[models.Model], scope: dict[type[models.Model], set[int]]) -> list[models.Model]:
    """Every object of `model` the council user must not reach."""
    if model in scope:
        return list(model._default_manager.exclude(pk__in=scope[model]))
    case_field = next((f for f in model._meta.get_fields() if f.name == "case"), None)
    assert case_field is not None, f"{model.__name__}: say in this test what its scope is"
    return list(model._default_manager.exclude(case_id__in=scope[Case]))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of our apps (and the auth groups), to prove that no POST changed anything."""
    state: dict[str, list[dict[str, Any]]] = {}
    from django.apps import apps
    from django.contrib.auth.models import Group

    for model in [*(m for m in apps.get_models() if m._meta.app_label in OUR_APPS), Group]:
        rows = []
        for obj in model._default_manager.order_by("pk"):
            row = model_to_dict(obj)
            row.pop("last_login", None)
            row["pk"] = obj.pk
            row["password"] = getattr(obj, "password", None)
            rows.append({k: str(v) for k, v in row.items()})
        state[model._meta.label] = rows
    return state


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def assert_clean(response: Any, foreign: list[str], where: str) -> None:
    body = response.content.decode(errors="replace")
    found = [s for s in foreign if s in body]
    assert not found, (where, response.status_code, found)


def admin_url(model: type[models.Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def password_url(pk: int) -> str:
    """Django's UserAdmin names its password page `auth_user_password_change` whatever the model."""
    return reverse("admin:auth_user_password_change", args=[pk])


def filter_queries(model: type[models.Model], model_admin: Any) -> list[dict[str, str]]:
    """?field__exact=value for every list filter and every value in the whole table."""
    queries: list[dict[str, str]] = [{"all": ""}, {"o": "1"}]
    for spec in model_admin.list_filter:
        name = spec if isinstance(spec, str) else spec[0]
        values = {str(v) for v in model._default_manager.values_list(name, flat=True).distinct() if v is not None}
        queries += [{f"{name}__exact": v} for v in sorted(values)]
    return queries


def search_terms(foreign: list[str]) -> list[str]:
    """A foreign name without its first character: the page echoes the term, so a whole name on
    the page can only come from a result."""
    return [*(s[1:] for s in foreign), "株式会社", "銀行", "a", ""]


@pytest.mark.parametrize("council", sorted(FOREIGN))
def test_council_staff_reach_nothing_outside_their_prefecture(
    world: World, two_prefectures: dict[str, Any], council: str
) -> None:
    user = world.user(council)
    foreign = FOREIGN[council]
    scope = in_scope_pks(user, world, two_prefectures)
    client = login(council)
    before = snapshot()
    assert_clean(client.get(reverse("admin:index")), foreign, "index")
    for model, model_admin in registered():
        changelist = admin_url(model, "changelist")
        assert_clean(client.get(changelist), foreign, changelist)
        for query in filter_queries(model, model_admin):
            response = client.get(changelist + "?" + urlencode(query))
            assert response.status_code in (200, 302, 403), (changelist, query)
            assert_clean(response, foreign, f"{changelist}?{query}")
        if model_admin.search_fields:
            for term in search_terms(foreign):
                response = client.get(changelist + "?" + urlencode({"q": term}))
                assert_clean(response, foreign, f"{changelist}?q={term}")
        add = admin_url(model, "add")
        response = client.get(add)
        assert response.status_code in (200, 403), (add, response.status_code)
        assert_clean(response, foreign, add)
        outside = outside_objects(model, scope)
        assert outside, f"nothing of {model.__name__} lies outside {council}'s scope: the test would prove nothing"
        for obj in outside:
            pk = obj.pk
            pages = [admin_url(model, v, pk) for v in ("change", "history", "delete")]
            if model is User:
                pages.append(password_url(pk))
            ct = ContentType.objects.get_for_model(model)
            pages.append(reverse("admin:view_on_site", args=[ct.pk, pk]))
            for page in pages:
                response = client.get(page)
                assert response.status_code in (302, 403, 404), (page, response.status_code)
                if response.status_code == 302:  # Django's "does not exist" redirect to the index
                    assert response["Location"] == reverse("admin:index"), (page, response["Location"])
                assert_clean(client.get(page, follow=True), foreign, page)
                response = client.post(page, {"post": "yes", "password1": "Xx-12345678", "password2": "Xx-12345678"})
                assert response.status_code in (302, 403, 404), ("POST", page, response.status_code)
            bulk = client.post(
                changelist, {"action": "delete_selected", "_selected_action": [pk], "post": "yes", "index": 0}
            )
            assert bulk.status_code in (200, 302, 403), (changelist, "bulk", bulk.status_code)
            assert_clean(bulk, foreign, f"bulk delete {model.__name__} {pk}")
    assert snapshot() == before


@pytest.mark.parametrize("council", sorted(FOREIGN))
def test_autocomplete_of_every_relation_is_scoped(world: World, two_prefectures: dict[str, Any], council: str) -> None:
    """/admin/autocomplete/ answers for any foreign key whose target admin has search fields."""
    client = login(council)
    for model, _admin in registered():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete) or field.related_model is None:
                continue
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name}
            for term in ("", "株式会社", "銀行", "a"):
                response = client.get(reverse("admin:autocomplete") + "?" + urlencode({**query, "term": term}))
                assert response.status_code in (200, 403, 404), (query, response.status_code)
                assert_clean(response, FOREIGN[council], f"autocomplete {query} {term!r}")


@pytest.mark.parametrize("council", sorted(FOREIGN))
def test_add_forms_offer_only_what_may_be_attached(world: World, two_prefectures: dict[str, Any], council: str) -> None:
    """The user and company add pages list no adviser firm, bank, council or company outside the scope."""
    client = login(council)
    user_add = client.get(reverse("admin:accounts_user_add")).content.decode()
    own = world.user(council).council
    assert own is not None and own.name in user_add
    for name in ("A会計事務所", "B経営研究所", "メイン銀行", "セカンド信用金庫", "よその銀行"):
        assert name not in user_add, name
    company_add = client.get(reverse("admin:accounts_company_add")).content.decode()
    other = "東京都" if own.prefecture == "大阪府" else "大阪府"
    assert f'value="{other}"' not in company_add and f'value="{own.prefecture}"' in company_add


def _user_post(**fields: Any) -> dict[str, Any]:
    data = {
        "username": "newcomer",
        "password1": "Xx-12345678",
        "password2": "Xx-12345678",
        "usable_password": "true",
        "role": "",
        "company": "",
        "adviser_firm": "",
        "council": "",
        "bank": "",
        "is_staff": "on",
        "is_superuser": "on",
    }
    data.update({k: str(v) for k, v in fields.items()})
    return data


def test_council_staff_cannot_create_a_user_that_widens_access(world: World, two_prefectures: dict[str, Any]) -> None:
    """The fault: Tokyo's staff created an adviser of firm A (or a bank user of メイン銀行) and, logged in
    as that user, read Osaka's case. Every such user is refused, so is any escalation."""
    client = login("council_tokyo")
    add = reverse("admin:accounts_user_add")
    attempts = [
        _user_post(role=Role.ADVISER, adviser_firm=world.firms["a"].pk),
        _user_post(role=Role.ADVISER, adviser_firm=world.firms["b"].pk),  # even the firm of its own case
        _user_post(role=Role.BANK, bank=world.banks["main"].pk),
        _user_post(role=Role.BANK, bank=world.banks["other"].pk),
        _user_post(role=Role.COMPANY, company=world.companies["a"].pk),
        _user_post(role=Role.COUNCIL, council=world.councils["osaka"].pk),
        _user_post(role=""),
    ]
    for data in attempts:
        response = client.post(add, data)
        assert response.status_code in (200, 403), (data["role"], response.status_code)
        assert not User.objects.filter(username="newcomer").exists(), data
    response = client.post(add, _user_post(role=Role.COMPANY, company=world.companies["t"].pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="newcomer")
    assert (created.role, created.company_id, created.is_staff, created.is_superuser) == (
        Role.COMPANY,
        world.companies["t"].pk,
        False,
        False,
    )


def test_council_staff_cannot_change_or_reset_advisers_and_banks(world: World, two_prefectures: dict[str, Any]) -> None:
    """Osaka sees the adviser and the banks of its case, read-only; Tokyo does not see them at all."""
    osaka, tokyo = login("council_osaka"), login("council_tokyo")
    for name in ("adviser_a", "bank_main"):
        target = world.user(name)
        before = User.objects.get(pk=target.pk).password
        change = reverse("admin:accounts_user_change", args=[target.pk])
        password = password_url(target.pk)
        assert osaka.get(change).status_code == 200  # read-only view
        assert osaka.post(change, {"username": "renamed", "role": Role.COMPANY}).status_code == 403
        assert osaka.get(password).status_code == 403
        assert osaka.post(password, {"password1": "Xx-12345678", "password2": "Xx-12345678"}).status_code == 403
        assert tokyo.get(password).status_code == 404
        assert tokyo.post(password, {"password1": "Xx-12345678", "password2": "Xx-12345678"}).status_code == 404
        assert User.objects.get(pk=target.pk).password == before
        assert User.objects.get(pk=target.pk).username == name
    for model, obj in ((AdviserFirm, world.firms["a"]), (Bank, world.banks["main"])):
        assert osaka.post(admin_url(model, "change", obj.pk), {"name": "乗っ取り"}).status_code == 403
        assert osaka.get(admin_url(model, "add")).status_code == 403
        assert model._default_manager.get(pk=obj.pk).name == obj.name


def test_council_staff_manage_their_company_users_and_colleagues(world: World, two_prefectures: dict[str, Any]) -> None:
    """Control: what council staff may do still works (and stays without escalation)."""
    osaka = login("council_osaka")
    company_a = world.user("company_a")
    password = password_url(company_a.pk)
    response = osaka.post(
        password, {"password1": "Xx-12345678", "password2": "Xx-12345678", "set_usable_password": "true"}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=company_a.pk).check_password("Xx-12345678")
    clerk = world.user("council_osaka_clerk")
    change = reverse("admin:accounts_user_change", args=[clerk.pk])
    data = {
        "username": clerk.username,
        "last_name": "事務",
        "first_name": "",
        "email": "",
        "role": Role.COUNCIL,
        "council": world.councils["osaka"].pk,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    assert osaka.post(change, data).status_code == 302
    clerk = User.objects.get(pk=clerk.pk)
    assert clerk.last_name == "事務" and not clerk.is_staff and not clerk.is_superuser
    response = osaka.post(change, {**data, "role": Role.COUNCIL, "council": world.councils["tokyo"].pk})
    assert response.status_code == 200  # the form refuses the other council
    assert User.objects.get(pk=clerk.pk).council_id == world.councils["osaka"].pk


@pytest.mark.parametrize("user_name", ("company_a", "adviser_a", "bank_main", "council_osaka_clerk"))
def test_the_admin_is_closed_to_everyone_but_council_staff(
    world: World, two_prefectures: dict[str, Any], user_name: str
) -> None:
    client = login(user_name)
    before = snapshot()
    for model, _admin in registered():
        for url in (admin_url(model, "changelist"), admin_url(model, "add")):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 302 and "/admin/login/" in response["Location"], (user_name, url)
    assert snapshot() == before


def test_the_audit_trail_is_read_only_in_the_admin_even_for_a_superuser(
    world: World, two_prefectures: dict[str, Any]
) -> None:
    for name in (SUPERUSER, "council_osaka"):
        client = login(name)
        event = CaseEvent.objects.filter(case=two_prefectures["osaka"]).order_by("id").first()
        assert event is not None
        before = snapshot()
        assert client.get(admin_url(CaseEvent, "add")).status_code == 403
        assert client.post(admin_url(CaseEvent, "add"), {"summary": "x"}).status_code == 403
        assert client.post(admin_url(CaseEvent, "change", event.pk), {"summary": "書き換え"}).status_code == 403
        assert client.get(admin_url(CaseEvent, "delete", event.pk)).status_code == 403
        assert client.post(admin_url(CaseEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
        changelist = admin_url(CaseEvent, "changelist")
        response = client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
        assert response.status_code in (200, 302)
        assert "delete_selected" not in client.get(changelist).content.decode()
        case_delete = admin_url(Case, "delete", two_prefectures["osaka"].pk)
        assert client.post(case_delete, {"post": "yes"}).status_code == 403  # the trail would go with it
        assert snapshot() == before
        assert client.get(admin_url(CaseEvent, "change", event.pk)).status_code == 200  # still readable


def test_every_admin_is_scoped_and_filters_are_not_national() -> None:
    """Structural: each of our admins takes its querysets and permissions from access.py, and no list
    filter lists every row of a related table (RelatedFieldListFilter does; RelatedOnly does not)."""
    from keiei_web.accounts.admin import AccessAdmin

    assert registered()
    for model, model_admin in registered():
        assert isinstance(model_admin, AccessAdmin), model.__name__
        for spec in model_admin.list_filter:
            name, cls = (spec, None) if isinstance(spec, str) else spec
            field = model._meta.get_field(name) if isinstance(name, str) else None
            if field is not None and field.is_relation:
                assert cls is not None and issubclass(cls, RelatedOnlyFieldListFilter), (model.__name__, name)
            assert cls is None or not (
                issubclass(cls, RelatedFieldListFilter) and not issubclass(cls, RelatedOnlyFieldListFilter)
            )


def test_superusers_still_manage_everything_else(world: World, two_prefectures: dict[str, Any]) -> None:
    """Control: an operator creates an adviser of firm A (which council staff may not)."""
    client = login(SUPERUSER)
    response = client.post(
        reverse("admin:accounts_user_add"),
        _user_post(role=Role.ADVISER, adviser_firm=world.firms["a"].pk, is_staff="", is_superuser=""),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newcomer").adviser_firm_id == world.firms["a"].pk
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
