"""The one comparison of a built text with its golden file, for every golden test.

Why one helper: a golden file is only worth something once a person has read it. In update mode
(`KEIEI_UPDATE_SNAPSHOTS=1`) a test that silently rewrote its file and passed would let an
unintended change land unseen. So update mode writes the new text *and fails*, naming the
file and asking for `git diff` on it; the next run without the variable passes once the file
is accepted. A missing golden file fails the same way in either mode.

Used by tests/documents/test_golden.py (workbook and PDF texts) and
tests/finance/test_example.py (the 405 example's projection JSON).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from pathlib import Path

import pytest

ENV = "KEIEI_UPDATE_SNAPSHOTS"
_MAX_DIFF_LINES = 80


def update_mode() -> bool:
    """Whether this run rewrites golden files (`KEIEI_UPDATE_SNAPSHOTS=1`)."""
    return os.environ.get(ENV) == "1"


def check_snapshot(path: Path, text: str) -> None:
    """Fail unless `path` holds exactly `text`; in update mode write it, then fail asking for review.

    Nothing is written when the file already holds `text`, so an update run over unchanged
    output passes and leaves `git status` clean.
    """
    check_snapshots([(path, text)])


def check_snapshots(items: Iterable[tuple[Path, str]]) -> None:
    """`check_snapshot` over several files: every file is compared (and, in update mode, written)
    before the one failure, so one update run rewrites all of a test's files, not just the first."""
    problems = [p for p in (_compare(path, text) for path, text in items) if p]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _compare(path: Path, text: str) -> str | None:
    """None when `path` holds `text`, else the message (after writing `text` in update mode)."""
    expected = path.read_text(encoding="utf-8") if path.exists() else None
    if expected == text:
        return None
    if update_mode():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        state = "created" if expected is None else "rewritten"
        return (
            f"golden file {path} was {state} ({ENV}=1). Review the change before committing: "
            f"git diff -- {path}  — then run again without {ENV}."
        )
    if expected is None:
        return f"golden file {path} is missing: run with {ENV}=1, then review it (git diff)"
    diff = difflib.unified_diff(expected.splitlines(True), text.splitlines(True), str(path), "built")
    shown = "".join(list(diff)[:_MAX_DIFF_LINES])
    return f"{path.name} differs from its golden file ({ENV}=1 rewrites it for review):\n{shown}"
