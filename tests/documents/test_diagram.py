"""The business model diagram: every party and flow is drawn, inside the canvas, as text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from keiei.documents import diagram
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]
PLANS = [ROOT / "examples" / "405-manufacturer.yaml", Path(__file__).parent / "data" / "early-cafe.yaml"]


def test_layout_draws_every_party_and_flow() -> None:
    for path in PLANS:
        plan = load_plan(path)
        bm = plan.business_model
        d = diagram.layout(plan)
        assert len(d.boxes) == 1 + len(bm.suppliers) + len(bm.customers) + len(bm.partners)
        flows = [a for a in d.arrows if a.head]
        legend = len({a.kind for a in flows})
        assert len(flows) == len(bm.flows) + legend
        names = {t.text for t in d.texts}
        for party in (*bm.suppliers, *bm.customers, *bm.partners):
            assert any(party.name.startswith(n.rstrip("…")) for n in names), party.name
        for t in d.texts:
            assert 0 <= t.y <= d.height, t
        for b in d.boxes:
            assert b.x >= 0 and b.x + b.w <= d.width and b.y + b.h <= d.height


def test_svg_is_well_formed_and_png_is_stable() -> None:
    plan = load_plan(PLANS[1])
    d = diagram.layout(plan)
    root = ET.fromstring(diagram.to_svg(d, font_family="Noto Sans CJK JP"))
    assert root.tag.endswith("svg") and any(e.text == "生豆商社" for e in root.iter())
    png = diagram.to_png(d)
    assert png.startswith(b"\x89PNG") and png == diagram.to_png(d)


def test_wrap_keeps_closing_marks_on_the_line() -> None:
    lines = diagram.wrap("代金（月末締め翌々月末払い、一部手形）", 10, 100)
    assert all(not line.startswith(("、", "）")) for line in lines)
    assert "".join(lines) == "代金（月末締め翌々月末払い、一部手形）"


def _with_names(*names: str) -> diagram.Diagram:
    from keiei.plan import parse_plan, read_plan_data

    data = read_plan_data(PLANS[1])
    bm = data["business_model"]
    for party, name in zip([*bm["suppliers"], *bm["customers"]], names, strict=False):
        for flow in data["business_model"].get("flows") or ():
            for end in ("source", "target"):
                if flow.get(end) == party["name"]:
                    flow[end] = name
        party["name"] = name
    return diagram.layout(parse_plan(data, "hostile"))


def test_hostile_names_are_text_in_the_svg() -> None:
    names = ("</text><image href='file:///etc/passwd'/>", "ctrl\x01\x1b end")
    d = _with_names(*names)
    root = ET.fromstring(diagram.to_svg(d, font_family='"A" & <B>'))  # well-formed (no raw control char)
    assert not [e for e in root.iter() if e.tag.endswith("image")]
    texts = "".join(e.text or "" for e in root.iter())
    assert "</text><image" in texts and "ctrl\ufffd\ufffd end" in texts
    assert root.get("font-family") == '"A" & <B>'


def test_dollar_signs_are_not_mathtext_in_the_png() -> None:
    """A party named like TeX made matplotlib raise (the workbook build failed with a traceback)."""
    png = diagram.to_png(_with_names("$\\frac{1}{$", "$x^2$"))
    assert png.startswith(b"\x89PNG")
