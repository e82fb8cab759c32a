"""Import and export of the plan file: every example imports; a broken file is explained and
the previous draft stays; export → import gives the same canonical JSON (so the same hash)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans import drafts
from keiei_web.plans.planfile import ImportRefused, ordered, read_upload, to_json, to_yaml
from keiei_web.plans.versioning import canonical_json, sha256_of

from .conftest import PASSWORD, STEP_DATES, World, advance, new_case
from .formparse import form_fields

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_PROGRAMS = [("405-manufacturer", "405"), ("405gl-ryokan", "405-gl"), ("early-restaurant", "early")]


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def upload(client: Client, case: Case, name: str, content: bytes) -> Any:
    """Upload from the import page as a browser would (with the draft revision the page shows)."""
    url = reverse("plans:import", args=[case.pk])
    revision = form_fields(client.get(url).content.decode(), "form").get("revision", "")
    return client.post(url, {"file": SimpleUploadedFile(name, content), "revision": revision})


def draft(case: Case) -> dict[str, Any]:
    case.plan.refresh_from_db()
    return case.plan.data


@pytest.mark.parametrize(("name", "program"), EXAMPLE_PROGRAMS)
def test_each_example_imports_and_becomes_the_draft(world: World, name: str, program: str) -> None:
    case = new_case(world, program)
    content = (EXAMPLES / f"{name}.yaml").read_bytes()
    client = login("adviser_a")
    response = upload(client, case, f"{name}.yaml", content)
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": "company"})
    assert canonical_json(draft(case)) == canonical_json(read_upload(f"{name}.yaml", content))
    event = case.events.get(action="plan_imported")
    assert f"{name}.yaml" in event.summary and event.after["sha256"] == sha256_of(draft(case))
    page = client.get(response["Location"]).content.decode()
    assert "を読み込み、作成中の計画にしました" in page


BROKEN: list[tuple[str, bytes, str]] = [
    ("syntax.yaml", b"program: '405'\ncompany: {name: x\n", "YAML の構文が正しくありません"),
    (
        "schema.yaml",
        "program: '405'\ncompany: {name: 株式会社ゼット, fiscal_year_end_month: 13}\n".encode(),
        "12 以下の整数を指定してください",
    ),
    ("encoding.yaml", "program: '405'\ncompany: {name: 株式会社}\n".encode("shift_jis"), "UTF-8"),
    ("plan.txt", b"program: '405'\n", "計画ファイル（.yaml・.yml・.json）を選んでください"),
    ("empty.yaml", b"\n", "ファイルが空です"),
    ("bad.json", b'{"program": "405",}', "JSON の構文が正しくありません"),
]


@pytest.mark.parametrize(("filename", "content", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_explained_and_the_draft_is_kept(
    world: World, filename: str, content: bytes, message: str
) -> None:
    case = new_case(world, "405")
    drafts.import_draft(
        case,
        world.user("adviser_a"),
        read_upload("x.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes()),
        "x.yaml",
    )
    before = canonical_json(draft(case))
    response = upload(login("adviser_a"), case, filename, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "作成中の計画は変わっていません" in page, page[
        page.find("errors") : page.find("errors") + 600
    ]
    assert canonical_json(draft(case)) == before
    assert case.events.filter(action="plan_imported").count() == 1


def test_a_schema_error_names_the_path_and_every_problem(world: World) -> None:
    case = new_case(world, "405")
    text = (EXAMPLES / "405-manufacturer.yaml").read_text(encoding="utf-8")
    text = text.replace("balance: 120_000_000", "balance: -1").replace("rate: 0.016", "rate: 高い")
    page = upload(login("adviser_a"), case, "plan.yaml", text.encode()).content.decode()
    assert "<code>banks[0].loans[0].balance</code>" in page and "0 以上の整数を指定してください" in page
    assert "<code>banks[0].loans[1].rate</code>" in page
    assert draft(case) == {}


def test_a_plan_of_another_programme_is_refused(world: World) -> None:
    case = new_case(world, "early")
    page = upload(
        login("adviser_a"), case, "p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes()
    ).content.decode()
    assert "案件の事業区分（early" in page and draft(case) == {}


def test_import_is_refused_after_submission(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.BANK_MEETING)
    response = upload(login("adviser_a"), case, "p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes())
    assert response.status_code == 409 and "計画を修正する" in response.content.decode()


@pytest.mark.parametrize(("name", "program"), EXAMPLE_PROGRAMS)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_then_import_gives_the_same_canonical_json(world: World, name: str, program: str, fmt: str) -> None:
    source = new_case(world, program)
    client = login("adviser_a")
    assert upload(client, source, f"{name}.yaml", (EXAMPLES / f"{name}.yaml").read_bytes()).status_code == 302
    response = client.get(reverse("plans:export", args=[source.pk]) + f"?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{source.reference}-draft.{fmt}"'
    target = new_case(world, program, company="b")
    assert upload(client, target, f"again.{fmt}", response.content).status_code == 302
    assert canonical_json(draft(target)) == canonical_json(draft(source))
    assert sha256_of(draft(target)) == sha256_of(draft(source))


def test_the_yaml_export_reads_like_the_examples(world: World) -> None:
    data = read_upload("x.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes())
    text = to_yaml(data, "見出し")
    assert text.startswith("# 見出し\nversion: 1\nprogram: '405'\ncompany:\n  name: 株式会社浪速精密工業")
    assert "balance: 120_000_000" in text and "growth: [-0.02, 0.0, 0.0, 0.01, 0.01]" in text
    shuffled = dict(reversed(list(data.items())))  # e.g. jsonb's own key order
    assert list(ordered(shuffled)) == list(ordered(data))
    assert list(ordered(data))[:4] == ["version", "program", "company", "causes_of_distress"]  # the schema's order
    assert to_json(shuffled) == to_json(data)


def test_a_frozen_version_exports_exactly(world: World) -> None:
    case = advance(world, new_case(world, "405"), State.DRAFTING)
    client = login("adviser_a")
    upload(client, case, "p.yaml", (EXAMPLES / "405-manufacturer.yaml").read_bytes())
    services.perform(case, "submit_to_banks", world.user("adviser_a"), on=STEP_DATES[State.BANK_MEETING])
    version = case.plan_versions.get(number=1)
    url = reverse("plans:export", args=[case.pk])
    for user in ("adviser_a", "bank_main", "council_osaka"):
        response = login(user).get(url + "?format=yaml&version=1")
        assert response.status_code == 200, user
        text = response.content.decode()
        assert version.sha256 in text  # the header names the hash
        assert canonical_json(read_upload("v1.yaml", response.content)) == canonical_json(version.data)
    listing = login("bank_main").get(url).content.decode()
    assert "第1版" in listing and "作成中の計画" not in listing
    assert login("adviser_a").get(url + "?format=xml").status_code == 404
    assert login("adviser_a").get(url + "?format=yaml&version=9").status_code == 404


def test_import_upload_reader_refuses_what_the_core_refuses() -> None:
    with pytest.raises(ImportRefused) as info:
        read_upload("p.yaml", b"program: '405'\nprogram: early\n")
    assert "重複" in info.value.problems[0].message
    with pytest.raises(ImportRefused):
        read_upload("p.yaml", b"!!python/object:os.system ls\n")
