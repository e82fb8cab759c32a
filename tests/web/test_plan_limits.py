"""Hostile structure at every entry of the plan editor: refused with one Japanese message,
what was typed shown again, the saved draft unchanged; and no page fails on a stored draft.

Regression (issue 9): 900 nested levels saved through the JSON editor and then the export
answered 500; 100,000 levels were a 500 at once; a 200,000-character name saved.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keiei_web.cases.models import Case
from keiei_web.plans import drafts
from keiei_web.plans.models import PlanDocument
from keiei_web.plans.versioning import canonical_json

from .conftest import PASSWORD, PLAN_V1, World, new_case
from .formparse import form_fields

DEEP_900 = "[" * 900 + "]" * 900
DEEP_100K = "[" * 100_000 + "]" * 100_000


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def with_plan(world: World) -> Case:
    case = new_case(world, "405")
    drafts.import_draft(case, world.user("adviser_a"), json.loads(json.dumps(PLAN_V1)), "plan.yaml")
    return case


def stored(case: Case) -> str:
    return canonical_json(PlanDocument.objects.get(case=case).data)


def step_url(case: Case, step: str) -> str:
    return reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": step})


# --------------------------------------------------------------------------- the JSON editor


def test_the_json_editor_refuses_deep_nesting_and_keeps_the_text(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    for deep in (DEEP_900, DEEP_100K):
        text = '{"program": "405", "notes": ' + deep + "}"
        response = client.post(reverse("plans:edit_json", args=[case.pk]), {"data": text})
        body = response.content.decode()
        assert response.status_code == 200
        assert "入れ子が深すぎます（20 段まで）" in body
        assert "[[[[[[[[[[" in body  # the text is shown again
        assert stored(case) == before
    # the export still works (it answered 500 once 900 levels were saved)
    assert client.get(reverse("plans:export", args=[case.pk]) + "?format=yaml").status_code == 200


def test_the_json_editor_refuses_a_huge_name_nan_and_giant_numbers(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    cases = {
        json.dumps({"company": {"name": "あ" * 200_000}}, ensure_ascii=False): "文字列が長すぎます",
        '{"drivers": {"years": NaN}}': "無限大や NaN",
        '{"drivers": {"years": 1e400}}': "無限大や NaN",
        '{"drivers": {"years": ' + "9" * 5000 + "}}": "数値の桁が多すぎます",
    }
    for text, message in cases.items():
        response = client.post(reverse("plans:edit_json", args=[case.pk]), {"data": text})
        assert response.status_code == 200 and message in response.content.decode(), message
        assert stored(case) == before


# --------------------------------------------------------------------------- step posts and autosave


def test_a_200000_character_name_in_a_step_is_refused_and_shown_again(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "company")).content.decode())
    name = "あ" * 200_000
    fields["company.name"] = name
    response = client.post(step_url(case, "company"), fields)
    body = response.content.decode()
    assert response.status_code == 400
    assert "文字列が長すぎます（200,000 文字。10,000 文字まで）" in body and name in body
    assert stored(case) == before
    auto = client.post(step_url(case, "company"), fields, HTTP_X_KEIEI_AUTOSAVE="1")
    assert auto.status_code == 400 and auto.json()["ok"] is False
    assert "文字列が長すぎます" in auto.json()["message"]
    assert stored(case) == before


def test_a_long_but_not_hostile_name_saves_and_is_named_by_the_schema(world: World) -> None:
    case = with_plan(world)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "company")).content.decode())
    fields["company.name"] = "あ" * 150
    assert client.post(step_url(case, "company"), fields).status_code == 302
    page = client.get(step_url(case, "company")).content.decode()
    assert "100 文字以内にしてください" in page


def test_negative_actual_sales_are_kept_as_typed_and_named(world: World) -> None:
    case = with_plan(world)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "actuals")).content.decode())
    fields["actuals[2].pl.sales"] = "△5,000"
    assert client.post(step_url(case, "actuals"), fields).status_code == 302
    page = client.get(step_url(case, "actuals")).content.decode()
    assert "0 以上の整数を指定してください" in page


def test_a_hidden_keep_field_cannot_smuggle_deep_data(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "banks")).content.decode())
    for deep in ('{"x": ' + DEEP_900 + "}", '{"x": ' + DEEP_100K + "}"):
        fields["banks[0]._keep"] = deep
        response = client.post(step_url(case, "banks"), fields)
        assert response.status_code == 400 and "入れ子が深すぎます" in response.content.decode()
        assert stored(case) == before


def test_numbers_that_python_cannot_read_are_kept_as_text(world: World) -> None:
    case = with_plan(world)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "actuals")).content.decode())
    fields["actuals[2].pl.sales"] = "9" * 5000
    fields["actuals[2].pl.sga"] = "1e999999"
    response = client.post(step_url(case, "actuals"), fields)
    assert response.status_code == 302
    data = PlanDocument.objects.get(case=case).data
    assert data["actuals"][2]["pl"]["sales"] == "9" * 5000  # stored as typed, named by the schema
    assert data["actuals"][2]["pl"]["sga"] == "1e999999"
    assert client.get(step_url(case, "actuals")).status_code == 200


# --------------------------------------------------------------------------- import


def test_import_refuses_deep_and_huge_files_and_keeps_the_draft(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    files = {
        "deep.yaml": ("program: '405'\nnotes: " + DEEP_900 + "\n", "入れ子が深すぎます"),
        "deep.json": ('{"program": "405", "notes": ' + DEEP_100K + "}", "入れ子が深すぎます"),
        "name.yaml": ("program: '405'\ncompany: {name: " + "あ" * 200_000 + "}\n", "文字列が長すぎます"),
    }
    for name, (text, message) in files.items():
        upload = SimpleUploadedFile(name, text.encode("utf-8"))
        revision = PlanDocument.objects.get(case=case).revision
        response = client.post(reverse("plans:import", args=[case.pk]), {"file": upload, "revision": revision})
        assert response.status_code == 200 and message in response.content.decode(), name
        assert stored(case) == before


def test_import_refuses_a_body_over_the_limit_before_reading_it(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    upload = SimpleUploadedFile("big.yaml", b"#" * 2_100_000)
    response = login("adviser_a").post(reverse("plans:import", args=[case.pk]), {"file": upload})
    assert response.status_code == 400 and "2 MB まで" in response.content.decode()
    assert stored(case) == before


# --------------------------------------------------------------------------- a stored draft


def _store(case: Case, data: Any) -> None:
    PlanDocument.objects.filter(case=case).update(data=data)


def test_no_page_fails_on_a_stored_hostile_draft(world: World) -> None:
    case = with_plan(world)
    deep: Any = 1
    for _ in range(900):
        deep = [deep]
    for data in ({**PLAN_V1, "notes": deep}, {**PLAN_V1, "company": {"name": "あ" * 200_000}}):
        _store(case, data)
        client = login("adviser_a")
        urls = [
            reverse("plans:overview", args=[case.pk]),
            reverse("plans:edit_json", args=[case.pk]),
            reverse("plans:panel", args=[case.pk]),
            reverse("plans:export", args=[case.pk]),
            reverse("plans:export", args=[case.pk]) + "?format=yaml",
            reverse("plans:export", args=[case.pk]) + "?format=json",
            *(step_url(case, s) for s in ("company", "business", "actuals", "banks", "cash")),
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code in (200, 409), (url, response.status_code)


def test_a_two_year_cash_table_of_40_accounts_saves(world: World) -> None:
    """More fields than Django's default DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000), a real plan."""
    case = with_plan(world)
    data = json.loads(stored(case))
    accounts = {f"科目{i:02d}": 1_000 + i for i in range(40)}
    data["cash_table"] = {
        "months": [
            {"month": f"{2024 + m // 12}-{m % 12 + 1:02d}", "kind": "actual", "operating_in": dict(accounts)}
            for m in range(24)
        ]
    }
    _store(case, data)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "cash")).content.decode())
    assert len(fields) > 1_000
    fields["cash.operating_in[0].m[0]"] = "2,000"
    response = client.post(step_url(case, "cash"), fields)
    assert response.status_code == 302
    assert json.loads(stored(case))["cash_table"]["months"][0]["operating_in"]["科目00"] == 2_000


def test_a_post_with_more_fields_than_any_step_has_is_refused_in_japanese(world: World) -> None:
    case = with_plan(world)
    before = stored(case)
    client = login("adviser_a")
    fields = {"_step": "cash", **{f"cash.operating_in[{i}].label": "x" for i in range(10_001)}}
    response = client.post(step_url(case, "cash"), fields)
    assert response.status_code == 400 and "入力欄が多すぎて保存できません" in response.content.decode()
    assert stored(case) == before


def test_a_deep_stored_draft_reads_even_from_deep_in_the_stack() -> None:
    """The JSON decoder counts nesting from the caller's depth: a 900-deep draft read under a
    deep call (a view in middleware, a test worker) was a RecursionError and a 500 page."""
    from keiei_web.plans.fields import OrderedJSONField

    text = "[" * 900 + "1" + "]" * 900

    def descend(n: int) -> Any:
        return descend(n - 1) if n else OrderedJSONField().from_db_value(text, None, None)

    value = descend(400)
    for _ in range(900):
        assert isinstance(value, list) and len(value) == 1
        value = value[0]
    assert value == 1
