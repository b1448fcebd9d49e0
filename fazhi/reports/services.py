"""Writes of the report workflow: generate a run, move the report along 起草 → 审核 → 审定 → 公开.

Before 审定 and 公开 the gate runs, against the snapshot the run was drafted from: the indicator
validation rules over the snapshot's values, each drafted figure against its own indicator's snapshot
value, and the report checker on the run's text with the snapshot's figures (which catches a number a
department changed or wrote in its contributed text). Error-level results block the step (DESIGN §2, §6).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.audit import audit_event_write, history_masked
from fazhi.core.auditactions import AuditAction
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.periods import period_parse
from fazhi.core.textinput import ControlCharacterError, control_characters_refuse
from fazhi.indicators.models import IndicatorSnapshot
from fazhi.indicators.rules import RuleOutcome, rules_check_values
from fazhi.indicators.selectors import snapshot_latest, snapshot_values
from fazhi.indicators.services import snapshot_freeze

from .builder import figure_text
from .document import Document
from .errors import ReportErrorCode, ReportWorkflowError, SectionConflict, SectionError, UploadRejected
from .models import (
    AnnualReport,
    ReportApproval,
    ReportRun,
    ReportStatus,
    ReportVersion,
    SectionAssignment,
    SectionEvent,
    SectionEventKind,
    SectionStatus,
)
from .privacy import personal_data_find
from .registry import ReportOutlineUnavailable, report_outline
from .render import render_docx, render_html, render_text, text_figures
from .selectors import (
    WRITABLE_REPORT,
    WRITING,
    open_assignments,
    report_document,
    section_editable,
    section_labels,
)
from .uploads import upload_text

NEXT = {ReportStatus.DRAFTING: ReportStatus.REVIEWING, ReportStatus.REVIEWING: ReportStatus.APPROVED,
        ReportStatus.APPROVED: ReportStatus.PUBLISHED}
GATED = {ReportStatus.APPROVED, ReportStatus.PUBLISHED}
FROZEN = {ReportStatus.APPROVED, ReportStatus.PUBLISHED}


def _figure_errors(doc: Document, text: str, values: dict) -> tuple[list[str], list[tuple[int, int]]]:
    """Each drafted figure against its own indicator's value in the snapshot (the figure knows its code),
    and where the drafted figures stand in the text."""
    errors, spans = [], []
    for start, end, figure in text_figures(doc):
        spans.append((start, end))
        frozen = values.get(figure.code)
        printed = text[start:end]
        if frozen is None or frozen.value is None or figure.value is None or Decimal(frozen.value) != figure.value:
            shown = "无" if frozen is None or frozen.value is None else figure_text(Decimal(frozen.value), frozen.unit, None)
            errors.append(f"“{printed}”（{figure.code}）与报告所依据的快照不符：快照为{shown}")
    return errors, spans


def _gate(report: AnnualReport, doc: Document, text: str, snapshot: IndicatorSnapshot) -> dict:
    """Everything that blocks 审定 and 公开: violated error rules over the snapshot's values, drafted
    figures that are not their snapshot values, the checker's errors on the text compared with the
    snapshot's figures, mandated parts with no text, assignments the office has not settled, personal
    data in the text."""
    from fazhi.checker.findings import FindingKind
    from fazhi.checker.platform_source import SnapshotIndicatorSource
    from fazhi.checker.service import report_check

    unit, year = report.org_unit, report.year
    period = period_parse(str(year))
    values = snapshot_values(snapshot)
    # Rates are compared unrounded, as the live rules do (a rounded 99.7% could pass a bound it fails).
    exact = {code: v.exact if v.exact is not None else v.value for code, v in values.items()}
    broken = [r.message for r in rules_check_values(unit=unit, period=period, values=exact)
              if r.outcome == RuleOutcome.VIOLATED and r.importance == "error"]
    figures, drafted = _figure_errors(doc, text, values)
    result = report_check(text=text, unit=unit.name, year=year, indicator_source=SnapshotIndicatorSource(snapshot),
                          whole_report=True)

    def on_drafted_figure(finding) -> bool:
        return any(start < f_end and f_start < end for start, end in finding.spans for f_start, f_end in drafted)

    # A drafted figure is judged by its binding above; the checker matches claims to indicators by name,
    # which for a drafted figure could only pick another indicator than the one it prints.
    errors = figures + [f.message for f in result.findings if f.severity == "error"
                        and not (f.kind == FindingKind.DATA_MISMATCH and on_drafted_figure(f))]
    labels = section_labels()
    sections = [f"“{heading}”尚无内容" for heading in doc.empty_parts()]
    sections += [f"{a.org_unit.name}承担的“{labels.get(a.section, a.section)}”{a.get_status_display()}，尚未采用"
                 for a in open_assignments(report)]
    personal = [f"含有个人信息：{found}" for found in personal_data_find(text)]
    return {"rules": broken, "checker": errors, "sections": sections, "personal": personal,
            "passed": not (broken or errors or sections or personal)}


def report_open(*, acting_user, org_unit: OrgUnit, year: int) -> AnnualReport:
    """The unit's report of the year, created (起草) the first time the office opens it."""
    access.require(acting_user, Perm.REPORT_MANAGE, org_unit, action="起草年度报告")
    report = AnnualReport.objects.filter(org_unit=org_unit, year=year).first()
    if report is None:
        with transaction.atomic():
            report = AnnualReport.objects.create(org_unit=org_unit, year=year)
            audit_event_write(actor=acting_user, action=AuditAction.REPORT_OPEN, obj=report, org_unit=org_unit,
                              diff={"year": [None, year]})
    return report


