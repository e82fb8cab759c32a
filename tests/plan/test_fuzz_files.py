"""Fuzz: malformed plan files (bytes, YAML and JSON text) and hostile plan data never give
anything but a plan or one `PlanInputError` with a Japanese reason — never a traceback.

Inputs: tests/hostile.py (mutations of the examples). CI runs the counts below, derandomized;
`KEIEI_FUZZ=long` runs 20 × as many new ones (tests/conftest.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from keiei.documents import CaseInputError, load_case
from keiei.finance import validate_plan
from keiei.limits import structure_problem
from keiei.plan import PlanInputError, load_plan, parse_plan, read_plan_data

from ..hostile import fuzz_settings, hostile_structure, is_japanese, json_like, mutated_text

TMP = Path(tempfile.mkdtemp(prefix="keiei-fuzz-"))


def _judged(exc: PlanInputError) -> None:
    assert exc.field and is_japanese(exc.message_ja), (exc.field, exc.message_ja)
    assert all(is_japanese(message) for _path, message in exc.problems)


@fuzz_settings(2_000)
@given(mutated_text())
def test_malformed_plan_files_are_plans_or_one_japanese_error(file: tuple[str, bytes]) -> None:
    suffix, raw = file
    path = TMP / f"plan{suffix}"
    path.write_bytes(raw)
    try:
        plan = load_plan(path)
    except PlanInputError as exc:
        _judged(exc)
        return
    validate_plan(plan)


@fuzz_settings(600)
@given(mutated_text())
def test_malformed_case_files_are_cases_or_one_japanese_error(file: tuple[str, bytes]) -> None:
    """The case file goes through the same reader; its own dates and schema on top."""
    suffix, raw = file
    path = TMP / f"case{suffix}"
    path.write_bytes(raw)
    try:
        load_case(path)
    except CaseInputError as exc:
        assert exc.field and is_japanese(exc.message_ja)


@fuzz_settings(1_200)
@given(st.one_of(hostile_structure(), json_like()))
def test_hostile_plan_data_in_memory_is_a_plan_or_one_japanese_error(data: Any) -> None:
    try:
        plan = parse_plan(data)
    except PlanInputError as exc:
        _judged(exc)
        return
    validate_plan(plan)
    assert structure_problem(data) is None  # nothing beyond the limits became a plan


@fuzz_settings(400)
@given(mutated_text())
def test_what_the_reader_returns_is_within_the_limits(file: tuple[str, bytes]) -> None:
    """`read_plan_data` (the web's import, case files) hands over nothing beyond the limits."""
    suffix, raw = file
    path = TMP / f"read{suffix}"
    path.write_bytes(raw)
    try:
        data = read_plan_data(path)
    except PlanInputError as exc:
        _judged(exc)
        return
    assert structure_problem(data) is None
