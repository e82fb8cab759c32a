"""Plan editing: each step saves and shows again what was typed, with the schema's Japanese
messages next to the right inputs; nothing typed is lost; rows are added and deleted without
JavaScript; the autosave answers JSON; the live panel; versions after a revision."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans import drafts
from keiei_web.plans.planfile import read_upload
from keiei_web.plans.versioning import canonical_json

from .conftest import PASSWORD, STEP_DATES, World, advance, new_case
from .formparse import form_fields

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STEPS = ("company", "business", "actuals", "drivers", "banks", "support", "actions", "cash")
EXAMPLE_PROGRAMS = [("405-manufacturer", "405"), ("405gl-ryokan", "405-gl"), ("early-restaurant", "early")]


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def step_url(case: Case, step: str) -> str:
    return reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": step})


def example(name: str = "405-manufacturer") -> dict[str, Any]:
    return read_upload(f"{name}.yaml", (EXAMPLES / f"{name}.yaml").read_bytes())


def with_example(world: World, name: str = "405-manufacturer", program: str = "405") -> Case:
    case = new_case(world, program)
    drafts.import_draft(case, world.user("adviser_a"), example(name), f"{name}.yaml")
    return case


def draft(case: Case) -> dict[str, Any]:
    case.plan.refresh_from_db()
    return case.plan.data


def around(html: str, name: str, width: int = 1200) -> str:
    """The markup of one input: from its wrapper to the next input's wrapper."""
    at = html.index(f'name="{name}"')
    start = html.rfind('<span class="fld', 0, at)
    end = html.find('<span class="fld', at)
    return html[start : end if end != -1 else at + width]


def post_step(client: Client, case: Case, step: str, changes: dict[str, str], **extra: str) -> Any:
    """Post the step as a browser would after changing some inputs."""
    fields = form_fields(client.get(step_url(case, step)).content.decode())
    fields.update(changes)
    fields.update(extra)
    return client.post(step_url(case, step), fields)


# --------------------------------------------------------------------------- every step


def test_every_step_renders_for_a_new_case_with_the_seed(world: World) -> None:
    case = new_case(world, "405")
    client = login("adviser_a")
    for step in STEPS:
        assert client.get(step_url(case, step)).status_code == 200, step
    company = client.get(step_url(case, "company")).content.decode()
    assert 'value="株式会社エー"' in company and "まだ保存されていません" in company
    banks = client.get(step_url(case, "banks")).content.decode()
    assert 'value="メイン銀行"' in banks and 'value="セカンド信用金庫"' in banks
    assert client.get(reverse("plans:editor", args=[case.pk])).status_code == 302
    assert client.get(step_url(case, "nosuchstep")).status_code == 404


@pytest.mark.parametrize(("name", "program"), EXAMPLE_PROGRAMS)
def test_saving_every_step_unchanged_keeps_the_plan_identical(world: World, name: str, program: str) -> None:
    """The forms show every key of the examples and read them back exactly (no spurious version)."""
    case = with_example(world, name, program)
    before = copy.deepcopy(draft(case))
    client = login("adviser_a")
    for step in STEPS:
        response = post_step(client, case, step, {})
        assert response.status_code == 302, step
        assert canonical_json(draft(case)) == canonical_json(before), step


EDITS: list[tuple[str, dict[str, str], Any, Any]] = [
    ("company", {"company.name": "株式会社テスト工業"}, lambda d: d["company"]["name"], "株式会社テスト工業"),
    (
        "business",
        {"business_model.strengths": "短納期\n試作対応"},
        lambda d: d["business_model"]["strengths"],
        ["短納期", "試作対応"],
    ),
    ("actuals", {"actuals[2].pl.sales": "５３０,０００,０００"}, lambda d: d["actuals"][2]["pl"]["sales"], 530_000_000),
    ("drivers", {"drivers.cost_of_sales.ratio[0]": "50%"}, lambda d: d["drivers"]["cost_of_sales"]["ratio"], 0.5),
    ("banks", {"banks[0].loans[0].rate": "0.011"}, lambda d: d["banks"][0]["loans"][0]["rate"], 0.011),
    (
        "support",
        {"financial_support.rescheduling.minimum_cash": "30,000,000"},
        lambda d: d["financial_support"]["rescheduling"]["minimum_cash"],
        30_000_000,
    ),
    ("actions", {"action_plan[0].owner": "営業部長 山田"}, lambda d: d["action_plan"][0]["owner"], "営業部長 山田"),
    ("cash", {"cash_table.opening_cash": "△1,000"}, lambda d: d["cash_table"]["opening_cash"], -1000),
]


