"""The public page: published annual reports, readable without logging in. Reports hold no personal
data (they are built from indicator snapshots only). What is shown is the stored published version
(reports.models.ReportVersion), never a regeneration: a report being revised keeps showing its last
published version, and every earlier version stays downloadable byte for byte."""

import json
from urllib.parse import quote

from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.views.generic import RedirectView

from fazhi.reports.models import AnnualReport, ReportVersion
from fazhi.reports.selectors import RATE_WITHHELD, public_statistics

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
    reports = (AnnualReport.objects.filter(versions__isnull=False).distinct().select_related("org_unit")
               .annotate(latest_at=Max("versions__published_at"), latest=Max("versions__number"))
               .order_by("-year", "org_unit__name"))
    return render(request, "web/public_reports.html", {"reports": reports})


def public_report(request, pk: int):
    report = get_object_or_404(AnnualReport.objects.select_related("org_unit"), pk=pk)
    versions = list(report.versions.defer("docx", "html", "text").order_by("-number"))
    if not versions:
        raise Http404("该报告尚未公开")
    latest = ReportVersion.objects.get(pk=versions[0].pk)
    # The renderer escaped every text when the run was made; its figure links are in-page anchors.
    body = mark_safe(latest.html)  # noqa: S308
    return render(request, "web/public_report.html",
                  {"report": report, "version": latest, "versions": versions, "body": body})


def public_report_version(request, pk: int, number: int):
    """One published version's .docx, as it was published."""
    version = ReportVersion.objects.filter(report_id=pk, number=number).select_related("report__org_unit").first()
    if version is None:
        raise Http404("没有这个公开版本")
    report = version.report
    response = HttpResponse(bytes(version.docx), content_type=DOCX)
    name = f"{report.year}年{report.org_unit.name}法治政府建设情况报告（第{version.number}版）.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


class FaviconView(RedirectView):
    """/favicon.ico, which the browser asks for on pages without our <link rel=icon> (the admin, error pages):
    a 404 there is a console error. The static URL is looked up per request, not at import."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("web/favicon.svg")
