"""The public page: published annual reports, readable without logging in. Reports hold no personal
data (they are built from indicator snapshots only)."""

from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.views.generic import RedirectView

from fazhi.reports.models import AnnualReport, ReportStatus


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


class FaviconView(RedirectView):
    """/favicon.ico, which the browser asks for on pages without our <link rel=icon> (the admin, error pages):
    a 404 there is a console error. The static URL is looked up per request, not at import."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("web/favicon.svg")
