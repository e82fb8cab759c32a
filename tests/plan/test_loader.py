"""Loading plan files: typed values, and every bad input as one Japanese line naming the field."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from keiei.errors import KeieiInputError
from keiei.plan import PlanInputError, load_plan, parse_plan, plan_schema, schema_path

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "405-manufacturer.yaml"
MINIMAL = ROOT / "tests" / "data" / "plans" / "minimal.yaml"


def minimal() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    return data


def error_of(data: dict[str, Any]) -> PlanInputError:
    with pytest.raises(PlanInputError) as info:
        parse_plan(data)
    return info.value


def walk(value: Any) -> list[Any]:
    """Every leaf of a dataclass tree."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [leaf for f in dataclasses.fields(value) for leaf in walk(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [leaf for item in value for leaf in walk(item)]
    return [value]


def test_published_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(plan_schema())
    assert schema_path().name == "plan.schema.json"


def test_example_loads_with_money_as_int_and_ratios_as_decimal() -> None:
    plan = load_plan(EXAMPLE)
    assert plan.program == "405"
    assert plan.company.name == "株式会社浪速精密工業"
    assert plan.company.founded == "1978-04-01"  # dates stay text
    assert plan.drivers.cost_ratio[0] == Decimal("0.505")
    assert plan.banks[0].loans[0].annual_repayment == 24_000_000  # monthly × 12
    leaves = walk(plan)
    assert not any(isinstance(leaf, float) for leaf in leaves)


def test_example_schema_valid_also_as_json(tmp_path: Path) -> None:
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all strings: not usable
    assert data  # (BaseLoader only proves the file parses; the JSON round trip is below)
    plan = load_plan(EXAMPLE)
    path = tmp_path / "plan.json"
    text = json.dumps(minimal(), ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    assert load_plan(path).drivers.years == 2
    assert plan.drivers.years == 5


def test_negative_balance_names_the_path_in_japanese() -> None:
    data = minimal()
    data["banks"].append({"name": "第二銀行", "loans": [{"name": "x", "balance": -1, "rate": 0.01}]})
    err = error_of(data)
    assert err.field == "banks[1].loans[0].balance"
    assert err.message_ja == "0 以上の整数を指定してください"
    assert err.user_line() == "エラー: banks[1].loans[0].balance: 0 以上の整数を指定してください"
    assert isinstance(err, KeieiInputError)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d.pop("program"), "program", "必須の項目です。値を指定してください"),
        (
            lambda d: d.update(program="406"),
            "program",
            "次のいずれかを指定してください: 'early', '405', '405-gl'（指定値: '406'）",
        ),
        (
            lambda d: d["company"].update(fiscal_year_end_month=13),
            "company.fiscal_year_end_month",
            "12 以下の整数を指定してください",
        ),
        (
            lambda d: d["actuals"][0]["pl"].update(sales="1,000"),
            "actuals[0].pl.sales",
            "整数を指定してください（桁区切りのカンマは使えません。52_000_000 のように書けます）（指定値: '1,000'）",
        ),
        (
            lambda d: d["actuals"][0]["pl"].update(sales=Decimal("1.5")),
            "actuals[0].pl.sales",
            "整数を指定してください（円単位の整数で書いてください）（指定値: 1.5）",
        ),
        (
            lambda d: d["actuals"][0].update(period="2025/03"),
            "actuals[0].period",
            "YYYY-MM の形式（例: 2025-03）で指定してください",
        ),
        (
            lambda d: d["banks"][0]["loans"][0].update(balanse=1),
            "banks[0].loans[0].balanse",
            "不明な項目です（もしかして 'balance'？）",
        ),
        (lambda d: d["drivers"].update(dividends=[0, -5]), "drivers.dividends[1]", "0 以上の整数を指定してください"),
        (
            lambda d: d["drivers"].update(dividends="x"),
            "drivers.dividends",
            "0 以上の整数（円）か、計画年数分の整数の一覧を指定してください",
        ),
        (
            lambda d: d["drivers"].update(sales={}),
            "drivers.sales",
            "growth（成長率）・segments（部門別）・amounts（金額）のどれか1つを指定してください",
        ),
        (
            lambda d: d["drivers"]["working_capital"].update(receivables={"months": 1, "days": 30}),
            "drivers.working_capital.receivables",
            "months（月数）か days（日数）のどちらか一方を指定してください",
        ),
        (
            lambda d: d["drivers"]["sga"].append({"name": "運賃", "kind": "variable", "amount": 5}),
            "drivers.sga[1]",
            "変動費（kind: variable）の科目には amount ではなく ratio（売上高に対する比率）を指定してください",
        ),
        (lambda d: d.update(actuals=[]), "actuals", "空にできません。1 件以上指定してください"),
        (lambda d: d["drivers"].update(years=6), "drivers.years", "5 以下の整数を指定してください"),
        (
            lambda d: d["banks"][0]["loans"][0].update(rate=Decimal("0.5"), monthly_repayment=1),
            "banks[0].loans[0]",
            "monthly_repayment・annual_repayment・schedule はどれか1つだけ指定してください",
        ),
    ],
)
def test_schema_errors_in_japanese(change: Any, field: str, message: str) -> None:
    data = minimal()
    change(data)
    err = error_of(data)
    assert (err.field, err.message_ja) == (field, message)


