"""Built documents of a frozen version are kept: the second download is not built again, and
anything the file depends on (the case's details, the format, keiei's code) changes the key."""

from __future__ import annotations

from typing import Any

import pytest

import keiei.documents
from keiei_web.cases.models import Case
from keiei_web.plans import doccache

from .test_form_downloads import case, login, url  # noqa: F401  (the fixture and helpers)


@pytest.fixture
def counted_builds(fresh_documents_cache: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = keiei.documents.build_forms

    def build_forms(*args: Any, **kwargs: Any) -> Any:
        calls.append(",".join(kwargs.get("only") or ["all"]))
        return original(*args, **kwargs)

    monkeypatch.setattr(keiei.documents, "build_forms", build_forms)
    return calls


def test_the_second_download_of_a_form_is_not_built_again(case: Case, counted_builds: list[str]) -> None:  # noqa: F811
    adviser, company = login("adviser_a"), login("company_a")
    first = adviser.get(url(case, "form-1-application"))
    second = company.get(url(case, "form-1-application"))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert counted_builds == ["form-1-application"]
    assert second["Content-Disposition"] == first["Content-Disposition"]


def test_a_change_to_the_case_builds_again(case: Case, counted_builds: list[str]) -> None:  # noqa: F811
    client = login("adviser_a")
    before = client.get(url(case, "form-1-application")).content
    case.company.representative = "江井 二郎"
    case.company.save()
    after = client.get(url(case, "form-1-application")).content
    assert counted_builds == ["form-1-application", "form-1-application"]
    assert before != after


def test_the_key_depends_on_every_input(monkeypatch: pytest.MonkeyPatch) -> None:
    base = doccache.key("a" * 64, "pdf", "case", None)
    assert base.startswith("doc:") and base == doccache.key("a" * 64, "pdf", "case", None)
    assert base != doccache.key("b" * 64, "pdf", "case", None)
    assert base != doccache.key("a" * 64, "xlsx", "case", None)
    assert base != doccache.key("a" * 64, "pdf", "other case", None)
    monkeypatch.setattr(doccache, "code_stamp", lambda: "another keiei")
    assert base != doccache.key("a" * 64, "pdf", "case", None)


def test_without_a_store_nothing_is_kept(settings: Any) -> None:
    """Settings that keep no documents (KEIEI_KEEP_DOCUMENTS = False) keep nothing: every
    download builds. (The test settings do keep documents, in memory; see settings/test.py.)"""
    settings.KEIEI_KEEP_DOCUMENTS = False
    built: list[int] = []
    body = doccache.get_or_build("doc:x", lambda: built.append(1) or b"x", check=lambda body: None)
    body = doccache.get_or_build("doc:x", lambda: built.append(1) or b"x", check=lambda body: None)
    assert body == b"x" and built == [1, 1]
