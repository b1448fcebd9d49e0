"""Writing the report together: the office assigns sections, departments and towns write or upload
their text before the deadline and see the figures the office will print; the office accepts, returns
with a comment or edits. Thin: every write goes through fazhi.reports.services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.errors import FazhiError
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.params import param_int
from fazhi.core.periods import period_parse
from fazhi.core.personaldata import personal_data_mask, personal_data_present
from fazhi.core.services import personal_data_view_record
from fazhi.core.textinput import control_characters_strip
from fazhi.indicators.selectors import snapshot_latest
from fazhi.reports.document import Heading, Paragraph
from fazhi.reports.models import AnnualReport, SectionAssignment
from fazhi.reports.registry import ReportOutlineUnavailable, report_outline
from fazhi.reports.selectors import (
    WRITABLE_REPORT,
    assignment_get,
    assignments_for_user,
    assignments_of_report,
    report_document,
    section_editable,
    section_labels,
)
from fazhi.reports.services import (
    ReportErrorCode,
    SectionConflict,
    SectionError,
    report_open,
    section_assign,
    section_step,
    section_upload,
)

from .indicator_views import _unit_and_period


def _assignment_for(request, pk: int) -> tuple[SectionAssignment, bool, bool]:
    try:
        return assignment_get(request.user, pk=pk)
    except SectionAssignment.DoesNotExist:
        raise Http404("没有这项报告分工") from None


def _section_preview(request, assignment: SectionAssignment) -> list[dict]:
    """The section as the office will print it from its latest snapshot: headings and paragraphs, with
    the figures marked, and the contributions accepted so far (other units' too)."""
    report = assignment.report
    snapshot = snapshot_latest(None, org_unit=report.org_unit, period=period_parse(str(report.year)))
    try:
        only = report_outline().only(assignment.section)  # the definition cut down to this one section
    except ReportOutlineUnavailable:
        only = None
    if only is None or snapshot is None:
        return []
    doc = report_document(definition=only, unit=report.org_unit, period=period_parse(str(report.year)),
                          snapshot=snapshot)
    out: list[dict[str, object]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append({"runs": [{"text": r if isinstance(r, str) else r.text, "figure": not isinstance(r, str)}
                                 for r in block.runs]})
        elif isinstance(block, Heading) and block.level == 2:
            out.append({"heading": block.text})
    return out


@perm_required(Perm.SECTION_WRITE)
def section_list(request):
    """The sections the user's units write, with their deadlines."""
    labels = section_labels()
    rows = [{"a": a, "label": labels.get(a.section, a.section)} for a in assignments_for_user(request.user)]
    return render(request, "web/section_list.html", {"rows": rows})


@perm_required(Perm.UNIT_READ)  # the office or the unit writing it (assignment_get asks which)
def section_detail(request, pk: int, *, conflict: dict | None = None):
    assignment, office, writer = _assignment_for(request, pk)
    # Text stored before input was checked may hold control characters: shown (and offered for editing)
    # without them, so a save from this page stores the clean text instead of being refused.
    assignment.text = control_characters_strip(assignment.text)
    editable = section_editable(assignment, office=office, writer=writer)
    preview = _section_preview(request, assignment)
    events = list(assignment.events.select_related("actor"))  # comments are stored masked already
    # A personal number in the text is shown masked, except in the writer's own edit box (saving a masked
    # copy would destroy what was typed) and to a reader entitled to it who asks, each reveal audited.
    personal = personal_data_present(assignment.text) or any(
        personal_data_present(r["text"]) for b in preview for r in b.get("runs", []))
    may_reveal = personal and access.may(request.user, Perm.PERSONAL_DATA_VIEW, assignment.org_unit)
    reveal = may_reveal and request.method == "POST" and request.POST.get("reveal") == "1"
    if reveal:
        personal_data_view_record(acting_user=request.user, obj=assignment, org_unit=assignment.org_unit,
                                  fields=["text"])
    else:
        for block in preview:
            for run in block.get("runs", []):
                run["text"] = personal_data_mask(run["text"])
    return render(request, "web/section_detail.html", {
        "conflict": conflict,
        "shown_text": assignment.text if reveal else personal_data_mask(assignment.text),
        "may_reveal": may_reveal and not reveal,
        "a": assignment, "label": section_labels().get(assignment.section, assignment.section), "office": office,
        "writer": writer, "editable": editable,
        "open_report": assignment.report.status in WRITABLE_REPORT, "preview": preview,
        "events": events,
    })


@require_POST
@perm_required(Perm.UNIT_READ)  # each step asks its own: report.manage or report.section_write
def section_action(request, pk: int, action: str):
    assignment, _, _ = _assignment_for(request, pk)
    done = {
        "save": "已保存", "upload": "已读取上传的文件", "submit": "已报送", "accept": "已采用",
        "return": "已退回", "withdraw": "已撤回分工", "comment": "已发表意见",
    }
    if action not in done:
        raise Http404(action)
    version = param_int(request.POST, "version")  # a malformed one is the 400 page, before anything is saved
    try:
        if action == "upload":
            upload = request.FILES.get("file")
            if upload is None:
                raise SectionError(ReportErrorCode.UPLOAD_REJECTED, "请选择要上传的文件")
            section_upload(acting_user=request.user, assignment=assignment, name=upload.name,
                           data=upload.read(2 * 1024 * 1024 + 1))
        else:
            section_step(acting_user=request.user, assignment=assignment, step=action,
                         text=request.POST.get("text", ""), comment=request.POST.get("comment", ""),
                         version=version)
        messages.success(request, done[action])
    except SectionConflict as exc:
        # Nothing typed is lost: the page shows the text just typed next to the one saved meanwhile.
        messages.error(request, exc.message)
        response = section_detail(request, pk, conflict={"yours": request.POST.get("text", ""),
                                                         "current": exc.current_text})
        response.status_code = 409
        return response
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("web:section", args=[assignment.pk]))


@require_POST
@perm_required(Perm.REPORT_MANAGE)
def section_assign_view(request):
    """The office assigns a section of the unit's report to a unit of its tree."""
    unit, period, _ = _unit_and_period(request)
    target = OrgUnit.objects.filter(pk=request.POST.get("org_unit") or 0).first()
    deadline = parse_date(request.POST.get("deadline") or "") if request.POST.get("deadline") else None
    try:
        if target is None:
            raise SectionError(ReportErrorCode.OUTSIDE_REPORT, "请选择承担单位")
        if request.POST.get("deadline") and deadline is None:
            raise SectionError(ReportErrorCode.NOT_ALLOWED, "报送期限格式应为 2025-03-01")
        report = report_open(acting_user=request.user, org_unit=unit, year=period.start.year)
        assignment = section_assign(acting_user=request.user, report=report, section=request.POST.get("section", ""),
                                    org_unit=target, deadline=deadline)
        messages.success(request, f"已分配给{assignment.org_unit.name}，报送期限{assignment.deadline:%Y年%m月%d日}")
    except FazhiError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('web:report')}?unit={unit.pk}&period={period.code}#sections")


def report_sections_context(request, unit: OrgUnit, report: AnnualReport | None) -> dict:
    """What the report page shows of the writing together (for the office)."""
    try:
        choices = report_outline().sections()
    except ReportOutlineUnavailable:
        choices = []
    labels = {ref.key: ref.label for ref in choices}
    rows = [{"a": a, "label": labels.get(a.section, a.section)} for a in assignments_of_report(report)] \
        if report else []
    targets = access.units_in_jurisdiction(request.user, writable=True).filter(
        pk__in=OrgUnitClosure.objects.filter(ancestor=unit).values("descendant_id")).order_by("depth", "name")
    return {"section_rows": rows, "section_choices": choices, "section_targets": targets,
            "sections_open": report is None or report.status in WRITABLE_REPORT}
