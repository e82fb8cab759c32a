"""`keiei rules show` and `keiei subsidy` through `keiei.cli.main`, as a user meets them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keiei.cli import main
from keiei.rules import PROGRAMS

from .helpers import assert_one_error_line, run

# --- rules show ---------------------------------------------------------------------------------


def test_rules_show_json_has_every_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rules", "show", "--program", "early", "--date", "2026-04-01", "--json"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["program"] == "early"
    assert data["as_of"] == "2026-04-01"
    assert data["started"] == "2017-05-01"
    assert data["rate"] == "2/3"
    assert data["total_cap"] == 250000
    assert {i["item"]: i["cap"] for i in data["items"]} == {
        "plan": 150000,
        "monitoring_mid": 50000,
        "monitoring_end": 50000,
        "guarantee_release": 100000,
    }
    assert all(i["reference"].strip() for i in data["items"])
    assert data["max_subsidy"] == 250000
    assert data["max_subsidy_with_guarantee_release"] == 350000
    assert data["plan_split"] is True
    assert data["repeat_use"]["policy"] == "not_allowed"
    assert data["bank_step"]["kind"] == "receipt"
    assert data["monitoring"]["period_years"] == 1
    params = data["parameters"]
    assert len(params) > 10
    for param in params:
        assert isinstance(param["reference"], str) and param["reference"].strip(), param["key"]
        assert param["since"] <= "2026-04-01"
    keys = {p["key"]: p for p in params}
    assert keys["subsidy.total_cap"]["value"] == 250000
    assert keys["subsidy.total_cap"]["since"] == "2022-04-01"
    assert keys["common.fees.tax_treatment"]["unconfirmed"] is True
    assert keys["common.fees.yen_rounding"]["unconfirmed"] is True


@pytest.mark.parametrize("program", PROGRAMS)
def test_rules_show_json_for_each_programme(program: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "show", "--program", program, "--date", "2024-04-01", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["program"] == program
    assert all(p["reference"].strip() for p in data["parameters"])


def test_rules_show_json_follows_the_date(capsys: pytest.CaptureFixture[str]) -> None:
    _, before, _ = run(["rules", "show", "--program", "405", "--date", "2022-03-31", "--json"], capsys)
    _, after, _ = run(["rules", "show", "--program", "405", "--date", "2022-04-01", "--json"], capsys)
    assert json.loads(before)["total_cap"] == 2000000
    assert json.loads(after)["total_cap"] == 3000000
    assert json.loads(before)["items_not_yet_available"] == {"guarantee_release": "2022-04-01"}


def test_rules_show_text_mentions_the_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["rules", "show", "--program", "early", "--date", "2026-04-01"], capsys)
    assert code == 0 and err == ""
    assert "出典" in out
    assert out.count("出典:") >= 10
    assert "［未確認］" in out
    assert "250,000円" in out
    assert "令和8年4月1日" in out
    assert "適用開始: 2022-04-01" in out


def test_rules_show_without_a_date_uses_today(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules", "show", "--program", "405-gl", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["total_cap"] == 7000000


# --- subsidy -------------------------------------------------------------------------------------

SPEC_KEYS = {"program", "as_of", "items", "total_fee", "total_subsidy", "company_share", "payment_schedule", "warnings"}
ITEM_KEYS = {"item", "fee", "cap", "subsidy"}


def subsidy_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(["subsidy", *args, "--json"], capsys)
    assert code == 0, err
    assert err == ""
    data: dict[str, Any] = json.loads(out)
    return data


def test_subsidy_json_has_the_spec_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = subsidy_json(
        ["--program", "early", "--date", "2026-04-01", "--fee", "plan=240000", "--fee", "monitoring_end=60000"], capsys
    )
    assert set(data) >= SPEC_KEYS
    assert data["program"] == "early"
    assert data["as_of"] == "2026-04-01"
    for item in data["items"]:
        assert set(item) >= ITEM_KEYS
        assert all(isinstance(item[k], int) for k in ("fee", "cap", "subsidy"))
    assert [(i["item"], i["fee"], i["cap"], i["subsidy"]) for i in data["items"]] == [
        ("plan", 240000, 150000, 150000),
        ("monitoring_end", 60000, 50000, 40000),
    ]
    assert data["total_fee"] == 300000
    assert data["total_subsidy"] == 190000
    assert data["company_share"] == 110000
    assert [(c["claim"], c["amount"]) for c in data["payment_schedule"]] == [
        ("plan", 75000),
        ("monitoring_end", 115000),
    ]
    assert sum(c["amount"] for c in data["payment_schedule"]) == data["total_subsidy"]
    assert all({"code", "severity", "message"} <= set(w) for w in data["warnings"])
    assert "item_cap_reached" in {w["code"] for w in data["warnings"]}


def test_subsidy_json_for_405_with_the_add_on(capsys: pytest.CaptureFixture[str]) -> None:
    data = subsidy_json(
        [
            "--program",
            "405",
            "--date",
            "2026-04-01",
            "--fee",
            "plan=3300000",
            "--fee",
            "monitoring=900000",
            "--fee",
            "guarantee_release=200000",
        ],
        capsys,
    )
    assert {i["item"]: i["subsidy"] for i in data["items"]} == {
        "plan": 2000000,
        "monitoring": 600000,
        "guarantee_release": 100000,
    }
    assert data["total_subsidy"] == 2700000
    assert data["company_share"] == 4400000 - 2700000


def test_subsidy_accepts_commas_full_width_digits_and_yen(capsys: pytest.CaptureFixture[str]) -> None:
    data = subsidy_json(
        [
            "--program",
            "early",
            "--date",
            "2026-04-01",
            "--fee",
            "plan=１５０，０００円",
            "--fee",
            "monitoring_end=30,000",
        ],
        capsys,
    )
    assert [i["fee"] for i in data["items"]] == [150000, 30000]
    assert data["total_subsidy"] == 120000


def test_subsidy_repeat_use_with_previous_subsidy(capsys: pytest.CaptureFixture[str]) -> None:
    data = subsidy_json(
        ["--program", "405", "--date", "2026-04-01", "--fee", "plan=3000000", "--previous-subsidy", "2,500,000"], capsys
    )
    assert data["total_subsidy"] == 500000
    assert {"repeat_use_exception", "cumulative_cap"} <= {w["code"] for w in data["warnings"]}


def test_subsidy_table_shows_yen_with_commas(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "subsidy",
            "--program",
            "early",
            "--date",
            "2026-04-01",
            "--fee",
            "plan=300000",
            "--fee",
            "monitoring_end=75000",
        ],
        capsys,
    )
    assert code == 0 and err == ""
    assert "300,000円" in out and "150,000円" in out and "75,000円" in out
    assert "補助額" in out and "合計" in out
    assert "協議会の補助額（認定支援機関へ支払）: 200,000円" in out
    assert "事業者の負担額（先に振込で支払）　　: 175,000円" in out
    assert "支払の時期" in out
    assert "計画策定支援の支払申請: 75,000円" in out
    assert "伴走支援（期末）の支払申請: 125,000円（計画策定支援の残り半額を含む）" in out
    assert "項目上限" in out
    assert "令和8年4月1日" in out


def test_subsidy_table_shows_the_total_cap_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "subsidy",
            "--program",
            "early",
            "--date",
            "2021-06-01",
            "--fee",
            "plan=300000",
            "--fee",
            "monitoring_end=75000",
        ],
        capsys,
    )
    assert code == 0
    assert "合計上限" in out
    assert "200,000円" in out


# --- bad input: exit status 2, one line on stderr naming the field, never a traceback --------------

BAD_INPUT = {
    "unknown programme": (["subsidy", "--program", "406", "--fee", "plan=1"], "--program", ["early", "405", "405-gl"]),
    "unknown programme in rules show": (["rules", "show", "--program", "406"], "--program", ["early", "405", "405-gl"]),
    "unknown item": (
        ["subsidy", "--program", "early", "--date", "2026-04-01", "--fee", "consulting=1"],
        "--fee",
        ["plan", "monitoring_mid", "monitoring_end", "guarantee_release"],
    ),
    "item not yet available": (
        ["subsidy", "--program", "405", "--date", "2021-04-01", "--fee", "guarantee_release=1"],
        "--fee",
        ["plan", "monitoring", "2022-04-01"],
    ),
    "item of another programme": (
        ["subsidy", "--program", "405-gl", "--date", "2026-04-01", "--fee", "guarantee_release=1"],
        "--fee",
        ["dd", "plan", "monitoring"],
    ),
    "no fee": (["subsidy", "--program", "405-gl", "--date", "2026-04-01"], "--fee", ["dd", "plan", "monitoring"]),
    "negative fee": (["subsidy", "--program", "early", "--fee", "plan=-1"], "--fee", []),
    "fractional fee": (["subsidy", "--program", "early", "--fee", "plan=1.5"], "--fee", []),
    "non-numeric fee": (["subsidy", "--program", "early", "--fee", "plan=abc"], "--fee", []),
    "empty fee": (["subsidy", "--program", "early", "--fee", "plan="], "--fee", []),
    "fee without item": (["subsidy", "--program", "early", "--fee", "150000"], "--fee", []),
    "fee given twice": (["subsidy", "--program", "early", "--fee", "plan=1", "--fee", "plan=2"], "--fee", []),
    "date before the programme": (
        ["subsidy", "--program", "405-gl", "--date", "2022-04-14", "--fee", "plan=1"],
        "--date",
        ["2022-04-15"],
    ),
    "date before the programme in rules show": (
        ["rules", "show", "--program", "early", "--date", "2017-04-30"],
        "--date",
        ["2017-05-01"],
    ),
    "malformed date": (["subsidy", "--program", "early", "--date", "2024-02-30", "--fee", "plan=1"], "--date", []),
    "malformed date in rules show": (["rules", "show", "--program", "early", "--date", "2024/04/01"], "--date", []),
    "missing programme": (["subsidy", "--fee", "plan=1"], "--program", []),
    "missing programme in rules show": (["rules", "show", "--date", "2024-04-01"], "--program", []),
    "bad previous subsidy": (
        ["subsidy", "--program", "405", "--fee", "plan=1", "--previous-subsidy", "-5"],
        "--previous-subsidy",
        [],
    ),
    "second early use": (
        ["subsidy", "--program", "early", "--date", "2026-04-01", "--fee", "plan=1", "--previous-subsidy", "100000"],
        "--previous-subsidy",
        [],
    ),
}


@pytest.mark.parametrize(("argv", "field", "listed"), list(BAD_INPUT.values()), ids=list(BAD_INPUT))
def test_bad_input_gives_one_line_naming_the_field(
    argv: list[str], field: str, listed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    line = assert_one_error_line(err, out)
    assert field in line
    for value in listed:
        assert value in line
    assert out == ""


def test_an_unknown_programme_is_reported_before_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["subsidy", "--program", "x", "--date", "bad", "--fee", "plan=1"], capsys)
    assert code == 2
    assert "--program" in assert_one_error_line(err)


def test_main_returns_2_for_a_missing_programme(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["subsidy", "--fee", "plan=1"]) == 2
    assert "--program" in assert_one_error_line(capsys.readouterr().err)


@settings(max_examples=60)
@given(
    program=st.sampled_from([*PROGRAMS, "", "EARLY", "４０５"]),
    fee=st.text(max_size=12),
    date=st.one_of(st.text(max_size=12), st.dates().map(str)),
)
def test_no_input_ever_gives_a_traceback(program: str, fee: str, date: str) -> None:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["subsidy", "--program", program, "--date", date, "--fee", f"plan={fee}"])
    assert code in (0, 2)
    if code == 2:
        assert err.getvalue().count("\n") == 1, err.getvalue()
    assert "Traceback" not in err.getvalue()


def test_an_absurdly_large_fee_is_not_an_internal_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["subsidy", "--program", "early", "--date", "2026-04-01", "--fee", "plan=1" + "0" * 30], capsys)
    assert code in (0, 2), err


@pytest.mark.parametrize(
    "argv",
    [
        ["rules", "show", "--program", "405", "--date", "9999-12-31"],
        ["subsidy", "--program", "405", "--fee", "plan=3000000", "--date", "2101-01-01"],
        ["advise", "--borrowing", "yes", "--date", "1999-12-31"],
    ],
)
def test_a_date_outside_the_rules_window_is_one_error_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert_one_error_line(err, out)
    assert "--date" in err and "2000-01-01 から 2100-12-31 まで" in err
