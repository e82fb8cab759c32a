"""`keiei plan build` through run_build: what it prints and the errors it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from keiei.cli.plan_build import register_build, run_build
from keiei.errors import KeieiInputError

CAFE = Path(__file__).parent / "data" / "early-cafe.yaml"


def parse(*argv: str) -> object:
    import argparse

    parser = argparse.ArgumentParser(prog="keiei plan")
    register_build(parser.add_subparsers(dest="plan_command"))
    return parser.parse_args(list(argv))


def test_build_prints_what_it_wrote(cafe_build: tuple[Path, str]) -> None:
    out, stdout = cafe_build
    assert "6 件のファイルを作成しました" in stdout
    for name in ("plan.xlsx", "plan.pdf", "form-1-application.pdf", "form-2-receipt.pdf"):
        assert (out / name).exists() and str(out / name) in stdout
    assert "計画書（Excel）" in stdout and "受取書（メイン金融機関）" in stdout
    assert "案件ファイル（--case）がないため" in stdout


def test_unknown_scenario_names_the_flag(tmp_path: Path) -> None:
    with pytest.raises(KeieiInputError) as info:
        run_build(parse("build", str(CAFE), "-o", str(tmp_path), "--scenario", "nope"))  # type: ignore[arg-type]
    assert info.value.field == "--scenario"


def test_output_must_be_a_folder(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x")
    with pytest.raises(KeieiInputError) as info:
        run_build(parse("build", str(CAFE), "-o", str(target)))  # type: ignore[arg-type]
    assert info.value.field == "--output"


def test_missing_output_is_a_usage_error() -> None:
    with pytest.raises(SystemExit):
        parse("build", str(CAFE))
