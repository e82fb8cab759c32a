"""build_package: `parallel=True` (what `keiei plan build` passes) changes nothing.

Since the PDF engine is Typst the build is sequential either way (package.build_package says
why); these tests keep the flag's promise: same bytes, and a failure writing the plan PDF
reaches the caller.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keiei.documents import build_package
from keiei.documents.package import PLAN_PDF_NAME
from keiei.plan import load_plan

from .conftest import CAFE


def test_parallel_build_writes_the_same_bytes(cafe_dir: Path, tmp_path: Path) -> None:
    files = build_package(load_plan(CAFE), tmp_path, parallel=True)
    assert {f.path.name for f in files} == {p.name for p in cafe_dir.iterdir()}
    for built in files:
        assert built.path.read_bytes() == (cafe_dir / built.path.name).read_bytes(), built.path.name


def test_parallel_build_reports_a_failure_of_the_worker(tmp_path: Path) -> None:
    """An error writing the plan PDF reaches the caller (no silently missing file)."""
    (tmp_path / PLAN_PDF_NAME).mkdir()  # the worker cannot write its file
    with pytest.raises(IsADirectoryError):
        build_package(load_plan(CAFE), tmp_path, parallel=True)
