"""`keiei plan check` through `keiei.cli.main`, as a user meets it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keiei.cli.demo_cmd import DEMO_STEPS, EXAMPLES, _locate

from .helpers import assert_one_error_line, run

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data" / "plans"
MANUFACTURER = str(ROOT / "examples" / "405-manufacturer.yaml")
BAD = sorted(p for p in (DATA / "bad").iterdir() if p.is_file())


# --- JSON ---------------------------------------------------------------------------------------


def test_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "check", MANUFACTURER, "--json"], capsys)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["program"] == "405"
    assert data["company"]["name"] == "株式会社浪速精密工業"
    assert [y["kind"] for y in data["years"]] == ["actual"] * 3 + ["plan"] * 5
    assert {"pl", "bs", "cf", "indicators"} <= set(data["years"][0])
    assert [b["name"] for b in data["banks"]] == ["大阪中央銀行", "なにわ銀行", "東大阪信用金庫"]
    ids = [c["id"] for c in data["criteria"]]
    for cid in (
        "ordinary_profit_within_3y",
        "negative_net_worth_within_5y",
        "debt_repayment_years_le_10",
        "plan_period_within_range",
        "contents_business_model_diagram",
        "contents_cf",
    ):
        assert cid in ids
    for c in data["criteria"]:
        assert {"id", "passed", "message", "severity", "where", "set"} <= set(c)
    assert data["scenario"]["name"] == "base"
    assert [s["name"] for s in data["scenarios"]["scenarios"]] == ["base", "sales_down_10", "cost_up"]


def test_json_scenario_and_compare(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["plan", "check", MANUFACTURER, "--json", "--scenario", "sales_down_10", "--compare", "contractual"], capsys
    )
    data = json.loads(out)
    assert code == 0 and data["scenario"]["name"] == "sales_down_10"
    assert [s["name"] for s in data["scenarios"]["scenarios"]] == ["base", "contractual", "sales_down_10"]
    assert not next(c for c in data["criteria"] if c["id"] == "debt_repayment_years_le_10")["passed"]


def test_json_date(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["plan", "check", MANUFACTURER, "--json", "--date", "2026-04-01"], capsys)
    assert json.loads(out)["rules"]["as_of"] == "2026-04-01"


# --- text ---------------------------------------------------------------------------------------


def test_text_summary_shows_figures_verdicts_banks_and_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "check", MANUFACTURER], capsys)
    assert code == 0 and err == ""
    assert "株式会社浪速精密工業" in out and "経営改善計画策定支援（405事業）" in out
    assert "千円" in out and "△20,200" in out  # 2025-03 ordinary loss in 千円 with △
    assert "✔ 経常黒字化（3年以内）" in out
    assert "債務償還年数（年）" in out and "3.09" in out  # 3.10 before caps per lender (issue 11)
    assert "大阪中央銀行（メイン）" in out and "信用残高プロラタ" in out
    assert "✖（反転）" in out and "判定が反転する項目" in out and "✔→✖" in out
    assert "13項目中 13項目" in out


def test_text_shows_failures_with_their_weight(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["plan", "check", MANUFACTURER, "--scenario", "sales_down_10"], capsys)
    assert "✖ 〔警告〕 経常黒字化（3年以内）" in out and "11.73" in out
    _, out, _ = run(
        ["plan", "check", str(ROOT / "examples" / "405gl-ryokan.yaml"), "--scenario", "sales_down_10"], capsys
    )
    assert "✖ 〔エラー〕 実質債務超過の解消（5年以内）" in out
    _, out, _ = run(
        ["plan", "check", str(ROOT / "examples" / "early-restaurant.yaml"), "--scenario", "sales_down_10"], capsys
    )
    assert "✖ 〔参考〕" in out and "公式の数値基準はありません" in out


def test_impossible_figures_are_shown_not_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "check", str(DATA / "bad" / "figures" / "impossible-figures.yaml")], capsys)
    assert code == 0 and err == ""
    assert "✖ 〔エラー〕 数値の整合" in out and "貸借対照表が一致しません" in out


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_runs_in_text_and_json(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", "check", str(path)], capsys)
    assert code == 0 and err == "" and "✔" in out and "千円" in out
    code, out, err = run(["plan", "check", str(path), "--json"], capsys)
    assert code == 0 and json.loads(out)["summary"]["ok"] is True


# --- bad input: one line, exit 2 ----------------------------------------------------------------


def test_there_are_broken_files_to_test() -> None:
    assert len(BAD) >= 8


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_broken_file_exits_2_with_one_line(
    path: Path, json_flag: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["plan", "check", str(path), *json_flag], capsys)
    assert code == 2 and out == ""
    assert_one_error_line(err, out)


def test_schema_error_names_the_field_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(["plan", "check", str(DATA / "bad" / "negative-balance.yaml")], capsys)
    assert err == "エラー: banks[0].loans[0].balance: 0 以上の整数を指定してください\n"
    _, _, err = run(["plan", "check", str(DATA / "bad" / "yaml-syntax.yaml")], capsys)
    assert "yaml-syntax.yaml:4" in err and "YAML の構文" in err
    _, _, err = run(["plan", "check", str(DATA / "bad" / "negative-sales.yaml")], capsys)
    assert err == "エラー: actuals[0].pl.sales: 0 以上の整数を指定してください\n"
    _, _, err = run(["plan", "check", str(DATA / "bad" / "period-9999.yaml")], capsys)
    assert err == "エラー: actuals[0].period: 2000-01 から 2100-12 までの年月にしてください（指定値: 9999-03）\n"
    _, _, err = run(["plan", "check", str(DATA / "bad" / "deep-nesting.yaml")], capsys)
    assert "deep-nesting.yaml:" in err and "入れ子が深すぎます（20 段まで）" in err


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["plan", "check", "no-such-plan.yaml"], "no-such-plan.yaml"),
        (["plan", "check", str(DATA)], str(DATA)),
        (["plan", "check", MANUFACTURER, "--scenario", "boom"], "--scenario"),
        (["plan", "check", MANUFACTURER, "--compare", "boom"], "--compare"),
        (["plan", "check", MANUFACTURER, "--date", "2025/04/01"], "--date"),
        (["plan", "check", MANUFACTURER, "--date", "2012-01-01"], "--date"),
        (["plan", "check", MANUFACTURER, "--date", "9999-12-31"], "--date"),
        (["plan", "check"], "keiei plan check"),
        (["plan", "check", MANUFACTURER, "--jsn"], "keiei"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv: list[str], field: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert_one_error_line(err, out)
    assert field in err


def test_plan_without_subcommand_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan"], capsys)
    assert code == 2 and "check" in out and err == ""


# --- demo ---------------------------------------------------------------------------------------


def test_demo_checks_every_example() -> None:
    checked = {argv[2] for _, argv in DEMO_STEPS if argv[:2] == ["plan", "check"]}
    assert checked == {f"examples/{p.name}" for p in (ROOT / "examples").glob("*.yaml")}


def test_demo_finds_examples_from_another_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _locate("examples/405-manufacturer.yaml") == str(EXAMPLES / "405-manufacturer.yaml")
    assert _locate("--json") == "--json"