def test_all_problems_are_listed() -> None:
    data = minimal()
    data["company"]["fiscal_year_end_month"] = 0
    data["drivers"]["years"] = 0
    err = error_of(data)
    assert len(err.problems) == 2


def test_series_must_have_one_value_per_plan_year() -> None:
    data = minimal()
    data["drivers"]["dividends"] = [0, 0, 0]
    err = error_of(data)
    assert err.field == "drivers.dividends"
    assert err.message_ja == "計画年数（drivers.years = 2）と同じ 2 件の値を指定してください（3 件あります）"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d.update(financial_support={"forgiveness": [{"bank": "無い銀行", "amount": 1, "year": 1}]}),
            "financial_support.forgiveness[0].bank",
        ),
        (
            lambda d: d.update(
                action_plan=[{"measure": "m", "effects": [{"line": "sga", "item": "無い科目", "amount": 1}]}]
            ),
            "action_plan[0].effects[0].item",
        ),
        (
            lambda d: d.update(
                action_plan=[{"measure": "m", "effects": [{"line": "extraordinary_loss", "ratio": 0.1}]}]
            ),
            "action_plan[0].effects[0].ratio",
        ),
        (
            lambda d: d.update(
                action_plan=[{"measure": "m", "effects": [{"line": "sales", "amount": 1, "from_year": 3}]}]
            ),
            "action_plan[0].effects[0].from_year",
        ),
        (lambda d: d.update(scenarios=[{"name": "base"}]), "scenarios[0].name"),
        (lambda d: d["banks"].append({"name": "テスト銀行"}), "banks[1]"),
        (lambda d: d["actuals"][0].pop("bs"), "actuals[0].bs"),
        (lambda d: d["actuals"].append(dict(d["actuals"][0])), "actuals[1].period"),
        (
            lambda d: d["drivers"].update(sales={"segments": [{"name": "X", "growth": 0.1}]}),
            "drivers.sales.segments[0].name",
        ),
    ],
)
def test_cross_reference_errors(change: Any, field: str) -> None:
    data = minimal()
    change(data)
    assert error_of(data).field == field