@pytest.mark.parametrize(("step", "changes", "get", "expected"), EDITS, ids=[e[0] for e in EDITS])
def test_each_step_saves_and_shows_the_saved_value(
    world: World, step: str, changes: dict[str, str], get: Any, expected: Any
) -> None:
    case = with_example(world)
    client = login("adviser_a")
    response = post_step(client, case, step, changes)
    assert response.status_code == 302 and response["Location"].endswith(step_url(case, step))
    assert get(draft(case)) == expected
    page = client.get(response["Location"]).content.decode()
    assert "保存しました" in page
    name = next(iter(changes))
    assert 'class="fld has-error' not in around(page, name)


def test_save_and_next_goes_to_the_next_step(world: World) -> None:
    case = with_example(world)
    response = post_step(login("adviser_a"), case, "company", {}, _next="1")
    assert response["Location"].endswith(step_url(case, "business"))


# --------------------------------------------------------------------------- invalid input


INVALID: list[tuple[str, str, str, str]] = [
    ("company", "company.postal_code", "12-34", "郵便番号は 123-4567 の形式で指定してください"),
    ("actuals", "actuals[1].pl.sga", "たくさん", "整数を指定してください"),
    ("actuals", "actuals[2].period", "2025-13", "YYYY-MM の形式"),
    ("drivers", "drivers.tax.rate", "1.5", "1 以下の数値を指定してください"),
    ("banks", "banks[1].loans[0].balance", "-5", "0 以上の整数を指定してください"),
    ("support", "financial_support.rescheduling.capacity_share", "2", "1 以下の数値を指定してください"),
    ("actions", "action_plan[1].deadline", "来年の春", "YYYY、YYYY-MM または YYYY-MM-DD"),
    ("cash", "cash_table.months[0].month", "4月", "YYYY-MM の形式"),
]


@pytest.mark.parametrize(("step", "name", "typed", "message"), INVALID, ids=[f"{i[0]}-{i[1]}" for i in INVALID])
def test_invalid_input_is_kept_and_explained_next_to_the_field(
    world: World, step: str, name: str, typed: str, message: str
) -> None:
    case = with_example(world)
    client = login("adviser_a")
    response = post_step(client, case, step, {name: typed})
    assert response.status_code == 302  # saved although invalid: nothing typed is lost
    page = client.get(response["Location"]).content.decode()
    field = around(page, name)
    assert f'value="{typed}"' in field
    assert "has-error" in field and message in field, field
    assert "計画ファイルとして 1 件のエラーがあります" in page  # the panel shows the problem instead of the verdicts
    assert 'data-step-count="' + step + '" title="エラーの数">1<' in page


def test_a_new_plan_saves_what_was_typed_and_names_every_missing_part(world: World) -> None:
    case = new_case(world, "early")
    client = login("adviser_a")
    response = post_step(
        client, case, "company", {"company.capital": "三百万", "causes_of_distress": "客数の減少\n\n原価の上昇\n"}
    )
    assert response.status_code == 302
    data = draft(case)
    assert data["program"] == "early" and data["company"]["name"] == "株式会社エー"
    assert data["company"]["capital"] == "三百万"
    assert data["causes_of_distress"] == ["客数の減少", "原価の上昇"]
    assert data["banks"][0] == {"name": "メイン銀行", "main": True}  # the seed is kept
    page = client.get(response["Location"]).content.decode()
    assert "整数を指定してください" in around(page, "company.capital")
    for missing in ("<code>actuals</code>", "<code>drivers</code>"):
        assert missing in page  # every missing required part, not only the first


