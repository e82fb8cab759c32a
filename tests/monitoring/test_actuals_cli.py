"""`keiei actuals import`: the table, the file written only when clean, one error line otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from keiei.monitoring import load_actuals

from ..cli.helpers import assert_one_error_line, run
from .conftest import BOOKS, ROOT

PLAN = str(ROOT / "examples" / "early-restaurant.yaml")


@pytest.fixture(autouse=True)
def _quiet_log(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEIEI_LOG", raising=False)


def test_import_writes_actuals(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "actuals.yaml"
    code, out, err = run(
        ["actuals", "import", str(BOOKS / "yayoi-journal.csv"), "--plan", PLAN, "-o", str(out_file)], capsys
    )
    assert code == 0, err
    assert "Shift_JIS（CP932）" in out and "4,673,000" in out and "書き出しました" in out
    assert err == ""  # no progress bar when stderr is not a terminal
    assert load_actuals(out_file).periods[0].pl["sales"] == 4_673_000


def test_import_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["actuals", "import", str(BOOKS / "freee-trial.json"), "--plan", PLAN, "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["source"]["format"] == "freee-json" and data["blocked"] is False


def test_unmapped_blocks_writing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    books = tmp_path / "mf.csv"
    books.write_text((BOOKS / "mf-journal.csv").read_text("utf-8").replace("雑費", "謎の費用"), "utf-8")
    out_file = tmp_path / "a.yaml"
    code, out, _ = run(["actuals", "import", str(books), "--plan", PLAN, "-o", str(out_file)], capsys)
    assert code == 1 and not out_file.exists()
    assert "謎の費用: 240,000 円" in out
    code, _, _ = run(["actuals", "import", str(books), "--plan", PLAN, "-o", str(out_file), "--allow-unmapped"], capsys)
    assert code == 0 and out_file.exists()


def test_empty_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    code, out, err = run(["actuals", "import", str(empty), "--plan", PLAN], capsys)
    assert code == 2
    assert "空です" in assert_one_error_line(err, out)
