"""Reads of the report's writing-together side: assignments per report, per user, accepted texts."""

from __future__ import annotations

from django.db.models import QuerySet

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.indicators.selectors import snapshot_values

from .builder import report_build
from .models import AnnualReport, ReportStatus, SectionAssignment, SectionStatus
from .registry import ReportOutlineUnavailable, report_outline

WRITABLE_REPORT = {ReportStatus.DRAFTING, ReportStatus.REVIEWING}  # from 审定 on, the text is frozen
WRITING = {SectionStatus.ASSIGNED, SectionStatus.RETURNED}  # the unit holds the pen


def section_labels() -> dict[str, str]:
    """Section key → a label a department understands, e.g. "一、主要举措和成效 ·（五）…"."""
    try:
        return {ref.key: ref.label for ref in report_outline().sections()}
    except ReportOutlineUnavailable:
        return {}


def section_editable(assignment: SectionAssignment, *, office: bool, writer: bool) -> bool:
    """May the text change now: the unit while it holds the pen, the office until the report is approved."""
    if assignment.report.status not in WRITABLE_REPORT:
        return False
    if writer and assignment.status in WRITING:
        return True
    return office and assignment.status != SectionStatus.WITHDRAWN


def assignments_of_report(report: AnnualReport) -> QuerySet[SectionAssignment]:
    return report.assignments.select_related("org_unit").order_by("section", "org_unit__depth", "org_unit__pk", "pk")


def assignments_for_user(user) -> list[SectionAssignment]:
    """Open and past assignments of the units the user writes for (not withdrawn), newest report first."""
    return list(
        SectionAssignment.objects.exclude(status=SectionStatus.WITHDRAWN)
        .filter(org_unit__in=access.units_where(user, Perm.SECTION_WRITE).values("pk"))
        .select_related("org_unit", "report", "report__org_unit").order_by("-report__year", "deadline", "pk")
    )


def accepted_contributions(report: AnnualReport) -> dict[str, list[str]]:
    """Section key → the accepted texts, upper units first, then in the order units were created."""
    out: dict[str, list[str]] = {}
    for a in assignments_of_report(report).filter(status=SectionStatus.ACCEPTED):
        if a.text.strip():
            out.setdefault(a.section, []).append(a.text)
    return out


def open_assignments(report: AnnualReport) -> list[SectionAssignment]:
    """Assignments the office has not yet accepted or withdrawn: they keep the report from approval."""
    return list(assignments_of_report(report).filter(
        status__in=[SectionStatus.ASSIGNED, SectionStatus.SUBMITTED, SectionStatus.RETURNED]))


def report_document(*, definition, unit, period, snapshot):
    """The report as it stands: drafted from the snapshot, with the texts accepted so far merged in
    (the one place the web page, the downloads, the CLI and report_generate build it)."""
    report = AnnualReport.objects.filter(org_unit=unit, year=period.start.year).first()
    return report_build(definition=definition, unit=unit, period=period, values=snapshot_values(snapshot),
                        contributions=accepted_contributions(report) if report else {})


def assignment_get(user, *, pk: int) -> tuple[SectionAssignment, bool, bool]:
    """(assignment, is the user its report's office, does the user write for its unit); raises
    SectionAssignment.DoesNotExist for anyone else, so its existence is not revealed (like records)."""
    assignment = SectionAssignment.objects.select_related("report__org_unit", "org_unit").get(pk=pk)
    office = access.may(user, Perm.REPORT_MANAGE, assignment.report.org_unit)
    writer = access.may(user, Perm.SECTION_WRITE, assignment.org_unit)
    if not (office or writer):
        raise SectionAssignment.DoesNotExist
    return assignment, office, writer


# --- the workbench (待办) ------------------------------------------------------------------------


def sections_to_write(user) -> list[SectionAssignment]:
    """Sections the user's units still have to write (待报送, or 已退回 with the office's comment), of reports
    still being written; earliest deadline first. A returned one carries `return_comment` (the last one)."""
    from .models import SectionEvent, SectionEventKind

    assignments = list(
        SectionAssignment.objects.filter(status__in=WRITING, report__status__in=WRITABLE_REPORT,
                                         org_unit__in=access.units_where(user, Perm.SECTION_WRITE).values("pk"))
        .select_related("org_unit", "report", "report__org_unit").order_by("deadline", "pk")
    )
    returned = [a.pk for a in assignments if a.status == SectionStatus.RETURNED]
    comments: dict[int, str] = {}
    for event in SectionEvent.objects.filter(assignment_id__in=returned, kind=SectionEventKind.RETURNED).order_by("at", "pk"):
        comments[event.assignment_id] = event.comment
    for a in assignments:
        a.return_comment = comments.get(a.pk, "")  # type: ignore[attr-defined]  # a display attribute for the template
    return assignments


def sections_late(user, *, today) -> list[SectionAssignment]:
    """For the office's 催报: sections of reports the user manages, still not submitted after their deadline,
    of units the user may send reminders to."""
    managed = [r.pk for r in AnnualReport.objects.filter(status__in=WRITABLE_REPORT).select_related("org_unit")
               if access.may(user, Perm.REPORT_MANAGE, r.org_unit)]
    return list(
        SectionAssignment.objects.filter(report_id__in=managed, status__in=WRITING, deadline__lt=today,
                                         org_unit__in=access.units_where(user, Perm.REMINDER_SEND).values("pk"))
        .select_related("org_unit", "report", "report__org_unit").order_by("deadline", "pk")
    )