def test_a_row_typed_without_a_name_is_kept_under_a_placeholder(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    page = client.get(step_url(case, "cash") + "?add=cash.operating_in").content.decode()
    fields = form_fields(page)
    blank = [n for n in fields if n.startswith("cash.operating_in[") and n.endswith(".label") and not fields[n]]
    assert blank, "the requested extra row"
    row = blank[0][: -len(".label")]
    fields[f"{row}.m[0]"] = "12,345"
    first, second = fields["cash.operating_out[0].label"], fields["cash.operating_out[1].label"]
    first_value = int(fields["cash.operating_out[0].m[0]"].replace(",", ""))
    second_value = int(fields["cash.operating_out[1].m[0]"].replace(",", ""))
    fields["cash.operating_out[1].label"] = first  # the same label twice
    response = client.post(step_url(case, "cash"), fields)
    assert response.status_code == 302
    month = draft(case)["cash_table"]["months"][0]
    assert month["operating_in"]["（科目名なし）"] == 12_345
    assert month["operating_out"][first] == first_value
    assert month["operating_out"][f"{first}（2）"] == second_value  # renamed, not merged or lost
    assert second not in month["operating_out"]
    follow = client.get(response["Location"]).content.decode()
    assert "名前のない行" in follow and "重複していた" in follow


# --------------------------------------------------------------------------- rows


def test_adding_a_row_without_javascript(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    response = post_step(client, case, "banks", {}, _add="banks[1].loans")
    assert response.status_code == 302 and "add=banks%5B1%5D.loans" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert 'name="banks[1].loans[2].name"' in page  # a third, empty loan row for the second bank
    fields = form_fields(page)
    fields.update(
        {
            "banks[1].loans[2].name": "当座貸越",
            "banks[1].loans[2].balance": "10,000,000",
            "banks[1].loans[2].rate": "0.02",
        }
    )
    assert client.post(step_url(case, "banks"), fields).status_code == 302
    loan = draft(case)["banks"][1]["loans"][2]
    assert loan == {"name": "当座貸越", "balance": 10_000_000, "rate": 0.02}


def test_empty_rows_are_not_saved_and_deleted_rows_go(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    page = client.get(step_url(case, "actions") + "?add=action_plan").content.decode()
    fields = form_fields(page)
    assert "action_plan[7].measure" in fields  # the extra row is there, empty
    fields["action_plan[0]._delete"] = "1"
    assert client.post(step_url(case, "actions"), fields).status_code == 302
    actions = draft(case)["action_plan"]
    assert len(actions) == 6 and actions[0]["measure"] == "外注加工の内製化"


def test_row_templates_for_javascript_are_not_submitted(world: World) -> None:
    case = with_example(world)
    page = login("adviser_a").get(step_url(case, "banks")).content.decode()
    assert '<template id="tpl-banks">' in page and "banks[__0__].name" in page
    assert not any("__0__" in name or "__1__" in name for name in form_fields(page))


def test_changing_the_plan_years_fits_every_series(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    response = post_step(client, case, "drivers", {"drivers.years": "3"})
    assert response.status_code == 302
    d = draft(case)["drivers"]
    assert d["years"] == 3 and d["depreciation"]["existing"] == [19_500_000, 17_800_000, 16_200_000]
    assert d["sales"]["segments"][0]["growth"] == [-0.02, 0.0, 0.0]
    page = client.get(response["Location"]).content.decode()
    assert "年度ごとの値の数を合わせました" in page
    assert 'name="drivers.depreciation.existing[3]"' not in page  # three columns now


def test_series_one_value_or_one_per_year(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    cells = {f"drivers.non_operating_income[{i}]": "" for i in range(5)}
    cells["drivers.non_operating_income[0]"] = "1,000"
    cells["drivers.non_operating_income[2]"] = "3,000"
    post_step(client, case, "drivers", cells)
    assert draft(case)["drivers"]["non_operating_income"] == [1000, 1000, 3000, 3000, 3000]
    cells = {f"drivers.non_operating_income[{i}]": "" for i in range(5)}
    cells["drivers.non_operating_income[0]"] = "2,000"
    post_step(client, case, "drivers", cells)
    assert draft(case)["drivers"]["non_operating_income"] == 2000


# --------------------------------------------------------------------------- autosave and panel


def test_autosave_answers_json_and_keeps_the_input(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    fields = form_fields(client.get(step_url(case, "actuals")).content.decode())
    fields["actuals[2].pl.sales"] = "abc"
    response = client.post(step_url(case, "actuals"), fields, headers={"X-Keiei-Autosave": "1"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["ok"] and body["saved"] and not body["valid"]
    assert body["counts"]["actuals"] == 1
    assert "整数を指定してください" in body["fields"]["actuals[2].pl.sales"]["errors"][0]
    assert draft(case)["actuals"][2]["pl"]["sales"] == "abc"
    again = client.post(step_url(case, "actuals"), fields, headers={"X-Keiei-Autosave": "1"}).json()
    assert again["ok"] and not again["saved"]  # unchanged: nothing written


def test_the_live_panel_shows_the_criteria_and_charts_for_the_405_example(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    panel = client.get(reverse("plans:panel", args=[case.pk])).content.decode()
    for text in (
        "基準 13 項目のうち 13 項目を満たしています",
        "経常黒字化（3年以内）",
        "実質債務超過の解消（5年以内）",
        "債務償還年数（最終年度 10年以内）",
    ):
        assert text in panel, text
    assert panel.count("✔") >= 13 and "✖" not in panel.split("感応度")[0]
    assert panel.count("<svg") == 4 and "https://" not in panel.replace("http://www.w3.org/2000/svg", "")
    assert "534,189" in panel  # 1年目の売上高（千円）
    assert "補助金の見込み" in panel and "1,600,000円" in panel  # 2,400,000 × 2/3
    page = client.get(step_url(case, "drivers")).content.decode()
    assert 'id="live-panel"' in page and "経常黒字化（3年以内）" in page  # on the page without JavaScript


def test_the_panel_lists_the_schema_errors_of_an_invalid_draft(world: World) -> None:
    case = with_example(world)
    client = login("adviser_a")
    post_step(client, case, "banks", {"banks[0].loans[0].rate": "高い"})
    panel = client.get(reverse("plans:panel", args=[case.pk])).content.decode()
    assert "計画ファイルとして 1 件のエラーがあります" in panel and "経常黒字化" not in panel
    assert "banks[0].loans[0].rate" in panel and "数値を指定してください" in panel
    assert "借入 証書貸付①（保証協会付） 年利" in panel  # the input's label, not only the path


def test_the_panel_does_not_show_money_to_those_who_may_not_see_it(world: World) -> None:
    case = with_example(world)
    assert "補助金の見込み" in login("company_a").get(reverse("plans:panel", args=[case.pk])).content.decode()


# --------------------------------------------------------------------------- audit and versions


def test_saves_of_one_editing_session_are_one_audit_event(world: World) -> None:
    case = new_case(world, "405")
    client = login("adviser_a")
    post_step(client, case, "company", {"company.industry": "製造業"})
    post_step(client, case, "company", {"company.industry": "金属製品製造業"})
    events = list(case.events.filter(action="plan_saved"))
    assert len(events) == 1 and events[0].summary == "計画を保存しました（会社概要）。"
    post_step(login("company_a"), case, "company", {"company.industry": "金属加工業"})
    assert case.events.filter(action="plan_saved").count() == 2  # another person: another event


def test_editing_after_a_submission_makes_the_next_version(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    drafts.import_draft(case, world.user("adviser_a"), example(), "plan.yaml")
    services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    client = login("adviser_a")
    refused = post_step(client, case, "company", {"company.industry": "変更"})
    assert refused.status_code == 409 and 'value="変更"' in refused.content.decode()  # kept on screen
    assert "計画を修正する" in refused.content.decode()
    services.perform(case, "revise", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING], comment="銀行の意見")
    assert post_step(client, case, "company", {"company.industry": "精密部品製造業"}).status_code == 302
    services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    versions = list(case.plan_versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["company"]["industry"] != "精密部品製造業"
    assert versions[1].data["company"]["industry"] == "精密部品製造業"


def test_a_non_editable_state_shows_the_plan_read_only(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    page = login("adviser_a").get(step_url(case, "company")).content.decode()
    assert "表示のみです" in page and "data-autosave" not in page
    assert re.search(r'name="company.name"[^>]* disabled', page)


def test_overview_links_to_the_editor_and_says_whether_the_draft_is_valid(world: World) -> None:
    case = with_example(world)
    page = login("adviser_a").get(reverse("plans:overview", args=[case.pk])).content.decode()
    assert reverse("plans:editor", args=[case.pk]) in page and "計画ファイルとして正しい形です" in page
    post_step(login("adviser_a"), case, "actuals", {"actuals[2].pl.sales": "x"})
    page = login("adviser_a").get(reverse("plans:overview", args=[case.pk])).content.decode()
    assert "1 件のエラーがあります" in page and "提出する前に直してください" in page


def test_json_of_the_saved_draft_is_plain_json(world: World) -> None:
    """The draft is stored as JSON values (floats, ints, strings): PostgreSQL's jsonb keeps it."""
    case = with_example(world)
    data = draft(case)
    assert data["company"]["name"] == "株式会社浪速精密工業"  # the stored draft is the example, not empty

    def kinds(value: Any) -> set[type]:
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            return {dict}.union(*(kinds(v) for v in value.values()))
        if isinstance(value, list):
            return {list}.union(*(kinds(v) for v in value))
        return {type(value)}

    # no Decimal, date or other Python object: only what JSON itself has
    assert kinds(data) <= {dict, list, str, int, float, bool, type(None)}
    assert json.loads(json.dumps(data, allow_nan=False)) == data  # and it survives a round trip unchanged


def test_a_post_that_is_not_the_whole_step_form_changes_nothing(world: World) -> None:
    case = with_example(world)
    before = canonical_json(draft(case))
    client = login("adviser_a")
    response = client.post(step_url(case, "company"), {"company.name": "だけ"})
    assert response.status_code == 400 and "ページを読み込み直して" in response.content.decode()
    autosave = client.post(step_url(case, "drivers"), {}, headers={"X-Keiei-Autosave": "1"})
    assert autosave.status_code == 400 and not autosave.json()["ok"]
    assert canonical_json(draft(case)) == before


ODD_DRAFT: dict[str, Any] = {
    "company": {"name": "株式会社エー", "fiscal_year_end_month": "三月"},
    "pl": {"sales": [100, 110, 120]},  # the foundation's placeholder format: an unknown key
    "action_plan": [{"measure": "値上げ", "effects": [{"line": "bogus", "ratio": "x"}, 5]}, "x"],
    "actuals": [
        {"period": 202503, "pl": "none", "bs": [1, 2], "segments": {"a": "b"}, "adjustments": [{"line": "nope"}]},
        3,
    ],
    "drivers": {
        "years": "abc",
        "sga": "x",
        "sales": {"growth": [0.1, "y"], "amounts": 5},
        "working_capital": {"receivables": {"months": 1, "days": 30}},
    },
    "banks": [1, "x", {"name": "b", "loans": 5, "new_loans": [{"term_years": 3, "annual_repayment": 5}]}],
    "financial_support": {"rescheduling": "yes", "forgiveness": {"bank": "b"}},
    "cash_table": {"months": [{"month": "2025-04", "kind": "maybe", "operating_in": {"a": "x"}, "note": "メモ"}, 7]},
    "business_model": {"suppliers": "a", "flows": [{"from": "x", "to": "y", "kind": "gift"}]},
    "scenarios": [{"name": "custom"}],
}


@pytest.mark.parametrize("step", STEPS)
def test_an_odd_draft_from_elsewhere_never_breaks_a_page(world: World, step: str) -> None:
    """A draft written by the JSON editor or an old format: every page answers, every save works,
    and keys the forms do not show (scenarios, unknown keys) are kept."""
    case = new_case(world, "405")
    drafts.save_draft(case, world.user("adviser_a"), copy.deepcopy(ODD_DRAFT), action="edit_plan", summary="x")
    client = login("adviser_a")
    page = client.get(step_url(case, step))
    assert page.status_code == 200
    assert client.get(reverse("plans:panel", args=[case.pk])).status_code == 200
    response = client.post(step_url(case, step), form_fields(page.content.decode()))
    assert response.status_code == 302
    data = draft(case)
    assert data["scenarios"] == [{"name": "custom"}] and data["pl"] == {"sales": [100, 110, 120]}
    assert client.get(response["Location"]).status_code == 200
