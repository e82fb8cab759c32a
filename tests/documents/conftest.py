"""Shared fixtures: each package is built once per test session (a few seconds with the workbook).

Update the golden snapshots after an intended change with
`KEIEI_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -p no:django tests/documents`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from keiei.cli.plan_build import register_build, run_build
from keiei.documents import build_package, load_case
from keiei.plan import load_plan

ROOT = Path(__file__).parents[2]
MANUFACTURER = ROOT / "examples" / "405-manufacturer.yaml"
MANUFACTURER_CASE = ROOT / "examples" / "cases" / "405-manufacturer-case.yaml"
CAFE = Path(__file__).parent / "data" / "early-cafe.yaml"

POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo"))


def _pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext -layout prints it, trailing spaces removed."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


@pytest.fixture(scope="session")
def pdf_text() -> Callable[[Path], str]:
    """pdftotext -layout of a PDF (skips the test when poppler-utils is missing)."""
    if not POPPLER:
        pytest.skip("poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: apt-get install poppler-utils")
    return _pdf_text


@pytest.fixture(scope="session")
def poppler() -> None:
    if not POPPLER:
        pytest.skip("poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: apt-get install poppler-utils")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="keiei plan")
    register_build(parser.add_subparsers(dest="plan_command"))
    return parser


@pytest.fixture(scope="session")
def manufacturer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 405 manufacturer example with its case file (via the library API)."""
    out = tmp_path_factory.mktemp("manufacturer")
    build_package(load_plan(MANUFACTURER), out, case=load_case(MANUFACTURER_CASE))
    return out


@pytest.fixture(scope="session")
def cafe_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The small early plan without a case file, built through `keiei plan build` (run_build)."""
    out = tmp_path_factory.mktemp("cafe") / "out"
    args = build_parser().parse_args(["build", str(CAFE), "-o", str(out)])
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = run_build(args)
    assert status == 0
    return out, buffer.getvalue()


@pytest.fixture(scope="session")
def cafe_dir(cafe_build: tuple[Path, str]) -> Path:
    return cafe_build[0]
