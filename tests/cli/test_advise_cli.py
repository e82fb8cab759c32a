"""`keiei advise` from flags (JSON) and from the terminal's questions."""

from __future__ import annotations

import argparse
import json

import pytest

from keiei.cli import main
from keiei.cli.advise_cmd import collect_answers

FLAGS = [
    "advise", "--borrowing", "yes", "--reschedule", "yes", "--forgiveness", "no", "--main-bank", "yes",
    "--single-bank-unguaranteed-only", "no", "--used-before", "none", "--guarantee-release", "yes",
    "--date", "2026-04-01", "--json",
]  # fmt: skip


def test_flags_with_json_give_the_programme_reasons_cap_bank_step_and_documents(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(FLAGS) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["program"] == "405"
    assert out["max_subsidy"] == 3_100_000
    assert out["reasons"] and out["documents"] and out["bank_step"]
    assert out["as_of"] == "2026-04-01"


def test_without_borrowing_the_bank_questions_are_not_needed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["advise", "--borrowing", "no", "--used-before", "none", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["program"] == "early"


def test_missing_answers_with_json_exit_2_naming_the_flags(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["advise", "--borrowing", "yes", "--json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--reschedule" in err[0] and "--used-before" in err[0]


def test_a_bad_yes_no_flag_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    bad = [*FLAGS]
    bad[bad.index("--borrowing") + 1] = "maybe"
    assert main(bad) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--borrowing" in err[0]


def test_interactive_answers_are_asked_again_after_a_wrong_answer(capsys: pytest.CaptureFixture[str]) -> None:
    replies = iter(["はい", "いいえ", "はい", "まあ", "いいえ", "いいえ", "なし", ""])
    args = argparse.Namespace(
        has_borrowing=None, needs_rescheduling=None, needs_forgiveness_or_gl=None, has_main_bank=None,
        single_bank_unguaranteed_only=None, wants_guarantee_release=None, succession_concern=None,
        used_before=None, postal_code=None,
    )  # fmt: skip
    got = collect_answers(args, interactive=True, read=lambda _q: next(replies))
    assert got.has_borrowing is True
    assert got.needs_rescheduling is False
    assert got.has_main_bank is True
    assert got.wants_guarantee_release is False  # asked again after "まあ"
    assert got.used_before == "none"
    assert got.postal_code is None
    assert "yes か no" in capsys.readouterr().out
