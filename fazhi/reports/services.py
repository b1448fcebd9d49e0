"""Writes of the report workflow: generate a run, move the report along 起草 → 审核 → 审定 → 公开.

Before 审定 and 公开 the gate runs: the indicator validation rules of the unit and year, and the
report checker on the run's text. Error-level results block the step (DESIGN §2, §6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from fazhi.core import access
from fazhi.core.audit import audit_event_write
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.periods import period_parse
from fazhi.core.textinput import ControlCharacterError, control_characters_refuse
from fazhi.indicators.rules import RuleOutcome, rules_check
from fazhi.indicators.selectors import snapshot_latest
from fazhi.indicators.services import snapshot_freeze

from .definitions import report_definition_load
from .document import Document
from .models import (
    AnnualReport,
    ReportRun,
    ReportStatus,
    SectionAssignment,
    SectionEvent,
    SectionEventKind,
    SectionStatus,
)
from .privacy import personal_data_find
from .render import render_docx, render_html, render_text
from .selectors import (
    CONTRIBUTOR_ROLES,
    OFFICE_ROLES,
    WRITABLE_REPORT,
    WRITING,
    open_assignments,
    report_document,
    section_editable,
    section_labels,
)
from .uploads import UploadRejected, upload_text

NEXT = {ReportStatus.DRAFTING: ReportStatus.REVIEWING, ReportStatus.REVIEWING: ReportStatus.APPROVED,
        ReportStatus.APPROVED: ReportStatus.PUBLISHED}
GATED = {ReportStatus.APPROVED, ReportStatus.PUBLISHED}


class ReportErrorCode(StrEnum):
    NO_DEFINITION = "no_definition"  # the report definition does not validate
    GATE_FAILED = "gate_failed"  # rules or the checker found errors
    NOT_ALLOWED = "not_allowed"  # no such step from the current status
    NO_RUN = "no_run"  # nothing generated yet


class ReportWorkflowError(ValueError):
    def __init__(self, code: ReportErrorCode, message: str, *, gate: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.gate = code, message, gate or {}


def _gate(report: AnnualReport, doc: Document, text: str) -> dict:
    """Everything that blocks 审定 and 公开: violated error rules, the checker's errors, mandated parts
    with no text, assignments the office has not settled, personal data in the text."""
    from fazhi.checker.service import report_check

    unit, year = report.org_unit, report.year
    period = period_parse(str(year))
    broken = [r.message for r in rules_check(units=[unit], period=period)
              if r.outcome == RuleOutcome.VIOLATED and r.importance == "error"]
    result = report_check(text=text, unit=unit.name, year=year, whole_report=True)
    errors = [f.message for f in result.findings if f.severity == "error"]
    labels = section_labels()
    sections = [f"“{heading}”尚无内容" for heading in doc.empty_parts()]
    sections += [f"{a.org_unit.name}承担的“{labels.get(a.section, a.section)}”{a.get_status_display()}，尚未采用"
                 for a in open_assignments(report)]
    personal = [f"含有个人信息：{found}" for found in personal_data_find(text)]
    return {"rules": broken, "checker": errors, "sections": sections, "personal": personal,
            "passed": not (broken or errors or sections or personal)}


def report_open(*, acting_user, org_unit: OrgUnit, year: int) -> AnnualReport:
    """The unit's report of the year, created (起草) the first time the office opens it."""
    access.require_role(acting_user, org_unit, OFFICE_ROLES, action="起草年度报告")
    report = AnnualReport.objects.filter(org_unit=org_unit, year=year).first()
    if report is None:
        with transaction.atomic():
            report = AnnualReport.objects.create(org_unit=org_unit, year=year)
            audit_event_write(actor=acting_user, action="report.open", obj=report, org_unit=org_unit,
                              diff={"year": [None, year]})
    return report


