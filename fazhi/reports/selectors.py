"""Reads of the report's writing-together side: assignments per report, per user, accepted texts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


# --- the public page's de-identified statistics -------------------------------------------------

# Units of measure that count people or cases: only these (and rates) are public figures; sums of money
# and ranks are not statistics a citizen reads off the public page.
COUNT_UNITS = frozenset({"件", "人", "人次", "次", "个", "份", "名", "家", "起", "项", "条", "批", "块", "点"})
PUBLIC_FIGURES_PER_LINE = 4
RATE_WITHHELD = "—"  # a rate over too few cases: not published (the page explains the mark)  # a few figures per line, in the order its indicators.yaml defines them


@dataclass(frozen=True)
class PublicFigure:
    code: str
    name: str
    unit: str
    shown: str  # what the page prints: the value, or "<5" for a small count (small-cell suppression)
    value: Decimal | None  # None when suppressed: a chart leaves it out rather than draw it

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class PublicLine:
    name: str
    figures: list[PublicFigure]


@dataclass(frozen=True)
class PublicYear:
    report: AnnualReport
    lines: list[PublicLine]


def _small(count: Decimal | None, minimum: int) -> bool:
    """A cell of 1 … minimum−1 people or cases could point at someone; 0 and larger counts cannot."""
    return count is not None and 0 < count < minimum


def _public_figure(row, minimum: int) -> PublicFigure | None:
    """The public form of one snapshot value, or None when it is no public count or rate."""
    if row.value is None:
        return None
    if row.kind == "rate":
        num, den = row.numerator, row.denominator
        if num is None or den is None:
            return None
        # The rate's parts and its complement (den − num, e.g. the cases not resolved) are cells too.
        if den < minimum or _small(num, minimum) or _small(den - num, minimum):
            return PublicFigure(row.code, row.name, row.unit, RATE_WITHHELD, None)
        return PublicFigure(row.code, row.name, row.unit, f"{row.value.normalize():f}", row.value)
    if row.kind != "number" or row.unit not in COUNT_UNITS or row.value != row.value.to_integral_value():
        return None
    if _small(row.value, minimum):
        return PublicFigure(row.code, row.name, row.unit, f"<{minimum}", None)
    return PublicFigure(row.code, row.name, row.unit, str(int(row.value)), row.value)


def public_statistics(*, minimum: int | None = None) -> list[PublicYear]:
    """Per published annual report (newest year first): a few counts and rates per line, read from the
    snapshot its published run was built from — never live data, never an unpublished report, never a
    record or a person; small counts are shown as "<5" and rates over small counts are withheld."""
    from django.conf import settings

    from fazhi.indicators.models import SnapshotValue
    from fazhi.indicators.registry import indicator_registry

    minimum = settings.FAZHI_PUBLIC_MIN_COUNT if minimum is None else minimum
    registry = indicator_registry().indicators
    names = _line_names()
    out = []
    # The latest published version of each report: a report under revision keeps its published figures.
    for report in AnnualReport.objects.filter(versions__isnull=False).distinct().select_related("org_unit").order_by(
            "-year", "org_unit__name"):
        version = report.versions.select_related("run").defer("docx", "html", "text").first()
        if version is None:
            continue
        run = version.run
        rows = {v.code: v for v in SnapshotValue.objects.filter(snapshot_id=run.snapshot_id)}
        lines: dict[str, list[PublicFigure]] = {}
        for code, loaded in registry.items():  # definition order: each line's main figures first
            if code not in rows:
                continue
            line = names.get(loaded.path.parent.name, loaded.path.parent.name)
            if len(lines.get(line, [])) >= PUBLIC_FIGURES_PER_LINE:
                continue
            figure = _public_figure(rows[code], minimum)
            if figure is not None:
                lines.setdefault(line, []).append(figure)
        # A line whose figures are all 0 is a line the unit had nothing in: left out, not a table of zeros.
        out.append(PublicYear(report, [PublicLine(name, figures) for name, figures in lines.items()
                                       if any(f.value != 0 for f in figures)]))
    return out


def _line_names() -> dict[str, str]:
    """Chinese name of each line folder, from its register (or data set) definitions."""
    from fazhi.datasets.registry import registry as dataset_registry
    from fazhi.registers.registry import registry as register_registry

    names: dict[str, str] = {}
    for loaded in [*dataset_registry().datasets.values(), *register_registry().registers.values()]:
        names.setdefault(loaded.path.parent.name, loaded.definition.name)
    return names
