"""The plan editor's value conversions and problem attachment (no database)."""

from __future__ import annotations

import pytest

from keiei_web.plans import steps
from keiei_web.plans.formkit import Input, Node, attach, is_within, parse, show


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("yen", "52,000,000", 52_000_000),
        ("yen", "52_000_000", 52_000_000),
        ("yen", "５２，０００，０００円", 52_000_000),
        ("yen", "△1,200", -1200),
        ("yen", "▲1,200", -1200),
        ("yen", "-1200", -1200),
        ("yen", "", None),
        ("yen", "  ", None),
        ("yen", "1.5", 1.5),  # kept: the schema says "整数"
        ("yen", "三百万", "三百万"),  # kept as typed
        ("number", "0.03", 0.03),
        ("number", "3%", 0.03),
        ("number", "３．５％", 0.035),
        ("number", "0", 0),
        ("number", "1.0", 1.0),
        ("number", "-0.02", -0.02),
        ("number", "abc", "abc"),
        ("period", "2025-03", "2025-03"),
        ("period", "2025/3", "2025-03"),
        ("period", "2025年3月", "2025-03"),
        ("period", "2025-13", "2025-13"),
        ("date", "1978/4/1", "1978-04-01"),
        ("date", "1978年4月", "1978-04"),
        ("date", "1978", "1978"),
        ("lines", "a\n\n b \r\nc", ["a", "b", "c"]),
        ("lines", "\n", None),
        ("bool3", "", None),
        ("bool3", "true", True),
        ("bool3", "false", False),
        ("yen_list", "1,000 / 2,000 / 3,000", [1000, 2000, 3000]),
        ("yen_list", "1,000", 1000),
    ],
)
def test_lenient_parsing(kind: str, typed: str, stored: object) -> None:
    value = parse(kind, typed)
    assert value == stored and type(value) is type(stored)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("yen", 52_000_000),
        ("yen", -4_800_000),
        ("number", 0.505),
        ("number", 0),
        ("number", 1.0),
        ("period", "2025-03"),
        ("lines", ["a", "b"]),
        ("bool3", False),
        ("yen_list", [1, 2]),
    ],
)
def test_show_then_parse_is_the_identity(kind: str, value: object) -> None:
    back = parse(kind, show(kind, value))
    assert back == value and type(back) is type(value)


def test_within_is_by_path_components() -> None:
    assert is_within("banks[1].loans[0].rate", "banks[1]")
    assert is_within("banks[1]", "banks[1]")
    assert not is_within("banks[10].name", "banks[1]")
    assert not is_within("company.name_kana", "company.name")


def test_problems_attach_to_the_deepest_node() -> None:
    row = Node(path="banks[0].loans[1]")
    rate = Input(path="banks[0].loans[1].rate", name="banks[0].loans[1].rate")
    other = Node(path="banks")
    left = attach(
        [other, row, rate],
        [
            ("banks[0].loans[1].rate", "a"),
            ("banks[0].loans[1]", "b"),
            ("banks[0].loans[1].balance", "c"),
            ("drivers.years", "d"),
        ],
    )
    assert rate.errors == ["a"] and row.errors == ["b", "c"] and left == [("drivers.years", "d")]


class Post(dict[str, str]):
    pass


def test_series_reading_rules() -> None:
    doc = {"drivers": {"years": 3}}
    r = steps.Reader(Post({"x[0]": "5", "x[1]": "", "x[2]": ""}), doc)
    assert steps.read_series(r, ["x[0]", "x[1]", "x[2]"], "yen") == 5
    r = steps.Reader(Post({"x[0]": "5", "x[1]": "", "x[2]": "7"}), doc)
    assert steps.read_series(r, ["x[0]", "x[1]", "x[2]"], "yen") == [5, 5, 7]
    r = steps.Reader(Post({"x[0]": "5", "x[1]": "6", "x[2]": ""}), doc)
    assert steps.read_series(r, ["x[0]", "x[1]", "x[2]"], "yen") == [5, 6, 6]
    r = steps.Reader(Post({"x[0]": "", "x[1]": "6", "x[2]": ""}), doc)
    assert steps.read_series(r, ["x[0]", "x[1]", "x[2]"], "yen") == ["", 6, 6]
    r = steps.Reader(Post({"x[0]": "", "x[1]": "", "x[2]": ""}), doc)
    assert steps.read_series(r, ["x[0]", "x[1]", "x[2]"], "yen") is None
    # a fourth column beyond the 3 plan years: cut when empty, kept (and named by the loader) when typed
    cells = ["x[0]", "x[1]", "x[2]", "x[3]"]
    r = steps.Reader(Post({"x[0]": "1", "x[1]": "2", "x[2]": "", "x[3]": ""}), doc)
    assert steps.read_series(r, cells, "yen") == [1, 2, 2]
    r = steps.Reader(Post({"x[0]": "1", "x[1]": "2", "x[2]": "", "x[3]": "4"}), doc)
    assert steps.read_series(r, cells, "yen") == [1, 2, 2, 4]


