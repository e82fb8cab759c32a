"""The demo cases carry the real example plans: valid, checked, hashed and diffed like any plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keiei_web import demo
from keiei_web.cases.models import Case
from keiei_web.plans import panel, steps
from keiei_web.plans.models import PlanVersion
from keiei_web.plans.versioning import diff, sha256_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DEMO_DAY = dt.date(2026, 5, 15)


@pytest.mark.parametrize("name", ["405-manufacturer.yaml", "early-restaurant.yaml"])
def test_the_bundled_demo_plans_are_the_examples(name: str) -> None:
    assert (demo.DEMO_PLANS / name).read_bytes() == (EXAMPLES / name).read_bytes(), (
        f"src/keiei_web/cases/demo_plans/{name} differs from examples/{name}: copy it again"
    )


@pytest.fixture
def loaded(settings: Any, db: Any) -> None:
    settings.KEIEI_TODAY = DEMO_DAY.isoformat()
    demo.load(DEMO_DAY)


def _case(company: str) -> Case:
    return Case.objects.get(company__name=company)


@pytest.mark.usefixtures("loaded")
def test_the_demo_drafts_are_the_example_plans_and_valid() -> None:
    naniwa, aoba = _case("浪速精工株式会社"), _case("株式会社あおば食品")
    assert naniwa.plan.data["program"] == "405" and aoba.plan.data["program"] == "early"
    assert naniwa.plan.data["company"]["name"] == "浪速精工株式会社"
    names = [cb.bank.name for cb in naniwa.banks.order_by("-is_main", "id")]
    assert naniwa.plan.data["banks"] == demo.example_plan("405-manufacturer.yaml", "x", names)["banks"]
    assert [b["name"] for b in naniwa.plan.data["banks"]] == names
    for case in (naniwa, aoba):
        evaluation = panel.evaluate(case.plan.data, case.applied_on)
        assert evaluation.valid, evaluation.problems
        assert evaluation.check is not None and evaluation.check["summary"]["ok"]
        assert sum(panel.counts_by_step(evaluation).values()) == 0


@pytest.mark.usefixtures("loaded")
def test_the_demo_versions_hash_and_diff() -> None:
    naniwa = _case("浪速精工株式会社")
    v1, v2 = PlanVersion.objects.filter(case=naniwa).order_by("number")
    assert v1.sha256 == sha256_of(v1.data) and v2.sha256 == sha256_of(v2.data) and v1.sha256 != v2.sha256
    paths = [c.path for c in diff(v1.data, v2.data)]
    assert paths and all(p.startswith("drivers.sales.segments[1].growth[") for p in paths), paths
    assert v2.data == naniwa.plan.data
    aoba = _case("株式会社あおば食品")
    assert PlanVersion.objects.filter(case=aoba).count() == 1  # receipt and claim share the version


@pytest.mark.usefixtures("loaded")
def test_the_demo_editor_shows_no_schema_errors() -> None:
    client = Client()
    assert client.login(username="adviser1", password=demo.DEMO_PASSWORD)
    naniwa = _case("浪速精工株式会社")
    for step in steps.STEPS:
        response = client.get(reverse("plans:editor_step", args=[naniwa.pk, step.slug]))
        assert response.status_code == 200
        assert 'class="error"' not in response.content.decode(), step.slug
    panel_page = client.get(reverse("plans:panel", args=[naniwa.pk])).content.decode()
    assert "✔" in panel_page and "ビジネスモデル俯瞰図" in panel_page


@pytest.mark.usefixtures("loaded")
def test_each_demo_bank_finds_itself_in_the_plan_and_its_consent_form() -> None:
    """The example plans' banks are renamed to the demo banks, main bank first."""
    from keiei.documents import form_docs
    from keiei.plan import parse_plan
    from keiei_web import access
    from keiei_web.accounts.models import User

    case = _case("浪速精工株式会社")
    version = case.plan_versions.order_by("-number").first()
    assert version is not None
    plan_banks = [b["name"] for b in version.data["banks"]]
    case_banks = [cb.bank.name for cb in case.banks.order_by("-is_main", "id")]
    assert plan_banks == case_banks
    docs = [d for d in form_docs(parse_plan(version.data)) if d.bank]
    for username in ("bank1", "bank2", "bank3"):
        user = User.objects.get(username=username)
        mine = [d.key for d in docs if access.may_download_form(user, case, d.bank)]
        assert len(mine) == 1, (username, mine)
