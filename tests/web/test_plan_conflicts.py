"""Two people editing the same plan: every editor form carries the draft's revision; a save
from an older form is merged with what was saved since when the fields differ, and refused
(409) with both values shown when both changed the same field — nothing typed is lost and the
stored draft is unchanged. The full form post, the autosave (JSON), the JSON editor and the
import, each with two clients."""

from __future__ import annotations

import copy
import html
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keiei_web.accounts.choices import Role
from keiei_web.cases.models import Case
from keiei_web.plans import drafts, merge
from keiei_web.plans.models import PlanDocument, PlanDraftRevision
from keiei_web.plans.planfile import read_upload

from .conftest import PASSWORD, World, make_user, new_case
from .formparse import form_fields

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AUTOSAVE = {"X-Keiei-Autosave": "1"}


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture
def case(world: World) -> Case:
    """A 405 case with the example plan, and a second adviser of the same firm."""
    world.users["adviser_a2"] = make_user("adviser_a2", Role.ADVISER, adviser_firm=world.firms["a"])
    c = new_case(world, "405")
    plan = read_upload("p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes())
    drafts.import_draft(c, world.user("adviser_a"), plan, "p.yaml")
    return c


def step_url(case: Case, step: str) -> str:
    return reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": step})


def open_step(client: Client, case: Case, step: str) -> dict[str, str]:
    """The step's form as the browser has it (hidden `_revision` included)."""
    return form_fields(client.get(step_url(case, step)).content.decode())


def stored(case: Case) -> dict[str, Any]:
    doc = PlanDocument.objects.get(case=case)
    return doc.data


# --------------------------------------------------------------------------- full form posts


def test_every_step_form_carries_the_revision(world: World, case: Case) -> None:
    client = login("adviser_a")
    revision = PlanDocument.objects.get(case=case).revision
    assert revision == 1  # the import
    for step in ("company", "business", "actuals", "drivers", "banks", "support", "actions", "cash"):
        assert open_step(client, case, step)["_revision"] == str(revision), step


def test_a_stale_save_of_other_fields_no_longer_reverts_them(world: World, case: Case) -> None:
    """Regression (issue 9 B): the later save silently put back the other person's change."""
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    form_b = open_step(b, case, "company")
    assert (
        b.post(step_url(case, "company"), form_b | {"company.address": "大阪府東大阪市高井田 2-2"}).status_code == 302
    )
    response = a.post(step_url(case, "company"), form_a | {"company.representative": "代表取締役 新任"})
    assert response.status_code == 302
    company = stored(case)["company"]
    assert company["address"] == "大阪府東大阪市高井田 2-2"  # b's change survives
    assert company["representative"] == "代表取締役 新任"  # a's change is saved
    page = a.get(response["Location"]).content.decode()
    assert "ほかの項目の変更も残してあります" in page


def test_stale_saves_of_different_steps_merge(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    drivers = open_step(a, case, "drivers")
    company = open_step(b, case, "company")
    assert b.post(step_url(case, "company"), company | {"company.name": "株式会社エー精工"}).status_code == 302
    assert a.post(step_url(case, "drivers"), drivers | {"drivers.cost_of_sales.ratio[0]": "50%"}).status_code == 302
    data = stored(case)
    assert data["company"]["name"] == "株式会社エー精工"
    assert data["drivers"]["cost_of_sales"]["ratio"] == 0.5


def test_the_same_field_changed_by_both_is_a_conflict_with_both_values(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    form_b = open_step(b, case, "company")
    b.post(step_url(case, "company"), form_b | {"company.name": "株式会社ビー案", "company.address": "堺市"})
    before = copy.deepcopy(stored(case))
    typed = form_a | {"company.name": "株式会社エー案", "company.industry": "金属加工業（精密）"}
    response = a.post(step_url(case, "company"), typed)

    assert response.status_code == 409
    assert stored(case) == before  # nothing stored
    page = response.content.decode()
    assert "同じ項目が変更されているため、保存していません" in page and "adviser_a2" in page
    assert "株式会社エー案" in page and "株式会社ビー案" in page  # both values listed
    shown = form_fields(page)
    # a's typed values stay on screen; b's other change (address) is taken in; the next post
    # builds on the stored revision; the conflict page does not autosave
    assert shown["company.name"] == "株式会社エー案"
    assert shown["company.industry"] == "金属加工業（精密）"
    assert shown["company.address"] == "堺市"
    assert shown["_revision"] == str(PlanDocument.objects.get(case=case).revision)
    assert "data-autosave" not in page
    token = merge.path_token(("company", "name"))
    assert f'name="_use_stored" value="{html.escape(token)}"' in page

    # a chooses the stored value for the name and keeps its industry
    assert a.post(step_url(case, "company"), shown | {"_use_stored": token}).status_code == 302
    company = stored(case)["company"]
    assert (company["name"], company["industry"], company["address"]) == (
        "株式会社ビー案",
        "金属加工業（精密）",
        "堺市",
    )


def test_after_a_conflict_the_user_may_keep_their_own_value(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.name": "株式会社ビー案"})
    conflict = a.post(step_url(case, "company"), form_a | {"company.name": "株式会社エー案"})
    assert conflict.status_code == 409
    assert a.post(step_url(case, "company"), form_fields(conflict.content.decode())).status_code == 302
    assert stored(case)["company"]["name"] == "株式会社エー案"


def test_rows_added_on_one_side_and_edited_on_the_other_are_a_conflict(world: World, case: Case) -> None:
    """Rows are positional: a change in the number of rows of a list is not merged with an edit
    inside that list (documented in docs/web.md)."""
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "banks")
    form_b = open_step(b, case, "banks")
    n = len(stored(case)["banks"])
    assert b.post(step_url(case, "banks"), form_b | {f"banks[{n}].name": "新しい銀行"}).status_code == 302
    before = copy.deepcopy(stored(case))
    response = a.post(step_url(case, "banks"), form_a | {"banks[0].loans[0].rate": "0.011"})
    assert response.status_code == 409 and stored(case) == before
    page = response.content.decode()
    assert f"{n}行: " in page and f"{n + 1}行: " in page and "新しい銀行" in page


def test_a_post_without_its_revision_changes_nothing(world: World, case: Case) -> None:
    client = login("adviser_a")
    fields = open_step(client, case, "company")
    del fields["_revision"]
    before = copy.deepcopy(stored(case))
    response = client.post(step_url(case, "company"), fields | {"company.name": "x"})
    assert response.status_code == 400 and stored(case) == before
    forged = client.post(step_url(case, "company"), fields | {"company.name": "x", "_revision": "-1"})
    assert forged.status_code == 400 and stored(case) == before


def test_a_form_older_than_the_kept_revisions_shows_every_difference(
    world: World, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PlanDocument, "KEEP_REVISIONS", 2)
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    for i in range(3):
        b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.address": f"住所{i}"})
    assert not PlanDraftRevision.objects.filter(number=int(form_a["_revision"])).exists()
    before = copy.deepcopy(stored(case))
    response = a.post(step_url(case, "company"), form_a | {"company.name": "株式会社エー案"})
    assert response.status_code == 409 and stored(case) == before
    page = response.content.decode()
    assert "比べられません" in page and "住所2" in page and "株式会社エー案" in page
    # a future revision (forged) is treated the same way
    forged = a.post(step_url(case, "company"), form_a | {"_revision": "999"})
    assert forged.status_code == 409 and stored(case) == before


# --------------------------------------------------------------------------- autosave (JSON)


def test_autosave_of_a_stale_form_merges_and_tells_the_script_what_changed(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.address": "堺市"})
    response = a.post(step_url(case, "company"), form_a | {"company.industry": "精密加工"}, headers=AUTOSAVE)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] and body["saved"] and body["merged"]
    assert body["values"] == {"company.address": "堺市"}  # b's change, for the inputs on screen
    assert body["revision"] == PlanDocument.objects.get(case=case).revision
    company = stored(case)["company"]
    assert (company["address"], company["industry"]) == ("堺市", "精密加工")
    # a plain autosave (no one else saved) moves the revision on without a merge
    again = a.post(
        step_url(case, "company"),
        form_a | {"company.industry": "精密加工", "company.address": "堺市", "_revision": str(body["revision"])},
        headers=AUTOSAVE,
    ).json()
    assert again["ok"] and not again["merged"] and "values" not in again


def test_autosave_of_a_conflict_answers_409_json_and_stores_nothing(world: World, case: Case) -> None:
    """Regression (issue 9 B), the autosave path: it reverted the other person's change."""
    a, b = login("adviser_a"), login("adviser_a2")
    form_a = open_step(a, case, "company")
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.name": "株式会社ビー案"})
    before = copy.deepcopy(stored(case))
    response = a.post(step_url(case, "company"), form_a | {"company.name": "株式会社エー案"}, headers=AUTOSAVE)
    assert response.status_code == 409 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert not body["ok"] and body["conflict"]
    assert body["conflicts"] == [{"label": "商号", "mine": "株式会社エー案", "stored": "株式会社ビー案"}]
    assert stored(case) == before


def test_the_page_carries_the_revision_and_the_script_follows_it() -> None:
    script = (Path(__file__).resolve().parents[2] / "src/keiei_web/ui/static/keiei/plan-editor.js").read_text()
    assert "_revision" in script and "body.conflict" in script and "body.values" in script


# --------------------------------------------------------------------------- JSON editor and import


def json_form(client: Client, case: Case) -> dict[str, str]:
    page = client.get(reverse("plans:edit_json", args=[case.pk])).content.decode()
    return {k: v for k, v in form_fields(page, "form").items() if k in {"data", "revision"}}


def test_the_json_editor_merges_and_refuses_conflicts(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    url = reverse("plans:edit_json", args=[case.pk])
    form_a = json_form(a, case)
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.address": "堺市"})
    mine = json.loads(form_a["data"])
    mine["notes"] = "JSONで追記"
    assert a.post(url, form_a | {"data": json.dumps(mine, ensure_ascii=False)}).status_code == 302
    data = stored(case)
    assert data["company"]["address"] == "堺市" and data["notes"] == "JSONで追記"

    form_a = json_form(a, case)
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.address": "神戸市"})
    mine = json.loads(form_a["data"])
    mine["company"]["address"] = "京都市"
    before = copy.deepcopy(stored(case))
    response = a.post(url, form_a | {"data": json.dumps(mine, ensure_ascii=False)})
    assert response.status_code == 409 and stored(case) == before
    page = response.content.decode()
    assert "京都市" in page and "神戸市" in page
    again = {k: v for k, v in form_fields(page, "form").items() if k in {"data", "revision"}}
    assert json.loads(again["data"])["company"]["address"] == "京都市"
    token = merge.path_token(("company", "address"))
    assert a.post(url, again | {"_use_stored": token}).status_code == 302
    assert stored(case)["company"]["address"] == "神戸市"


def test_an_import_over_a_draft_saved_meanwhile_asks_again(world: World, case: Case) -> None:
    a, b = login("adviser_a"), login("adviser_a2")
    url = reverse("plans:import", args=[case.pk])
    revision = form_fields(a.get(url).content.decode(), "form")["revision"]
    b.post(step_url(case, "company"), open_step(b, case, "company") | {"company.address": "堺市"})
    content = (EXAMPLES / "405-manufacturer.yaml").read_bytes()
    response = a.post(url, {"file": SimpleUploadedFile("p.yaml", content), "revision": revision})
    assert response.status_code == 409 and stored(case)["company"]["address"] == "堺市"
    page = response.content.decode()
    assert "作成中の計画全体が置き換わります" in page
    confirmed = form_fields(page, "form")["revision"]
    assert confirmed == str(PlanDocument.objects.get(case=case).revision)
    assert a.post(url, {"file": SimpleUploadedFile("p.yaml", content), "revision": confirmed}).status_code == 302
    assert stored(case)["company"].get("address") != "堺市"


# --------------------------------------------------------------------------- roles and merges


def test_a_stale_company_post_still_cannot_change_locked_fields(world: World, case: Case) -> None:
    company, adviser = login("company_a"), login("adviser_a")
    form_c = open_step(company, case, "company")
    adviser.post(step_url(case, "company"), open_step(adviser, case, "company") | {"display_unit": "円"})
    forged = form_c | {"display_unit": "千円", "settings.rounding": "truncate", "company.address": "堺市"}
    assert company.post(step_url(case, "company"), forged).status_code == 302
    data = stored(case)
    assert data["display_unit"] == "円" and data["settings"]["rounding"] == "half_up"
    assert data["company"]["address"] == "堺市"
