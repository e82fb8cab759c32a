"""What the CLI tests share: run the `keiei` command in-process, and the one-error-line check.

Why here and not in each test file: every sub-command promises the same contract (an exit
status, never a traceback, input errors as one line `エラー: <field>: <reason>`); one copy of
the check keeps that promise stated once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from keiei.cli import main


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr): main() returns the status, usage errors included."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_error_line(err: str, out: str = "") -> str:
    """`err` is exactly one Japanese error line and neither stream holds a traceback."""
    assert "Traceback" not in err and "Traceback" not in out
    assert err.endswith("\n") and err.count("\n") == 1, f"expected one line, got {err!r}"
    assert err.startswith("エラー: ")
    return err
