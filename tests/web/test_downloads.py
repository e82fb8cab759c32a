"""A frozen version downloads as the workbook and the PDF the core builds; scope is enforced."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from keiei_web.accounts.models import User
from keiei_web.cases.models import Case
from keiei_web.demo import load

pytestmark = pytest.mark.django_db


def _demo_405() -> Case:
    load(dt.date(2026, 11, 27))
    case = Case.objects.filter(program="405", plan_versions__isnull=False).distinct().first()
    assert case is not None
    return case


def test_adviser_downloads_the_workbook_of_a_version() -> None:
    case = _demo_405()
    client = Client()
    client.force_login(User.objects.get(username="adviser1"))
    response = client.get(reverse("plans:download", args=[case.pk, 1, "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert "計画損益計算書" in book.sheetnames


def test_pdf_download_is_a_pdf() -> None:
    case = _demo_405()
    client = Client()
    client.force_login(User.objects.get(username="adviser1"))
    response = client.get(reverse("plans:download", args=[case.pk, 1, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_unknown_format_is_404_and_other_company_is_refused() -> None:
    case = _demo_405()
    adviser = Client()
    adviser.force_login(User.objects.get(username="adviser1"))
    assert adviser.get(reverse("plans:download", args=[case.pk, 1, "docx"])).status_code == 404
    outsider = Client()
    outsider.force_login(User.objects.get(username="company1"))
    assert outsider.get(reverse("plans:download", args=[case.pk, 1, "xlsx"])).status_code == 404