def report_generate(*, acting_user, org_unit: OrgUnit, year: int) -> ReportRun:
    """Draft (or redraft) the report from the latest snapshot, freezing one if none exists."""
    access.require_role(acting_user, org_unit, OFFICE_ROLES, action="生成年度报告")
    definition, errors = report_definition_load()
    if definition is None:
        raise ReportWorkflowError(ReportErrorCode.NO_DEFINITION, "报告定义有误：" + "；".join(map(str, errors)))
    period = period_parse(str(year))
    snapshot = snapshot_latest(acting_user, org_unit=org_unit, period=period) or snapshot_freeze(
        acting_user=acting_user, org_unit=org_unit, period=period, note="生成报告时冻结")
    report = report_open(acting_user=acting_user, org_unit=org_unit, year=year)
    doc = report_document(definition=definition, unit=org_unit, period=period, snapshot=snapshot)
    text = render_text(doc)
    with transaction.atomic():
        run = ReportRun.objects.create(
            report=report, snapshot=snapshot, definition_code=definition.code,
            definition_version=definition.version,
            created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
            text=text, html=render_html(doc), text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            docx_sha256=hashlib.sha256(render_docx(doc)).hexdigest(), figures=len(doc.figures()),
            gate=_gate(report, doc, text),
        )
        merged = sorted(a.pk for a in report.assignments.filter(status=SectionStatus.ACCEPTED))
        audit_event_write(actor=acting_user, action="report.generate", obj=run, org_unit=org_unit,
                          diff={"snapshot": [None, snapshot.pk], "figures": [None, run.figures],
                                "assignments": [None, merged]})
    return run


def report_advance(*, acting_user, report: AnnualReport) -> AnnualReport:
    """One step forward; 审定 and 公开 need a run whose gate passed."""
    access.require_role(acting_user, report.org_unit, OFFICE_ROLES, action="推进年度报告")
    target = NEXT.get(ReportStatus(report.status))
    if target is None:
        raise ReportWorkflowError(ReportErrorCode.NOT_ALLOWED, "报告已公开，不能再推进")
    run = report.runs.first()
    if run is None:
        raise ReportWorkflowError(ReportErrorCode.NO_RUN, "请先生成报告")
    if target in GATED and not run.gate.get("passed"):
        raise ReportWorkflowError(ReportErrorCode.GATE_FAILED, "核对未通过，不能进入“" + target.label + "”",
                                  gate=run.gate)
    with transaction.atomic():
        before = report.status
        report.status = target
        if target == ReportStatus.PUBLISHED:
            report.published_at = timezone.now()
        report.save()
        audit_event_write(actor=acting_user, action="report.advance", obj=report, org_unit=report.org_unit,
                          diff={"status": [before, target.value]})
    return report


# ------------------------------------------------------------------------------------ writing together

class SectionErrorCode(StrEnum):
    UNKNOWN_SECTION = "unknown_section"  # the report definition has no such section
    OUTSIDE_REPORT = "outside_report"  # the unit is not the report's unit nor below it
    DUPLICATE = "duplicate"  # the unit already holds this section of this report
    REPORT_CLOSED = "report_closed"  # the report is approved or published: its text is frozen
    NOT_ALLOWED = "not_allowed"  # not from the assignment's current status, or not by this user
    EMPTY_TEXT = "empty_text"  # nothing to submit
    COMMENT_REQUIRED = "comment_required"  # returning or commenting needs a comment
    UPLOAD_REJECTED = "upload_rejected"  # the uploaded file cannot be used (message names the file)
    CONTROL_CHARACTER = "control_character"  # the text holds U+0000–U+001F (not tab/newline); message says where


class SectionError(ValueError):
    def __init__(self, code: SectionErrorCode, message: str):
        super().__init__(message)
        self.code, self.message = code, message


MAX_SECTION_TEXT = 30_000


def _require_open(report: AnnualReport) -> None:
    if report.status not in WRITABLE_REPORT:
        raise SectionError(SectionErrorCode.REPORT_CLOSED, f"报告已{report.get_status_display()}，不能再修改分工和内容")


def _is_office(user, assignment: SectionAssignment) -> bool:
    return access.can_act_as(user, assignment.report.org_unit, OFFICE_ROLES)


def _record(assignment: SectionAssignment, *, acting_user, kind: SectionEventKind, diff: dict,
            comment: str = "") -> None:
    """The assignment's timeline event and its audit row, inside the caller's transaction."""
    SectionEvent.objects.create(assignment=assignment, kind=kind, comment=comment,
                                actor=acting_user if acting_user is not None and acting_user.is_authenticated
                                else None)
    audit_event_write(actor=acting_user, action=f"report.section.{kind.value}", obj=assignment,
                      org_unit=assignment.org_unit, diff=diff)