def test_yaml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("program: '405'\ncompany:\n  name: [unclosed\n  fiscal_year_end_month: 3\n", encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.field.startswith(str(path) + ":")
    assert "行目" in info.value.message_ja
    assert info.value.line is not None


def test_duplicate_key_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("program: '405'\nprogram: early\n", encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.field == f"{path}:2"
    assert "重複" in info.value.message_ja


def test_schema_error_in_a_file_carries_the_line(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8").replace("balance: 50_000_000", "balance: -50_000_000")
    path = tmp_path / "neg.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.field == "banks[0].loans[0].balance"
    expected = next(i for i, line in enumerate(text.splitlines(), 1) if "-50_000_000" in line)
    assert info.value.line == expected
    assert info.value.source == str(path)


def test_unquoted_405_is_the_programme() -> None:
    data = minimal()
    data["program"] = 405
    assert parse_plan(data).program == "405"


@pytest.mark.parametrize(
    "text",
    ["", "- a\n- b\n", "just text", "a: .nan\n", "a: !!python/object:os.system {}\n", "[" * 5000, "a: &x [*x]\n"],
)
def test_odd_files_are_input_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanInputError):
        load_plan(path)


def test_missing_file_directory_and_bad_encoding(tmp_path: Path) -> None:
    with pytest.raises(PlanInputError, match="not found"):
        load_plan(tmp_path / "none.yaml")
    with pytest.raises(PlanInputError):
        load_plan(tmp_path)
    path = tmp_path / "sjis.yaml"
    path.write_bytes("program: 早期\n".encode("shift_jis"))
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert "UTF-8" in info.value.message_ja


def test_bad_json(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"program": "405",\n "company": NaN}', encoding="utf-8")
    with pytest.raises(PlanInputError):
        load_plan(path)
    path.write_text('{"program": "405",\n "company": }', encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.line == 2


# --------------------------------------------------------------------------- limits and dates
# Regression (issue 9): 900 nested levels loaded, 100,000 were a RecursionError reported as an
# unreadable file; a 200,000-character name, negative actual sales and a period 9999-12 passed.


def test_deep_nesting_is_refused_with_the_limit_and_line(tmp_path: Path) -> None:
    for depth in (900, 100_000):
        path = tmp_path / f"deep{depth}.yaml"
        path.write_text("program: early\nnotes: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
        with pytest.raises(PlanInputError) as info:
            load_plan(path)
        assert info.value.message_ja == "2 行目: 入れ子が深すぎます（20 段まで）" and info.value.line == 2
        json_path = tmp_path / f"deep{depth}.json"
        json_path.write_text('{"notes": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
        with pytest.raises(PlanInputError) as info:
            load_plan(json_path)
        assert "入れ子が深すぎます（20 段まで）" in info.value.message_ja


def test_many_tiny_values_stop_being_read_at_the_limit(tmp_path: Path) -> None:
    import time

    path = tmp_path / "many.yaml"
    path.write_text("notes:\n" + "- 1\n" * 450_000, encoding="utf-8")  # 1.8 MB: under the byte limit
    start = time.perf_counter()
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert time.perf_counter() - start < 10  # reading all of it took ~15 s
    assert info.value.message_ja.endswith("値が多すぎます（50,000 個まで）")


def test_a_file_over_the_byte_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 2_000_001)
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.message_ja == "ファイルが大きすぎます（2,000,001 バイト。2 MB まで）"


def test_a_200000_character_name_is_refused_by_the_limits_and_a_long_one_by_the_schema() -> None:
    data = minimal()
    data["company"]["name"] = "あ" * 200_000
    error = error_of(data)
    assert (error.field, error.message_ja) == ("company.name", "文字列が長すぎます（200,000 文字。10,000 文字まで）")
    data["company"]["name"] = "あ" * 101
    error = error_of(data)
    assert (error.field, error.message_ja) == ("company.name", "100 文字以内にしてください")
    data["company"]["name"] = "あ" * 100
    parse_plan(data)


def test_text_lengths_per_kind_of_field() -> None:
    data = minimal()
    data["company"]["address"] = "あ" * 201
    data["notes"] = "あ" * 4001
    data["causes_of_distress"] = ["あ" * 4000]
    problems = dict(error_of(data).problems)
    assert problems == {"company.address": "200 文字以内にしてください", "notes": "4000 文字以内にしてください"}


def test_a_long_cash_table_label_is_named_by_its_key() -> None:
    data = minimal()
    label = "あ" * 101
    data["cash_table"] = {"months": [{"month": "2025-04", "kind": "actual", "operating_in": {label: 1}}]}
    error = error_of(data)
    assert error.field == f"cash_table.months[0].operating_in.{label}"
    assert error.message_ja == "科目名・項目名は 100 文字以内にしてください"


@pytest.mark.parametrize(("line", "where"), [("sales", "pl"), ("cost_of_sales", "pl"), ("cash", "bs")])
def test_negative_actual_sales_costs_and_assets_are_refused(line: str, where: str) -> None:
    data = minimal()
    data["actuals"][-1][where][line] = -1
    error = error_of(data)
    assert error.field == f"actuals[{len(data['actuals']) - 1}].{where}.{line}"
    assert error.message_ja == "0 以上の整数を指定してください"


def test_income_taxes_and_adjustments_may_still_be_negative() -> None:
    data = minimal()
    data["actuals"][-1]["pl"]["income_taxes"] = -100_000  # a refund
    parse_plan(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("actuals", -1, "period"), "9999-12", "2000-01 から 2100-12 までの年月にしてください（指定値: 9999-12）"),
        (("actuals", -1, "period"), "1999-03", "2000-01 から 2100-12 までの年月にしてください（指定値: 1999-03）"),
        (("company", "founded"), "2025-02-30", "存在しない日付です（指定値: 2025-02-30）"),
        (("company", "founded"), "0400", "500 から 2100 までの年にしてください（指定値: 0400）"),
    ],
)
def test_plan_dates_outside_their_window_are_refused(path: tuple[Any, ...], value: str, message: str) -> None:
    data = minimal()
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    error = error_of(data)
    assert error.message_ja == message


def test_every_date_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    data = minimal()
    data["action_plan"] = [{"measure": "a", "deadline": "2101-01"}, {"measure": "b", "deadline": "1999-12-31"}]
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert [p for p, _ in info.value.problems] == ["action_plan[0].deadline", "action_plan[1].deadline"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert info.value.line is not None and "2101-01" in lines[info.value.line - 1]


def test_a_control_character_in_yaml_is_named_with_its_line(tmp_path: Path) -> None:
    """Found by the fuzz test: the YAML reader refused a NUL byte before any error handling."""
    path = tmp_path / "nul.yaml"
    path.write_text('program: "405"\nnotes: a\x00b\n', encoding="utf-8")
    with pytest.raises(PlanInputError) as info:
        load_plan(path)
    assert info.value.message_ja == "2 行目: YAML に使えない文字（#x0000）が含まれています" and info.value.line == 2
