"""`keiei case due` through `keiei.cli.main`, as a user meets it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from keiei.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROGRESS = EXAMPLES / "cases" / "early-restaurant-progress.yaml"
MANUFACTURER_CASE = EXAMPLES / "cases" / "405-manufacturer-case.yaml"
MANUFACTURER = EXAMPLES / "405-manufacturer.yaml"


@pytest.fixture(autouse=True)
def _quiet_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEIEI_LOG", raising=False)


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    assert "Traceback" not in err
    assert err.startswith("エラー: ") and err.endswith("\n") and err.count("\n") == 1, err
    return err


def test_due_json_lists_the_main_deadline_and_every_session(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["case", "due", str(PROGRESS), "--on", "2026-07-01", "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["program"], data["rules_date"], data["on"]) == ("early", "2025-10-20", "2026-07-01")
    assert [(i["code"], i["due"], i["status"], i["met_on"]) for i in data["items"]] == [
        ("plan_claim", "2026-10-20", "met", "2026-02-16"),
        ("session_1", "2026-06-02", "met", "2026-06-05"),
        ("session_2", "2026-09-02", "open", None),
        # fiscal year ends 2026-09-30; the year-end report is due at the end of the month 2 later
        ("session_3", "2026-11-30", "open", None),
    ]
    assert data["notes"] == []


def test_due_text_shows_the_status_in_japanese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["case", "due", str(PROGRESS), "--on", "2026-11-15"], capsys)
    assert code == 0
    assert "早期経営改善計画策定支援" in out
    assert "伴走支援 第3回（期末・決算期）" in out
    assert "期限間近（あと15日）" in out
    code, out, _ = run(["case", "due", str(PROGRESS), "--on", "2026-12-01"], capsys)
    assert "期限超過（1日）" in out


def _without_acceptance(tmp_path: Path) -> Path:
    """The manufacturer's case before the council accepted it (the example now has the date)."""
    lines = MANUFACTURER_CASE.read_text(encoding="utf-8").splitlines(keepends=True)
    out = tmp_path / "case.yaml"
    out.write_text("".join(line for line in lines if "acceptance_date:" not in line), encoding="utf-8")
    return out


def test_the_plan_file_supplies_the_programme(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = _without_acceptance(tmp_path)
    code, out, err = run(
        ["case", "due", str(case), "--plan", str(MANUFACTURER), "--on", "2026-07-01", "--json"], capsys
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["program"] == "405"
    assert data["items"] == []  # no acceptance date, no monitoring start: nothing is due yet
    assert any("case.acceptance_date" in n for n in data["notes"])


def test_without_a_programme_one_japanese_line_names_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["case", "due", str(MANUFACTURER_CASE)], capsys)
    assert (code, out) == (2, "")
    assert "case.program" in one_error_line(err)


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        (["case", "due", str(PROGRESS), "--on", "2026-02-30"], "--on"),
        (["case", "due", "no-such-case.yaml"], "no-such-case.yaml"),
        (["case", "due"], "FILE"),
    ],
)
def test_bad_input_is_one_japanese_line(argv: list[str], names: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2
    assert names in one_error_line(err)


def test_a_report_of_a_session_not_planned_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.yaml"
    text = PROGRESS.read_text(encoding="utf-8").replace("{session: 1,", "{session: 9,")
    path.write_text(text, encoding="utf-8")
    code, _, err = run(["case", "due", str(path), "--on", "2026-07-01"], capsys)
    assert code == 2
    assert "monitoring.reports[0].session" in one_error_line(err)
    assert "第9回" in err


def test_an_interval_outside_the_rules_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(PROGRESS.read_text(encoding="utf-8").replace("interval_months: 3", "interval_months: 13"), "utf-8")
    code, _, err = run(["case", "due", str(path)], capsys)
    assert code == 2
    assert "monitoring.interval_months" in one_error_line(err)
