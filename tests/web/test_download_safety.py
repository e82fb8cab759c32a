"""Downloads are checked before they are cached and before they are served (plans/views.download,
plans/doccache): a hostile plan still gives clean files, and a document with an attachment or an
external reference — built or found in the cache — is refused with 409, a Japanese message and
an English log line."""

from __future__ import annotations

import copy
import io
import logging
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

import keiei.documents
from keiei.documents.safety import check_document
from keiei_web.cases import services
from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.plans import doccache
from keiei_web.plans.corecase import core_case
from keiei_web.plans.models import PlanVersion

from ..documents.hostile import hostile_plan
from .conftest import World, advance, new_case
from .test_form_downloads import PLAN_NAMED, login, url

#: matplotlib warns that control characters have no glyph in the diagram image: expected here.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")

#: What the web case must find in its plan (its banks' names); everything else is hostile.
HOSTILE_PLAN, HOSTILE_MAP = hostile_plan(copy.deepcopy(PLAN_NAMED), keep=frozenset({"メイン銀行", "セカンド信用金庫"}))
ATTACK = "</style><link rel=attachment href=file:///etc/passwd><style>"


def _bad_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("passwd", b"root:x:0:0")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def hostile_case(world: World) -> Case:
    """A 405 case whose submitted version 1 has a hostile string in every free-text field."""
    assert HOSTILE_PLAN["company"]["name"].startswith(ATTACK)
    c = advance(world, new_case(world, "405"), State.DRAFTING)
    services.save_plan(c, world.user("adviser_a"), HOSTILE_PLAN)
    c = advance(world, c, State.BANK_MEETING)
    assert PlanVersion.objects.filter(case=c).count() == 1
    return c


@pytest.fixture
def kept(fresh_documents_cache: Any) -> Any:
    return fresh_documents_cache


def test_a_hostile_plan_downloads_as_clean_documents(hostile_case: Case) -> None:
    client = login("adviser_a")
    for fmt in ("pdf", "xlsx", "forms"):
        response = client.get(url(hostile_case, fmt))
        assert response.status_code == 200, fmt
        body = response.content
        assert check_document(body, fmt) == [], fmt
        if fmt == "pdf":
            assert PdfReader(io.BytesIO(body)).attachments == {}


def test_a_bad_cached_document_is_refused_and_dropped(
    hostile_case: Case, kept: Any, caplog: pytest.LogCaptureFixture
) -> None:
    version = PlanVersion.objects.get(case=hostile_case, number=1)
    key = doccache.key(version.sha256, "pdf", core_case(hostile_case, version))
    kept.set(key, _bad_pdf())  # e.g. a file in the data folder replaced behind keiei's back
    with caplog.at_level(logging.ERROR):
        response = login("adviser_a").get(url(hostile_case, "pdf"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "ダウンロードできません" in page and "添付ファイル" in page
    assert kept.get(key) is None
    assert any("download refused" in r.getMessage() for r in caplog.records)


def test_a_bad_built_document_is_refused_and_not_cached(
    hostile_case: Case, kept: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def build_plan_pdf(plan: Any, check: Any, out: Path, **kwargs: Any) -> Path:
        Path(out).write_bytes(_bad_pdf())  # a builder that forgot its own check
        return Path(out)

    monkeypatch.setattr(keiei.documents, "build_plan_pdf", build_plan_pdf)
    version = PlanVersion.objects.get(case=hostile_case, number=1)
    key = doccache.key(version.sha256, "pdf", core_case(hostile_case, version))
    response = login("company_a").get(url(hostile_case, "pdf"))
    assert response.status_code == 409
    assert "ダウンロードできません" in response.content.decode()
    assert kept.get(key) is None
