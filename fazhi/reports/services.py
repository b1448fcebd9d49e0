"""Writes of the report workflow: generate a run, move the report along 起草 → 审核 → 审定 → 公开.

Before 审定 and 公开 the gate runs: the indicator validation rules of the unit and year, and the
report checker on the run's text. Error-level results block the step (DESIGN §2, §6).
"""

from __future__ import annotations

import hashlib
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from fazhi.core import access
from fazhi.core.audit import audit_event_write
from fazhi.core.models import OrgUnit
from fazhi.core.periods import period_parse
from fazhi.indicators.rules import RuleOutcome, rules_check
from fazhi.indicators.selectors import snapshot_latest, snapshot_values
from fazhi.indicators.services import snapshot_freeze

from .builder import report_build
from .definitions import report_definition_load
from .models import AnnualReport, ReportRun, ReportStatus
from .render import render_docx, render_html, render_text

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


def _gate(unit: OrgUnit, year: int, text: str) -> dict:
    from fazhi.checker.service import report_check

    period = period_parse(str(year))
    broken = [r.message for r in rules_check(units=[unit], period=period)
              if r.outcome == RuleOutcome.VIOLATED and r.importance == "error"]
    result = report_check(text=text, unit=unit.name, year=year, whole_report=True)
    errors = [f.message for f in result.findings if f.severity == "error"]
    return {"rules": broken, "checker": errors, "passed": not broken and not errors}


def report_generate(*, acting_user, org_unit: OrgUnit, year: int) -> ReportRun:
    """Draft (or redraft) the report from the latest snapshot, freezing one if none exists."""
    access.require_role(acting_user, org_unit, ["office_staff"], action="生成年度报告")
    definition, errors = report_definition_load()
    if definition is None:
        raise ReportWorkflowError(ReportErrorCode.NO_DEFINITION, "报告定义有误：" + "；".join(map(str, errors)))
    period = period_parse(str(year))
    snapshot = snapshot_latest(acting_user, org_unit=org_unit, period=period) or snapshot_freeze(
        acting_user=acting_user, org_unit=org_unit, period=period, note="生成报告时冻结")
    doc = report_build(definition=definition, unit=org_unit, period=period, values=snapshot_values(snapshot))
    text = render_text(doc)
    with transaction.atomic():
        report, _ = AnnualReport.objects.get_or_create(org_unit=org_unit, year=year)
        run = ReportRun.objects.create(
            report=report, snapshot=snapshot, definition_code=definition.code,
            definition_version=definition.version,
            created_by=acting_user if acting_user is not None and acting_user.is_authenticated else None,
            text=text, html=render_html(doc), text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            docx_sha256=hashlib.sha256(render_docx(doc)).hexdigest(), figures=len(doc.figures()),
            gate=_gate(org_unit, year, text),
        )
        audit_event_write(actor=acting_user, action="report.generate", obj=run, org_unit=org_unit,
                          diff={"snapshot": [None, snapshot.pk], "figures": [None, run.figures]})
    return run


def report_advance(*, acting_user, report: AnnualReport) -> AnnualReport:
    """One step forward; 审定 and 公开 need a run whose gate passed."""
    access.require_role(acting_user, report.org_unit, ["office_staff"], action="推进年度报告")
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