def report_generate(*, acting_user, org_unit: OrgUnit, year: int) -> ReportRun:
    """Draft (or redraft) the report from the latest snapshot, freezing one if none exists."""
    access.require(acting_user, Perm.REPORT_MANAGE, org_unit, action="生成年度报告")
    try:
        definition = report_outline()
    except ReportOutlineUnavailable as exc:
        raise ReportWorkflowError(ReportErrorCode.NO_DEFINITION, str(exc)) from exc
    period = period_parse(str(year))
    report = report_open(acting_user=acting_user, org_unit=org_unit, year=year)
    if report.status in FROZEN:
        raise ReportWorkflowError(ReportErrorCode.REPORT_FROZEN,
                                  f"报告已{report.get_status_display()}，不能重新生成；请先“修订”并写明理由")
    snapshot = snapshot_latest(acting_user, org_unit=org_unit, period=period) or snapshot_freeze(
        acting_user=acting_user, org_unit=org_unit, period=period, note="生成报告时冻结")
    doc = report_document(definition=definition, unit=org_unit, period=period, snapshot=snapshot)
    text = render_text(doc)
    with transaction.atomic():
        run = ReportRun.objects.create(
            report=report, snapshot=snapshot, definition_code=definition.code,
            definition_version=definition.version,
            created_by=access.recorded_actor(acting_user),
            text=text, html=render_html(doc), text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            docx_sha256=hashlib.sha256(render_docx(doc)).hexdigest(), figures=len(doc.figures()),
            gate=_gate(report, doc, text, snapshot),
        )
        merged = sorted(a.pk for a in report.assignments.filter(status=SectionStatus.ACCEPTED))
        audit_event_write(actor=acting_user, action=AuditAction.REPORT_GENERATE, obj=run, org_unit=org_unit,
                          diff={"snapshot": [None, snapshot.pk], "figures": [None, run.figures],
                                "assignments": [None, merged]})
    return run


def report_advance(*, acting_user, report: AnnualReport) -> AnnualReport:
    """One step forward: 起草 → 审核 by the office; 审核 → 审定 is report_approve (a leader, not the
    drafter); 审定 → 公开 is report_publish. 审定 and 公开 need a run whose gate passed."""
    target = NEXT.get(ReportStatus(report.status))
    if target == ReportStatus.APPROVED:
        return report_approve(acting_user=acting_user, report=report)
    if target == ReportStatus.PUBLISHED:
        report_publish(acting_user=acting_user, report=report)
        return report
    access.require(acting_user, Perm.REPORT_MANAGE, report.org_unit, action="推进年度报告")
    if target is None:
        raise ReportWorkflowError(ReportErrorCode.NOT_ALLOWED, "报告已公开；如需修改，请“修订”并写明理由")
    if report.runs.first() is None:
        raise ReportWorkflowError(ReportErrorCode.NO_RUN, "请先生成报告")
    with transaction.atomic():
        before = report.status
        report.status = target
        report.save()
        audit_event_write(actor=acting_user, action=AuditAction.REPORT_ADVANCE, obj=report, org_unit=report.org_unit,
                          diff={"status": [before, target.value]})
    return report


