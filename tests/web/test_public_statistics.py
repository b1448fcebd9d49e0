"""The public page (/public/, no login): de-identified statistics from published reports' snapshots only,
small counts suppressed, a chart from a static script."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from fazhi.reports.models import ReportStatus
from fazhi.reports.selectors import public_statistics
from fazhi.reports.services import report_advance, report_generate
from tests.reports.support import sections_complete

pytestmark = pytest.mark.django_db


def _cases(mediation, unit, year: int, *, success: int, failure: int):
    return [mediation(unit, dt.date(year, 4, 1), outcome=outcome, mediator_name="张调解员")
            for outcome in ["success"] * success + ["failure"] * failure]


@pytest.fixture
def published(personas, mediation):
    """2024 published: 12 cases, of which 4 successful (a small cell); 2023 generated, never published."""
    records = _cases(mediation, personas.town, 2024, success=4, failure=8)
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    report = run.report
    while report.status != ReportStatus.PUBLISHED:  # the leader approves (审定), the office does the rest
        approver = personas.leader if report.status == ReportStatus.REVIEWING else personas.district_admin
        report = report_advance(acting_user=approver, report=report)
    records += _cases(mediation, personas.town, 2023, success=30, failure=7)
    sections_complete(personas.district_admin, unit=personas.district, year=2023)
    report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2023)
    return report, records


def _figures(year):
    return {f.code: f for line in year.lines for f in line.figures}


def test_small_counts_are_suppressed_and_rates_over_them_withheld(published):
    report, _ = published
    [year] = public_statistics()  # the unpublished 2023 report is not there
    assert year.report == report
    figures = _figures(year)
    assert figures["mediation_cases"].shown == "12"
    assert figures["mediation_success"].shown == "<5" and figures["mediation_success"].value is None
    assert figures["mediation_success_rate"].shown == "—"  # 4 of 12: its numerator is a small cell
    assert [line.name for line in year.lines] == ["人民调解"]  # lines with nothing but zeros are left out
    # with a lower threshold the same snapshot shows them
    lower = _figures(public_statistics(minimum=3)[0])
    assert lower["mediation_success"].shown == "4" and lower["mediation_success_rate"].shown == "33"  # the definition rounds to whole percent


def test_the_public_page_needs_no_login_and_shows_nothing_unpublished_or_personal(client, published, personas):
    report, records = published
    response = client.get(reverse("public_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2024年东洲区" in page and reverse("public_report", args=[report.pk]) in page
    assert "&lt;5" in page and "受理纠纷案件" in page
    assert "统计数据" in page and "数据仅取自已公开的年度报告" in page  # Chinese chrome
    assert "2023年" not in page  # the unpublished year (its 37 cases are in no public figure: see above)
    for record in records:
        assert record.external_id not in page
    assert "张调解员" not in page  # a mediator's name from the records
    for person in ("哈达镇", "新屯街道"):  # only the report's own unit, never a unit below it
        assert person not in page
    assert "<script>" not in page  # the CSP forbids inline script: the chart is drawn by a static file
    assert "web/public_charts.js" in page and "vendor/echarts.min.js" in page


def test_the_chart_data_leave_suppressed_cells_out(client, published):
    page = client.get(reverse("public_home")).content.decode()
    from html import unescape

    start = page.index('data-chart="') + len('data-chart="')
    chart = json.loads(unescape(page[start:page.index('"', start)]))
    assert chart["title"] == "2024年东洲区"
    assert 12 in chart["values"] and 4 not in chart["values"]
    assert len(chart["names"]) == len(chart["values"])


def test_the_public_page_without_published_reports(client, personas):
    page = client.get(reverse("public_home")).content.decode()
    assert "public-chart" not in page and "echarts" not in page
