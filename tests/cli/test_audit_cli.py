"""`keiei audit verify`'s command line (the verification itself: tests/web/test_audit_chain.py)."""

from __future__ import annotations

import sys

import pytest

from keiei.cli import main
from keiei.cli.audit_cmd import case_ids


def test_case_numbers_are_read_as_users_write_them() -> None:
    assert case_ids(None) is None
    assert case_ids(["12", "K-00012", "k00007", " 3 "]) == [12, 12, 7, 3]


@pytest.mark.parametrize("value", ["abc", "K-", "0", "K-00000", "12a"])
def test_a_bad_case_number_is_one_japanese_line_and_status_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    had_django = "django" in sys.modules
    assert main(["audit", "verify", "--case", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("エラー: --case: 案件番号は") and err.count("\n") == 1
    if not had_django:
        assert "django" not in sys.modules  # refused before the web app is loaded


def test_audit_alone_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit"]) == 2
    assert "verify" in capsys.readouterr().out


def test_the_core_does_not_import_django() -> None:
    import subprocess

    code = "import sys, keiei.cli, keiei.cli.audit_cmd, keiei.auditchain; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