def _gated_run(report: AnnualReport, step: str) -> ReportRun:
    run = report.runs.select_related("snapshot").first()
    if run is None:
        raise ReportWorkflowError(ReportErrorCode.NO_RUN, "请先生成报告")
    if not run.gate.get("passed"):
        raise ReportWorkflowError(ReportErrorCode.GATE_FAILED, f"核对未通过，不能{step}", gate=run.gate)
    return run


def _datasets_unlocked(report: AnnualReport) -> list[str]:
    from fazhi.datasets.registry import UnknownDataset, dataset_definition
    from fazhi.datasets.selectors import reports_unlocked

    def name(code: str) -> str:
        try:
            return dataset_definition(code).name
        except UnknownDataset:
            return code

    return [f"{r.org_unit.name}“{name(r.dataset)}”" for r in reports_unlocked(org_unit=report.org_unit, year=report.year)]


def report_approve(*, acting_user, report: AnnualReport, note: str = "") -> AnnualReport:
    """审定 (approve) the report's latest run and the snapshot it was drafted from. The approver holds
    report.approve and is another person than the one who generated the run or froze its snapshot;
    the year's data set reports must be locked first (their figures are in the snapshot)."""
    access.require(acting_user, Perm.REPORT_APPROVE, report.org_unit, action="审定年度报告")
    if report.status != ReportStatus.REVIEWING:
        raise ReportWorkflowError(ReportErrorCode.NOT_ALLOWED, f"报告处于“{report.get_status_display()}”，不能审定")
    run = _gated_run(report, "审定")
    actor = access.recorded_actor(acting_user)
    if actor is not None and actor.pk in {run.created_by_id, run.snapshot.created_by_id}:
        raise ReportWorkflowError(ReportErrorCode.APPROVER_IS_DRAFTER,
                                  "起草（生成报告或冻结快照）的人不能审定同一份报告，请由另一位领导审定")
    unlocked = _datasets_unlocked(report)
    if unlocked:
        shown = "、".join(unlocked[:5]) + ("等" if len(unlocked) > 5 else "")
        raise ReportWorkflowError(ReportErrorCode.DATASETS_NOT_LOCKED,
                                  f"{report.year}年还有{len(unlocked)}份数据集报表未锁定（{shown}），请先锁定再审定")
    with transaction.atomic(durable=True):
        ReportApproval.objects.create(report=report, run=run, snapshot=run.snapshot, approved_by=actor,
                                      note=note[:500])
        before = report.status
        report.status = ReportStatus.APPROVED
        report.save()
        audit_event_write(actor=acting_user, action=AuditAction.REPORT_APPROVE, obj=report, org_unit=report.org_unit,
                          diff={"status": [before, report.status], "run": [None, run.pk],
                                "snapshot": [None, run.snapshot_id]})
    return report


def _figure_changes(old: IndicatorSnapshot, new: IndicatorSnapshot) -> list[dict]:
    """The snapshot figures that differ between two published versions, in definition order."""
    before = snapshot_values(old)
    changes = []
    for code, value in snapshot_values(new).items():
        previous = before.get(code)
        old_value = previous.value if previous else None
        if old_value != value.value:
            changes.append({"code": code, "name": value.name, "unit": value.unit,
                            "old": None if old_value is None else str(old_value.normalize()),
                            "new": None if value.value is None else str(value.value.normalize())})
    return changes