def section_assign(*, acting_user, report: AnnualReport, section: str, org_unit: OrgUnit,
                   deadline=None) -> SectionAssignment:
    """Ask a department or town (or the office itself) to write one section, by a deadline
    (default 3月1日 of the following year, a month before the report must be public)."""
    access.require_role(acting_user, report.org_unit, OFFICE_ROLES, action="分配报告章节")
    _require_open(report)
    definition, _ = report_definition_load()
    if definition is None or definition.section(section) is None:
        raise SectionError(SectionErrorCode.UNKNOWN_SECTION, f"报告没有章节“{section}”")
    if not OrgUnitClosure.objects.filter(ancestor=report.org_unit, descendant=org_unit).exists():
        raise SectionError(SectionErrorCode.OUTSIDE_REPORT, f"“{org_unit.name}”不属于{report.org_unit.name}")
    taken = report.assignments.filter(section=section, org_unit=org_unit).exclude(status=SectionStatus.WITHDRAWN)
    if taken.exists():
        raise SectionError(SectionErrorCode.DUPLICATE, f"“{org_unit.name}”已承担“{definition.section(section).label}”")
    deadline = deadline or dt.date(report.year + 1, 3, 1)
    with transaction.atomic():
        assignment = SectionAssignment.objects.create(report=report, section=section, org_unit=org_unit,
                                                      deadline=deadline)
        _record(assignment, acting_user=acting_user, kind=SectionEventKind.ASSIGNED,
                diff={"section": [None, section], "org_unit": [None, org_unit.pk], "deadline": [None, deadline]})
    return assignment


def section_save(*, acting_user, assignment: SectionAssignment, text: str,
                 kind: SectionEventKind = SectionEventKind.SAVED) -> SectionAssignment:
    """The unit saves its draft (while assigned or returned); the office may edit any time the report is
    open (recorded as an office edit, with the old and new text in the audit row)."""
    _require_open(assignment.report)
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()
    if len(text) > MAX_SECTION_TEXT:
        raise SectionError(SectionErrorCode.NOT_ALLOWED, f"内容超过{MAX_SECTION_TEXT}字，请精简")
    try:  # the one path every section text takes (typed, API, upload): a .docx cannot hold these
        control_characters_refuse(text, label="章节内容")
    except ControlCharacterError as exc:
        raise SectionError(SectionErrorCode.CONTROL_CHARACTER, exc.message) from exc
    office = _is_office(acting_user, assignment)
    writer = access.can_act_as(acting_user, assignment.org_unit, CONTRIBUTOR_ROLES)
    if not section_editable(assignment, office=office, writer=writer):
        if not (office or writer):
            access.require_role(acting_user, assignment.org_unit, CONTRIBUTOR_ROLES, action="填写报告章节")
        raise SectionError(SectionErrorCode.NOT_ALLOWED,
                           f"“{assignment.get_status_display()}”的章节只能由依法治区办修改")
    if assignment.status not in WRITING:
        kind = SectionEventKind.EDITED  # the office changing a text the unit has handed in
    with transaction.atomic():
        before = assignment.text
        assignment.text = text
        assignment.save(update_fields=["text"])
        _record(assignment, acting_user=acting_user, kind=kind, diff={"text": [before, text]})
    return assignment


def section_upload(*, acting_user, assignment: SectionAssignment, name: str, data: bytes) -> SectionAssignment:
    """Replace the text by an uploaded .docx or .txt (a hostile or broken file changes nothing)."""
    try:
        text = upload_text(name=name, data=data)
    except UploadRejected as exc:
        raise SectionError(SectionErrorCode.UPLOAD_REJECTED, str(exc)) from exc
    return section_save(acting_user=acting_user, assignment=assignment, text=text, kind=SectionEventKind.UPLOADED)


