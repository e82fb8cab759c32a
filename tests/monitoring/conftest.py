"""Shared fixtures: the example plan, the sample books (regenerated into tmp to prove they are
what scripts/make_sample_books.py writes), and a loader for the generator module."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from keiei.plan import Plan, load_plan

ROOT = Path(__file__).resolve().parents[2]
BOOKS = ROOT / "examples" / "books"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample_books", ROOT / "scripts" / "make_sample_books.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(ROOT / "examples" / "early-restaurant.yaml")


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return load_generator()
