"""The golden-file helper (tests/snapshots.py) itself: update mode writes and still fails.

Why: the helper guards every golden test; if update mode ever passed silently again, an
unreviewed change to a golden file could be committed with a green run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .snapshots import ENV, check_snapshot, check_snapshots


def test_equal_text_passes_in_both_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("same\n", encoding="utf-8")
    monkeypatch.delenv(ENV, raising=False)
    check_snapshot(path, "same\n")
    monkeypatch.setenv(ENV, "1")
    check_snapshot(path, "same\n")
    assert path.read_text(encoding="utf-8") == "same\n"


def test_difference_fails_with_a_diff_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old\n", encoding="utf-8")
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match=r"(?s)differs from its golden file.*-old.*\+new"):
        check_snapshot(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"


def test_missing_file_fails_without_update_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(pytest.fail.Exception, match="is missing"):
        check_snapshot(tmp_path / "none.txt", "x\n")
    assert not (tmp_path / "none.txt").exists()


def test_update_mode_writes_then_fails_asking_for_review(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "a.txt"
    monkeypatch.setenv(ENV, "1")
    with pytest.raises(pytest.fail.Exception, match=r"was created.*git diff"):
        check_snapshot(path, "first\n")
    assert path.read_text(encoding="utf-8") == "first\n"
    with pytest.raises(pytest.fail.Exception, match=r"was rewritten.*git diff"):
        check_snapshot(path, "second\n")
    assert path.read_text(encoding="utf-8") == "second\n"
    monkeypatch.delenv(ENV)
    check_snapshot(path, "second\n")  # accepted after review: the plain run passes


def test_update_mode_writes_every_file_before_failing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "1")
    paths = [tmp_path / f"{n}.txt" for n in range(3)]
    paths[1].write_text("unchanged\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failure:
        check_snapshots([(paths[0], "a\n"), (paths[1], "unchanged\n"), (paths[2], "c\n")])
    assert [p.read_text(encoding="utf-8") for p in paths] == ["a\n", "unchanged\n", "c\n"]
    message = str(failure.value)
    assert str(paths[0]) in message and str(paths[2]) in message and str(paths[1]) not in message
