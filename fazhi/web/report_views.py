"""The annual report draft in the browser, drafted from the unit's latest snapshot; downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.errors import FazhiError
from fazhi.datasets.selectors import reports_unlocked
from fazhi.datasets.services import dataset_reports_lock_year
from fazhi.indicators.selectors import snapshot_latest
from fazhi.reports.models import AnnualReport
from fazhi.reports.registry import ReportOutlineUnavailable, report_outline
from fazhi.reports.render import render_docx, render_html, render_text
from fazhi.reports.selectors import report_document
from fazhi.reports.services import report_advance, report_approve, report_generate, report_revise

from .indicator_views import _unit_and_period
from .section_views import report_sections_context

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}


def _document(request):
    unit, period, units = _unit_and_period(request)
    snapshot = snapshot_latest(request.user, org_unit=unit, period=period)
    try:
        definition = report_outline()
    except ReportOutlineUnavailable as exc:  # `definitions check` and the start-up check name the file
        raise Http404(str(exc)) from exc
    doc = report_document(definition=definition, unit=unit, period=period, snapshot=snapshot) if snapshot else None
    return unit, period, units, snapshot, doc


@perm_required(Perm.UNIT_READ)
def report_draft(request):
    unit, period, units, snapshot, doc = _document(request)
    body = None
    if doc is not None:
        base = reverse("web:indicators")
        body = mark_safe(render_html(  # noqa: S308 - render_html escapes every text it writes
            doc, indicator_url=lambda code: f"{base}{code}/?unit={unit.pk}&period={period.code}"))
    report = AnnualReport.objects.filter(org_unit=unit, year=period.start.year).first()
    # The template asks the same question ({% may "report.manage" unit %}) for its buttons.
    may_manage = access.may(request.user, Perm.REPORT_MANAGE, unit)
    return render(request, "web/report.html", {
        **(report_sections_context(request, unit, report) if may_manage else {}),
        "unit": unit, "period": period, "units": units, "snapshot": snapshot, "body": body, "report": report,
        "run": report.runs.first() if report else None,
        # 审定 waits for the year's data set reports (reports.services.report_approve): say how many are open.
        "datasets_unlocked": (reports_unlocked(org_unit=unit, year=period.start.year).count()
                              if report and report.status in {"drafting", "reviewing"} else 0),
    })


def _report_or_404(unit, period) -> AnnualReport:
    report = AnnualReport.objects.filter(org_unit=unit, year=period.start.year).first()
    if report is None:
        raise Http404("尚未起草该年度报告")
    return report


@require_POST
@perm_required(Perm.REPORT_MANAGE)
def report_action(request, action: str):
    unit, period, _ = _unit_and_period(request)
    try:
        if action == "generate":
            run = report_generate(acting_user=request.user, org_unit=unit, year=period.start.year)
            messages.success(request, f"已生成报告（{run.figures} 个数字）")
        elif action == "advance":
            report = _report_or_404(unit, period)
            report = report_advance(acting_user=request.user, report=report)
            messages.success(request, f"报告已进入“{report.get_status_display()}”")
        elif action == "revise":
            report = _report_or_404(unit, period)
            report_revise(acting_user=request.user, report=report, reason=request.POST.get("reason", "")[:2000])
            messages.success(request, "报告已退回起草，可重新生成；公开页仍显示上一版，直至新版公开")
        else:
            raise Http404(action)
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('web:report')}?unit={unit.pk}&period={period.code}")


@require_POST
@perm_required(Perm.REPORT_APPROVE)
def report_approve_view(request):
    """审定 by a leader: another person than the one who drafted the report (reports.services)."""
    unit, period, _ = _unit_and_period(request)
    report = _report_or_404(unit, period)
    try:
        report_approve(acting_user=request.user, report=report, note=request.POST.get("note", "")[:500])
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "报告已审定")
    return redirect(f"{reverse('web:report')}?unit={unit.pk}&period={period.code}")


@require_POST
@perm_required(Perm.DATASET_LOCK)
def report_lock_datasets(request):
    """Year end from the report page: lock the year's open data set reports of the unit's subtree at once."""
    unit, period, _ = _unit_and_period(request)
    try:
        locked = dataset_reports_lock_year(acting_user=request.user, org_unit=unit, year=period.start.year)
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已锁定{period.start.year}年数据集报表 {len(locked)} 份")
    return redirect(f"{reverse('web:report')}?unit={unit.pk}&period={period.code}")


@perm_required(Perm.UNIT_READ)
def report_download(request, fmt: str):
    unit, period, _, snapshot, doc = _document(request)
    if doc is None or fmt not in CONTENT_TYPES:
        raise Http404("尚未冻结指标快照")
    if fmt == "docx":
        content = render_docx(doc)
    elif fmt == "pdf":
        from fazhi.reports.pdf import PdfUnavailable, docx_to_pdf

        try:
            content = docx_to_pdf(render_docx(doc))
        except PdfUnavailable as exc:
            raise Http404(str(exc)) from exc
    else:
        content = render_text(doc).encode("utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"{period.start.year}年{unit.name}法治政府建设情况报告.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