def report_publish(*, acting_user, report: AnnualReport) -> ReportVersion:
    """公开: the approved run becomes the next published version, its .docx kept byte for byte; a
    version after the first lists the figures that changed since the previous one and why."""
    access.require(acting_user, Perm.REPORT_MANAGE, report.org_unit, action="公开年度报告")
    if report.status != ReportStatus.APPROVED:
        raise ReportWorkflowError(ReportErrorCode.NOT_ALLOWED, "报告须先审定再公开")
    run = _gated_run(report, "公开")
    approval = report.approvals.first()
    if approval is None or approval.run_id != run.pk:
        raise ReportWorkflowError(ReportErrorCode.APPROVAL_STALE, "审定后报告又重新生成过，请先审定最新的报告")
    try:
        definition = report_outline()
    except ReportOutlineUnavailable as exc:
        raise ReportWorkflowError(ReportErrorCode.NO_DEFINITION, str(exc)) from exc
    doc = report_document(definition=definition, unit=report.org_unit, period=period_parse(str(report.year)),
                          snapshot=run.snapshot)
    if render_text(doc) != run.text:
        raise ReportWorkflowError(ReportErrorCode.APPROVAL_STALE, "报告内容与审定时不一致，请重新生成并审定")
    docx = render_docx(doc)
    previous = report.versions.select_related("run").first()
    changes = _figure_changes(previous.run.snapshot, run.snapshot) if previous else []
    with transaction.atomic(durable=True):
        version = ReportVersion.objects.create(
            report=report, number=(previous.number + 1) if previous else 1, run=run, approval=approval,
            published_by=access.recorded_actor(acting_user), text=run.text, html=run.html, docx=docx,
            docx_sha256=hashlib.sha256(docx).hexdigest(), changes=changes, reason=report.revision_reason,
        )
        report.status = ReportStatus.PUBLISHED
        report.published_at = version.published_at
        report.revision_reason = ""
        report.save()
        audit_event_write(actor=acting_user, action=AuditAction.REPORT_PUBLISH, obj=report, org_unit=report.org_unit,
                          diff={"status": [ReportStatus.APPROVED.value, ReportStatus.PUBLISHED.value],
                                "version": [previous.number if previous else None, version.number],
                                "changes": [None, len(changes)]})
    return version


def report_revise(*, acting_user, report: AnnualReport, reason: str) -> AnnualReport:
    """Reopen an approved or published report (e.g. a correction after close changed a figure). What
    was published stays as it was; the reason goes with the next published version."""
    access.require(acting_user, Perm.REPORT_MANAGE, report.org_unit, action="修订年度报告")
    reason = reason.strip()
    if not reason:
        raise ReportWorkflowError(ReportErrorCode.REASON_REQUIRED, "修订已公开的报告须写明理由")
    if report.status not in FROZEN:
        raise ReportWorkflowError(ReportErrorCode.NOT_ALLOWED, "只有已审定或已公开的报告需要修订")
    with transaction.atomic(durable=True):
        before = report.status
        report.status = ReportStatus.DRAFTING
        report.revision_reason = reason[:2000]
        report.save()
        audit_event_write(actor=acting_user, action=AuditAction.REPORT_REVISE, obj=report, org_unit=report.org_unit,
                          diff={"status": [before, ReportStatus.DRAFTING.value],
                                "reason": [None, report.revision_reason]})
    return report


# ------------------------------------------------------------------------------------ writing together

MAX_SECTION_TEXT = 30_000

# The audit action of each section event kind.
SECTION_AUDIT_ACTIONS = {
    SectionEventKind.ASSIGNED: AuditAction.REPORT_SECTION_ASSIGNED, SectionEventKind.SAVED: AuditAction.REPORT_SECTION_SAVED,
    SectionEventKind.UPLOADED: AuditAction.REPORT_SECTION_UPLOADED,
    SectionEventKind.SUBMITTED: AuditAction.REPORT_SECTION_SUBMITTED,
    SectionEventKind.RETURNED: AuditAction.REPORT_SECTION_RETURNED,
    SectionEventKind.ACCEPTED: AuditAction.REPORT_SECTION_ACCEPTED, SectionEventKind.EDITED: AuditAction.REPORT_SECTION_EDITED,
    SectionEventKind.COMMENTED: AuditAction.REPORT_SECTION_COMMENTED,
    SectionEventKind.WITHDRAWN: AuditAction.REPORT_SECTION_WITHDRAWN,
}


def _require_open(report: AnnualReport) -> None:
    if report.status not in WRITABLE_REPORT:
        raise SectionError(ReportErrorCode.REPORT_CLOSED, f"报告已{report.get_status_display()}，不能再修改分工和内容")


def _is_office(user, assignment: SectionAssignment) -> bool:
    return access.may(user, Perm.REPORT_MANAGE, assignment.report.org_unit)


