"""The same plan projects identically in the CLI and the web (issue 10: ratios held as floats).

The CLI reads a plan file's decimals as Decimal from their text. The web's draft used to hold
floats, so a ratio with more digits than a float keeps was rounded on the way and the web's
projection differed. Here one plan file is read both ways — by the core's reader, as
`keiei plan check` does, and as the web's stored draft after an import and after an edit in the
editor — and every projected year and bank table must be equal.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.test import Client
from django.urls import reverse

from keiei.finance.projection import Projection, project
from keiei.plan import load_plan, parse_plan
from keiei_web.cases.models import Case
from keiei_web.plans import drafts, exactjson, planfile
from keiei_web.plans.formkit import parse

from .conftest import PASSWORD, World, new_case
from .formparse import form_fields

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "405-manufacturer.yaml"
LONG = "0.5051234567890123456789"  # more digits than a binary float keeps


def plan_text() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    replaced = text.replace("growth: [-0.02, 0.0, 0.0, 0.01, 0.01]", "growth: [0.1, 0.07, 1.0e-3, 0.10, 0.01]")
    replaced = replaced.replace("ratio: 0.505 ", f"ratio: {LONG} ")
    replaced = replaced.replace(
        "{name: 荷造運賃, kind: variable, ratio: 0.022}", "{name: 荷造運賃, kind: variable, ratio: 1.0e-3}"
    )
    assert replaced.count("1.0e-3") == 2 and LONG in replaced  # the example still has these lines
    return replaced


def figures(projection: Projection) -> tuple[Any, Any]:
    return projection.years, projection.banks


def stored_plan(case: Case) -> Any:
    case.plan.refresh_from_db()
    return parse_plan(case.plan.data)


def test_a_plan_projects_identically_from_the_file_and_from_the_web_draft(world: World, tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    cli = load_plan(path)
    assert cli.drivers.cost_ratio[0] == Decimal(LONG)

    case = new_case(world, "405")
    data = planfile.read_upload("plan.yaml", path.read_bytes())
    drafts.import_draft(case, world.user("adviser_a"), data, "plan.yaml")
    web = stored_plan(case)
    assert web.drivers.cost_ratio[0] == Decimal(LONG)
    assert figures(project(web)) == figures(project(cli))

    # the editor's form shows the stored ratio and reads it back without losing a digit
    client = Client()
    assert client.login(username="adviser_a", password=PASSWORD)
    url = reverse("plans:editor_step", kwargs={"case_id": case.pk, "step": "drivers"})
    fields = form_fields(client.get(url).content.decode())
    assert fields["drivers.cost_of_sales.ratio[0]"] == LONG
    assert client.post(url, fields | {"drivers.years": fields["drivers.years"]}).status_code == 302
    assert figures(project(stored_plan(case))) == figures(project(cli))

    # the exported file, read by the CLI again, is the same plan
    exported = tmp_path / "exported.yaml"
    exported.write_text(planfile.to_yaml(case.plan.data), encoding="utf-8")
    assert figures(project(load_plan(exported))) == figures(project(cli))


def test_numbers_a_float_holds_stay_floats_and_others_stay_exact() -> None:
    assert parse("number", "0.07") == 0.07 and type(parse("number", "0.07")) is float
    assert parse("number", "1e-3") == 0.001 and type(parse("number", "1e-3")) is float
    assert parse("number", LONG) == Decimal(LONG)
    text = exactjson.dumps({"ratio": Decimal(LONG), "growth": [0.1, 0.07]})
    assert text == '{"ratio": ' + LONG + ', "growth": [0.1, 0.07]}'
    assert exactjson.loads(text) == {"ratio": Decimal(LONG), "growth": [0.1, 0.07]}
