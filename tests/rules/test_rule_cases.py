"""OpenFisca-style YAML test cases for the programme rules and the subsidy calculator.

Every file under `tests/rules/cases/` is a list of cases:

    - name: A full English sentence saying what holds.
      program: early
      date: 2022-04-01
      input: {fees: {plan: 225000}, previous_subsidy: 0}   # both optional
      output:
        total_subsidy: 150000            # also total_fee, company_share
        items: {plan: {subsidy: 150000, cap: 150000, limited_by: null}, monitoring_mid: null}
        payment_schedule: {plan: 75000, monitoring_first: 75000}   # the whole schedule, exactly
        warnings: [mandatory_item_missing]                           # codes that must be present
        warnings_absent: [item_cap_reached]                          # codes that must not be
        rules: {total_cap: 250000, items: {plan: {cap: 150000}}, bank_step: {kind: receipt}}
        error_field: --date              # a KeieiInputError naming this field, and nothing else

Keys may also be written dotted (`rules.total_cap: 250000`, `items.plan.subsidy: 1`). Under
`items` (of the result or of the rules) `null` means "this item is absent". Each case is its own
test, whose id is the case's name.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from keiei.errors import KeieiInputError
from keiei.rules import PROGRAMS, all_effective_dates, program_start, rules_for
from keiei.subsidy import compute_subsidy

CASES_DIR = Path(__file__).parent / "cases"
CASE_KEYS = {"name", "program", "date", "input", "output"}
INPUT_KEYS = {"fees", "previous_subsidy"}
OUTPUT_KEYS = {
    "total_fee",
    "total_subsidy",
    "company_share",
    "items",
    "payment_schedule",
    "warnings",
    "warnings_absent",
    "rules",
    "error_field",
}


def _expand(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Turn dotted keys (`rules.items.plan.cap: 1`) into nested mappings, merging siblings."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        head, _, rest = str(key).partition(".")
        value = _expand(value) if isinstance(value, Mapping) else value
        if rest:
            value = _expand({rest: value})
        if isinstance(out.get(head), dict) and isinstance(value, dict):
            out[head] = _merge(out[head], value)
        else:
            assert head not in out, f"key {head!r} given twice"
            out[head] = value
    return out


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    merged = dict(a)
    for key, value in b.items():
        if isinstance(merged.get(key), dict) and isinstance(value, dict):
            merged[key] = _merge(merged[key], value)
        else:
            assert key not in merged, f"key {key!r} given twice"
            merged[key] = value
    return merged


def load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(loaded, list), f"{path}: a case file is a list of cases"
        for case in loaded:
            case = dict(case)
            case["output"] = _expand(case.get("output") or {})
            case["_file"] = path.name
            cases.append(case)
    return cases


CASES = load_cases()


def test_case_files_are_well_formed() -> None:
    names: set[str] = set()
    assert len(CASES) > 0
    for case in CASES:
        where = f"{case['_file']}: {case.get('name')!r}"
        assert set(case) - {"_file"} <= CASE_KEYS, where
        assert {"name", "program", "date", "output"} <= set(case), where
        name = case["name"]
        assert isinstance(name, str) and name[:1].isupper() and name.endswith("."), (
            f"{where}: a case name is a full sentence"
        )
        assert name not in names, f"{where}: duplicate name"
        names.add(name)
        assert isinstance(case["date"], dt.date), f"{where}: date must be YYYY-MM-DD"
        assert set(case.get("input") or {}) <= INPUT_KEYS, where
        output = case["output"]
        assert output, f"{where}: a case must check something"
        assert set(output) <= OUTPUT_KEYS, f"{where}: unknown output keys {set(output) - OUTPUT_KEYS}"
        if "error_field" in output:
            assert set(output) == {"error_field"}, f"{where}: an error case checks only error_field"
        fee_outputs = {"total_fee", "total_subsidy", "company_share", "items", "payment_schedule", "warnings"}
        if set(output) & fee_outputs:
            assert "fees" in (case.get("input") or {}), f"{where}: subsidy outputs need input.fees"


def _normalise(actual: Any) -> Any:
    """Make typed rule values comparable with plain YAML (Fraction → "2/3", tuple → list)."""
    if isinstance(actual, Fraction):
        return f"{actual.numerator}/{actual.denominator}"
    if isinstance(actual, tuple):
        return [_normalise(v) for v in actual]
    if isinstance(actual, dict):
        return {k: _normalise(v) for k, v in actual.items()}
    if dataclasses.is_dataclass(actual) and not isinstance(actual, type):
        return {f.name: _normalise(getattr(actual, f.name)) for f in dataclasses.fields(actual)}
    if callable(actual):
        return _normalise(actual())
    return actual


def _child(container: Any, key: str, where: str) -> tuple[bool, Any]:
    """(present, value) of `key` in a dict or an attribute of an object."""
    if isinstance(container, Mapping):
        return (key in container, container.get(key))
    assert hasattr(container, key), f"{where}: no attribute {key!r}"
    return True, getattr(container, key)


def check_subset(expected: Any, actual: Any, where: str) -> None:
    """Every value given in `expected` holds in `actual`; mappings are compared key by key."""
    if isinstance(expected, Mapping) and expected and not isinstance(actual, (list, tuple, str, int)):
        for key, want in expected.items():
            present, got = _child(actual, str(key), where)
            here = f"{where}.{key}"
            if want is None and isinstance(actual, Mapping):
                assert not present or got is None, f"{here}: expected absent, got {got!r}"
                continue
            assert present, f"{here}: missing"
            check_subset(want, got, here)
        return
    assert _normalise(actual) == expected, f"{where}: expected {expected!r}, got {_normalise(actual)!r}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    program: str = str(case["program"])
    on: dt.date = case["date"]
    inputs = case.get("input") or {}
    output: dict[str, Any] = case["output"]
    fees = inputs.get("fees")
    previous = inputs.get("previous_subsidy")

    if "error_field" in output:
        with pytest.raises(KeieiInputError) as caught:
            if fees is None:
                rules_for(program, on)
            else:
                compute_subsidy(program, fees, on, previous_subsidy=previous)
        assert caught.value.field == output["error_field"], caught.value.message_en
        return

    if "rules" in output:
        check_subset(output["rules"], rules_for(program, on), "rules")

    if fees is None:
        return
    result = compute_subsidy(program, fees, on, previous_subsidy=previous)
    for key in ("total_fee", "total_subsidy", "company_share"):
        if key in output:
            assert getattr(result, key) == output[key], f"{key}: got {getattr(result, key)}"
    if "items" in output:
        check_subset(output["items"], {i.item: i.as_dict() for i in result.items}, "items")
    if "payment_schedule" in output:
        got = {c.claim: c.amount for c in result.payment_schedule}
        assert got == output["payment_schedule"]
    codes = {w.code for w in result.warnings}
    for code in output.get("warnings", []):
        assert code in codes, f"warning {code!r} missing; got {sorted(codes)}"
    for code in output.get("warnings_absent", []):
        assert code not in codes, f"warning {code!r} present; got {sorted(codes)}"
    # Whatever a case checks, the basic identities hold.
    assert result.company_share == result.total_fee - result.total_subsidy
    assert sum(c.amount for c in result.payment_schedule) == result.total_subsidy


def _dates_covered(file: str) -> tuple[set[dt.date], set[dt.date]]:
    """(dates with a case, dates with a --date error case) for a rules file's programme."""
    relevant = [c for c in CASES if file == "common" or str(c["program"]) == file]
    on = {c["date"] for c in relevant}
    refused = {c["date"] for c in relevant if c["output"].get("error_field") == "--date"}
    return on, refused


@pytest.mark.parametrize(
    ("file", "date"),
    [(file, d) for file, dates in all_effective_dates().items() for d in dates],
    ids=lambda v: str(v),
)
def test_every_effective_date_has_cases_on_both_sides(file: str, date: dt.date) -> None:
    on, refused = _dates_covered(file)
    before = date - dt.timedelta(days=1)
    assert date in on, f"{file}: no case on {date}"
    assert before in on, f"{file}: no case on {before}, the day before {date}"
    # The shared rules begin with the earliest programme: the day before, nothing exists.
    first = program_start(file) if file in PROGRAMS else min(program_start(p) for p in PROGRAMS)
    if before < first:
        assert before in refused, f"{file}: the day before {date} needs an error_field: --date case"


def test_every_programme_start_is_refused_the_day_before() -> None:
    for program in PROGRAMS:
        before = program_start(program) - dt.timedelta(days=1)
        assert any(
            str(c["program"]) == program and c["date"] == before and c["output"].get("error_field") == "--date"
            for c in CASES
        ), program