def test_resize_series_cuts_and_extends() -> None:
    doc = {
        "drivers": {"years": 3, "dividends": [1, 2, 3], "sga": [{"name": "a", "kind": "fixed", "amount": [5, 6, 7]}]},
        "banks": [{"name": "b", "loans": [{"schedule": [1, 2, 3]}]}],
    }
    assert steps.resize_series(doc, 5)
    assert doc["drivers"]["dividends"] == [1, 2, 3, 3, 3]
    assert doc["drivers"]["sga"][0]["amount"] == [5, 6, 7, 7, 7]
    assert doc["banks"][0]["loans"][0]["schedule"] == [1, 2, 3, 3, 3]
    assert steps.resize_series(doc, 2) and doc["drivers"]["dividends"] == [1, 2]


def test_every_plan_file_key_belongs_to_a_step_or_is_kept() -> None:
    owned = {key for step in steps.STEPS for key in step.keys}
    assert owned >= {
        "program",
        "company",
        "actuals",
        "drivers",
        "banks",
        "financial_support",
        "action_plan",
        "business_model",
        "cash_table",
    }
    assert steps.step_of_path("scenarios[0].name") is None  # not edited here: kept as is
    assert steps.step_of_path("(ファイル全体)") is steps.STEPS[0]


def test_input_html_escapes_values_and_shows_messages_under_the_input() -> None:
    f = Input(
        path="company.name",
        name="company.name",
        label="商号",
        value='"><script>alert(1)</script>株式会社テスト',
        errors=["必須です <b>"],
        warnings=["確認してください"],
        width="l",
        context="会社",
    )
    html = str(f.html)
    assert html.startswith('<span class="fld has-error w-l"><input type="text" id="f-company-name" name="company.name"')
    assert "<script>" not in html and "&lt;script&gt;" in html and "&quot;&gt;" in html
    assert 'aria-label="会社 商号"' in html and 'aria-invalid="true"' in html
    assert 'title="&quot;&gt;&lt;script&gt;' in html  # long values get a tooltip
    assert html.endswith(
        '<span class="error">必須です &lt;b&gt;</span><span class="warning">確認してください</span></span>'
    )
    assert f.html.__html__() == html  # Django inserts it as markup, without escaping it twice


def test_input_html_select_textarea_and_number() -> None:
    select = Input(path="p", name="p", widget="select", value="b", choices=[("a", "甲"), ("b", "乙&")], disabled=True)
    assert str(select.html) == (
        '<span class="fld"><select id="f-p" name="p" aria-label="" disabled>'
        '<option value="a">甲</option><option value="b" selected>乙&amp;</option></select></span>'
    )
    area = Input(path="t", name="t", widget="textarea", kind="lines", value="一行目\n<二行目>", warnings=["w"])
    assert str(area.html) == (
        '<span class="fld has-warning"><textarea id="f-t" name="t" rows="4" aria-label="">一行目\n&lt;二行目&gt;'
        '</textarea><span class="warning">w</span></span>'
    )
    number = Input(path="n", name="n", kind="yen", value="1,000", placeholder="0", datalist="dl")
    assert str(number.html) == (
        '<span class="fld"><input type="text" id="f-n" name="n" value="1,000" aria-label="" class="num" '
        'inputmode="numeric" placeholder="0" list="dl" autocomplete="off"></span>'
    )