def _transition(assignment: SectionAssignment, *, acting_user, allowed: set, target: SectionStatus,
                kind: SectionEventKind, comment: str = "", **fields) -> SectionAssignment:
    _require_open(assignment.report)
    if assignment.status not in allowed:
        raise SectionError(SectionErrorCode.NOT_ALLOWED,
                           f"“{assignment.get_status_display()}”的章节不能{kind.label}")
    with transaction.atomic():
        before = assignment.status
        assignment.status = target
        for name, value in fields.items():
            setattr(assignment, name, value)
        assignment.save(update_fields=["status", *fields])
        _record(assignment, acting_user=acting_user, kind=kind, comment=comment,
                diff={"status": [before, target.value]})
    return assignment


def section_submit(*, acting_user, assignment: SectionAssignment) -> SectionAssignment:
    access.require_role(acting_user, assignment.org_unit, CONTRIBUTOR_ROLES, action="报送报告章节")
    if not assignment.text.strip():
        raise SectionError(SectionErrorCode.EMPTY_TEXT, "内容为空，不能报送")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.SUBMITTED,
                       allowed=WRITING, target=SectionStatus.SUBMITTED,
                       submitted_at=timezone.now())


def section_accept(*, acting_user, assignment: SectionAssignment, comment: str = "") -> SectionAssignment:
    access.require_role(acting_user, assignment.report.org_unit, OFFICE_ROLES, action="采用报告章节")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.ACCEPTED, comment=comment.strip(),
                       allowed={SectionStatus.SUBMITTED}, target=SectionStatus.ACCEPTED)


def section_return(*, acting_user, assignment: SectionAssignment, comment: str) -> SectionAssignment:
    access.require_role(acting_user, assignment.report.org_unit, OFFICE_ROLES, action="退回报告章节")
    if not comment.strip():
        raise SectionError(SectionErrorCode.COMMENT_REQUIRED, "退回时请写明修改意见")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.RETURNED, comment=comment.strip(),
                       allowed={SectionStatus.SUBMITTED, SectionStatus.ACCEPTED}, target=SectionStatus.RETURNED)


def section_withdraw(*, acting_user, assignment: SectionAssignment, comment: str = "") -> SectionAssignment:
    access.require_role(acting_user, assignment.report.org_unit, OFFICE_ROLES, action="撤回报告分工")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.WITHDRAWN, comment=comment.strip(),
                       allowed={SectionStatus.ASSIGNED, SectionStatus.SUBMITTED, SectionStatus.RETURNED},
                       target=SectionStatus.WITHDRAWN)


def section_comment(*, acting_user, assignment: SectionAssignment, comment: str) -> SectionEvent:
    """A comment on the timeline, by the office or the unit writing the section."""
    if not (_is_office(acting_user, assignment)
            or access.can_act_as(acting_user, assignment.org_unit, CONTRIBUTOR_ROLES)):
        access.require_role(acting_user, assignment.org_unit, CONTRIBUTOR_ROLES, action="发表意见")
    if not comment.strip():
        raise SectionError(SectionErrorCode.COMMENT_REQUIRED, "意见不能为空")
    with transaction.atomic():
        _record(assignment, acting_user=acting_user, kind=SectionEventKind.COMMENTED, comment=comment.strip(),
                diff={"comment": [None, comment.strip()]})
    return assignment.events.last()


# The steps a page or the API may ask for by name (upload, which takes a file, is called directly).
SECTION_STEPS = ("save", "submit", "accept", "return", "withdraw", "comment")


def section_step(*, acting_user, assignment: SectionAssignment, step: str, text: str = "", comment: str = ""):
    """Dispatch one named step to its service (web form and REST API alike)."""
    if step == "save":
        return section_save(acting_user=acting_user, assignment=assignment, text=text)
    if step == "submit":
        return section_submit(acting_user=acting_user, assignment=assignment)
    if step == "accept":
        return section_accept(acting_user=acting_user, assignment=assignment, comment=comment)
    if step == "return":
        return section_return(acting_user=acting_user, assignment=assignment, comment=comment)
    if step == "withdraw":
        return section_withdraw(acting_user=acting_user, assignment=assignment, comment=comment)
    if step == "comment":
        return section_comment(acting_user=acting_user, assignment=assignment, comment=comment)
    raise ValueError(f"unknown section step {step!r}")