def _record(assignment: SectionAssignment, *, acting_user, kind: SectionEventKind, diff: dict,
            comment: str = "") -> None:
    """The assignment's timeline event and its audit row, inside the caller's transaction."""
    SectionEvent.objects.create(assignment=assignment, kind=kind, comment=history_masked(comment),
                                actor=access.recorded_actor(acting_user))
    audit_event_write(actor=acting_user, action=SECTION_AUDIT_ACTIONS[kind], obj=assignment,
                      org_unit=assignment.org_unit, diff=diff)


def section_assign(*, acting_user, report: AnnualReport, section: str, org_unit: OrgUnit,
                   deadline=None) -> SectionAssignment:
    """Ask a department or town (or the office itself) to write one section, by a deadline
    (default 3月1日 of the following year, a month before the report must be public)."""
    access.require(acting_user, Perm.REPORT_MANAGE, report.org_unit, action="分配报告章节")
    _require_open(report)
    try:
        definition = report_outline()
    except ReportOutlineUnavailable as exc:
        raise ReportWorkflowError(ReportErrorCode.NO_DEFINITION, str(exc)) from exc
    section_def = definition.section(section)
    if section_def is None:
        raise SectionError(ReportErrorCode.UNKNOWN_SECTION, f"报告没有章节“{section}”")
    if not OrgUnitClosure.objects.filter(ancestor=report.org_unit, descendant=org_unit).exists():
        raise SectionError(ReportErrorCode.OUTSIDE_REPORT, f"“{org_unit.name}”不属于{report.org_unit.name}")
    taken = report.assignments.filter(section=section, org_unit=org_unit).exclude(status=SectionStatus.WITHDRAWN)
    if taken.exists():
        raise SectionError(ReportErrorCode.DUPLICATE, f"“{org_unit.name}”已承担“{section_def.label}”")
    deadline = deadline or dt.date(report.year + 1, 3, 1)
    with transaction.atomic():
        assignment = SectionAssignment.objects.create(report=report, section=section, org_unit=org_unit,
                                                      deadline=deadline)
        _record(assignment, acting_user=acting_user, kind=SectionEventKind.ASSIGNED,
                diff={"section": [None, section], "org_unit": [None, org_unit.pk], "deadline": [None, deadline]})
    return assignment


def section_save(*, acting_user, assignment: SectionAssignment, text: str,
                 kind: SectionEventKind = SectionEventKind.SAVED, version: int | None = None) -> SectionAssignment:
    """The unit saves its draft (while assigned or returned); the office may edit any time the report is
    open (recorded as an office edit, with the old and new text in the audit row).

    `version` is the version the text was read at: if the section was saved since, SectionConflict (409)
    and nothing is written. Without it (an upload, an API client that sends none) the save wins, but the
    row is still locked so the audit's "before" is the text it really replaced."""
    _require_open(assignment.report)
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").split("\n")).strip()
    if len(text) > MAX_SECTION_TEXT:
        raise SectionError(ReportErrorCode.TEXT_TOO_LONG, f"内容超过{MAX_SECTION_TEXT}字，请精简", field="text")
    try:  # the one path every section text takes (typed, API, upload): a .docx cannot hold these
        control_characters_refuse(text, label="章节内容")
    except ControlCharacterError as exc:
        raise SectionError(ReportErrorCode.CONTROL_CHARACTER, exc.message, field="text") from exc
    office = _is_office(acting_user, assignment)
    writer = access.may(acting_user, Perm.SECTION_WRITE, assignment.org_unit)
    if not section_editable(assignment, office=office, writer=writer):
        if not (office or writer):
            access.require(acting_user, Perm.SECTION_WRITE, assignment.org_unit, action="填写报告章节")
        raise SectionError(ReportErrorCode.NOT_ALLOWED,
                           f"“{assignment.get_status_display()}”的章节只能由依法治区办修改")
    if assignment.status not in WRITING:
        kind = SectionEventKind.EDITED  # the office changing a text the unit has handed in
    with transaction.atomic():
        current = SectionAssignment.objects.select_for_update().only("text", "version").get(pk=assignment.pk)
        if version is not None and version != current.version:
            raise SectionConflict(current_text=current.text, current_version=current.version)
        before = current.text
        assignment.text = text
        assignment.version = current.version + 1
        assignment.save(update_fields=["text", "version"])
        _record(assignment, acting_user=acting_user, kind=kind, diff={"text": [before, text]})
    return assignment


