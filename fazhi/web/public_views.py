"""The public page: published annual reports, readable without logging in. Reports hold no personal
data (they are built from indicator snapshots only)."""

import json

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from fazhi.reports.models import AnnualReport, ReportStatus
from fazhi.reports.selectors import RATE_WITHHELD, public_statistics


def public_home(request):
    """The public page (no login): published reports and de-identified statistics from their snapshots.
    The chart draws, for the newest published report, each line's first count that is not suppressed."""
    years = public_statistics()
    names: list[str] = []
    values: list[int] = []
    title = ""
    if years:
        latest = years[0]
        title = f"{latest.report.year}年{latest.report.org_unit.name}"
        for line in latest.lines:
            figure = next((f for f in line.figures if f.value and f.unit != "%"), None)  # no bar of 0
            if figure is not None and figure.value is not None:
                names.append(line.name)
                values.append(int(figure.value))
    chart = {"title": title, "names": names, "values": values}
    return render(request, "web/public_home.html", {
        "years": years, "chart": json.dumps(chart, ensure_ascii=False), "has_chart": bool(values),
        "minimum": settings.FAZHI_PUBLIC_MIN_COUNT, "withheld": RATE_WITHHELD,
    })


def public_reports(request):
    reports = AnnualReport.objects.filter(status=ReportStatus.PUBLISHED).select_related("org_unit").order_by(
        "-year", "org_unit__name")
    return render(request, "web/public_reports.html", {"reports": reports})


def public_report(request, pk: int):
    report = get_object_or_404(AnnualReport, pk=pk, status=ReportStatus.PUBLISHED)
    run = report.runs.first()
    assert run is not None  # a report is published from one of its runs (reports.services)
    # The renderer escaped every text when the run was made; its figure links are in-page anchors.
    body = mark_safe(run.html)  # noqa: S308
    return render(request, "web/public_report.html", {"report": report, "run": run, "body": body})
