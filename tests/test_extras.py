"""keiei.extras: which extra provides what, agreeing with pyproject.toml, and `require`."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest

from keiei import extras

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: list[str]) -> set[str]:
    """Distribution names of requirement strings, normalised as pip compares them."""
    names = set()
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert match is not None, requirement
        names.add(re.sub(r"[-_.]+", "-", match.group(0)).lower())
    return names


def _extra(name: str) -> set[str]:
    """An extra's distributions, with `keiei[other]` replaced by the other extra's."""
    requirements = PYPROJECT["project"]["optional-dependencies"][name]
    names = set()
    for requirement in requirements:
        inner = re.fullmatch(r"keiei\[(\w+)\]", requirement)
        names |= _extra(inner.group(1)) if inner else _names([requirement])
    return names


def test_every_extra_named_by_keiei_is_declared_in_pyproject() -> None:
    for extra, distributions in extras.EXTRAS.items():
        assert _names(list(distributions)) <= _extra(extra), extra


def test_the_core_dependencies_hold_nothing_of_an_extra() -> None:
    core = _names(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"]:
        if extra != "dev":
            assert not core & _extra(extra), extra
    assert not core & {"django", "gunicorn", "psycopg", "waitress", "whitenoise", "django-axes", "openpyxl"}


def test_web_includes_the_documents_and_dev_includes_both() -> None:
    assert _extra("documents") <= _extra("web") <= _extra("dev")
    assert {"import-linter", "pytest", "mypy", "ruff"} <= _extra("dev")


def test_require_names_the_extra_of_a_missing_module(monkeypatch: pytest.MonkeyPatch) -> None:
    extras.require("documents")  # the test environment has everything
    monkeypatch.setitem(sys.modules, "pypdf", None)  # how Python marks a module that must not import
    assert extras.missing_module("documents") == "pypdf"
    with pytest.raises(extras.MissingExtra) as missing:
        extras.require("documents")
    assert missing.value.user_line() == "keiei[documents] が入っていません: pip install 'keiei[documents]'"
    with pytest.raises(extras.MissingExtra, match=r"keiei\[web\]"):
        extras.require("web")


def test_a_module_is_traced_to_the_smallest_extra_that_installs_it() -> None:
    assert extras.extra_providing("typst._typst") == "documents"
    assert extras.extra_providing("django.db") == "web"
    assert extras.extra_providing("axes") == "web"
    assert extras.extra_providing("yaml") is None
    assert extras.extra_providing(None) is None