def section_upload(*, acting_user, assignment: SectionAssignment, name: str, data: bytes) -> SectionAssignment:
    """Replace the text by an uploaded .docx or .txt (a hostile or broken file changes nothing)."""
    try:
        text = upload_text(name=name, data=data)
    except UploadRejected as exc:
        raise SectionError(exc.code, exc.message, field=exc.field) from exc
    return section_save(acting_user=acting_user, assignment=assignment, text=text, kind=SectionEventKind.UPLOADED)


def _transition(assignment: SectionAssignment, *, acting_user, allowed: set, target: SectionStatus,
                kind: SectionEventKind, comment: str = "", **fields) -> SectionAssignment:
    _require_open(assignment.report)
    if assignment.status not in allowed:
        raise SectionError(ReportErrorCode.NOT_ALLOWED,
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
    access.require(acting_user, Perm.SECTION_WRITE, assignment.org_unit, action="报送报告章节")
    if not assignment.text.strip():
        raise SectionError(ReportErrorCode.EMPTY_TEXT, "内容为空，不能报送", field="text")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.SUBMITTED,
                       allowed=WRITING, target=SectionStatus.SUBMITTED,
                       submitted_at=timezone.now())


def section_accept(*, acting_user, assignment: SectionAssignment, comment: str = "") -> SectionAssignment:
    access.require(acting_user, Perm.REPORT_MANAGE, assignment.report.org_unit, action="采用报告章节")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.ACCEPTED, comment=comment.strip(),
                       allowed={SectionStatus.SUBMITTED}, target=SectionStatus.ACCEPTED)


def section_return(*, acting_user, assignment: SectionAssignment, comment: str) -> SectionAssignment:
    access.require(acting_user, Perm.REPORT_MANAGE, assignment.report.org_unit, action="退回报告章节")
    if not comment.strip():
        raise SectionError(ReportErrorCode.COMMENT_REQUIRED, "退回时请写明修改意见", field="comment")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.RETURNED, comment=comment.strip(),
                       allowed={SectionStatus.SUBMITTED, SectionStatus.ACCEPTED}, target=SectionStatus.RETURNED)


def section_withdraw(*, acting_user, assignment: SectionAssignment, comment: str = "") -> SectionAssignment:
    access.require(acting_user, Perm.REPORT_MANAGE, assignment.report.org_unit, action="撤回报告分工")
    return _transition(assignment, acting_user=acting_user, kind=SectionEventKind.WITHDRAWN, comment=comment.strip(),
                       allowed={SectionStatus.ASSIGNED, SectionStatus.SUBMITTED, SectionStatus.RETURNED},
                       target=SectionStatus.WITHDRAWN)


def section_comment(*, acting_user, assignment: SectionAssignment, comment: str) -> SectionEvent:
    """A comment on the timeline, by the office or the unit writing the section."""
    if not (_is_office(acting_user, assignment)
            or access.may(acting_user, Perm.SECTION_WRITE, assignment.org_unit)):
        access.require(acting_user, Perm.SECTION_WRITE, assignment.org_unit, action="发表意见")
    if not comment.strip():
        raise SectionError(ReportErrorCode.COMMENT_REQUIRED, "意见不能为空", field="comment")
    with transaction.atomic():
        _record(assignment, acting_user=acting_user, kind=SectionEventKind.COMMENTED, comment=comment.strip(),
                diff={"comment": [None, comment.strip()]})
    event = assignment.events.last()
    assert event is not None  # the comment's event was just written
    return event


# The steps a page or the API may ask for by name (upload, which takes a file, is called directly).
SECTION_STEPS = ("save", "submit", "accept", "return", "withdraw", "comment")


def section_step(*, acting_user, assignment: SectionAssignment, step: str, text: str = "", comment: str = "",
                 version: int | None = None):
    """Dispatch one named step to its service (web form and REST API alike)."""
    if step == "save":
        return section_save(acting_user=acting_user, assignment=assignment, text=text, version=version)
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
