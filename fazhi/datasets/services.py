"""Every write to a data set: one transaction, exactly one audit event, access through core.access.

Services take keyword-only arguments and an `acting_user` (None: a command-line batch job). The
optional `at` of the report steps is the moment the step happened, for imports and demo data that
replay history; pages never pass it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import ActingUser, Perm
from fazhi.core.audit import audit_diff, audit_event_write
from fazhi.core.auditactions import AuditAction
from fazhi.core.closing import ClosingError, closed_write_check, late_correction_write
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.periods import PERIOD_TYPE_NAMES, Period, PeriodError

from .cells import TOTAL, cell_key_clean, cell_label, cell_value_clean, disaggregation_parts, key_dimensions
from .definitions import DatasetDefinition, DisaggregationDef, ElementDef
from .errors import DatasetError, DatasetErrorCode
from .models import DataSetReport, DataValue, ReportStatus
from .registry import UnknownDataset, dataset_definition

# (element code, disaggregation) → value. The disaggregation is None or '' for the element total, a
# key such as "venue=school" or "audience=youth;venue=school" (parts in any order), or (code, option)
# pairs. A value is a number or numeric text; None or '' clears the cell.
CellValues = dict[tuple[str, Any], Any]


class CellErrors(DatasetError):
    """Several refused cells at once; `errors` holds one DatasetError per cell, in input order."""

    def __init__(self, errors: list[DatasetError]):
        first = errors[0]
        super().__init__(first.code, first.message, element=first.element, disaggregation=first.disaggregation)
        self.errors = errors


def definition_get(code: str) -> DatasetDefinition:
    try:
        return dataset_definition(code)
    except UnknownDataset as exc:
        raise DatasetError(DatasetErrorCode.UNKNOWN_DATASET, str(exc)) from None


def period_for(definition: DatasetDefinition, period_start: dt.date) -> Period:
    try:
        return Period.starting(definition.period_type, period_start)
    except PeriodError as exc:
        raise DatasetError(DatasetErrorCode.PERIOD_INVALID,
                           f"“{definition.name}”按{PERIOD_TYPE_NAMES[definition.period_type]}填报：{exc}") from None


def unit_reports(definition: DatasetDefinition, unit: OrgUnit, period: Period) -> bool:
    """Is the unit expected to report this data set for this period (right kind, open during it)?"""
    return (
        unit.kind in definition.reporting_kinds
        and (unit.opened_on is None or unit.opened_on <= period.end)
        and (unit.closed_on is None or unit.closed_on >= period.start)
    )


def _unit_check(definition: DatasetDefinition, unit: OrgUnit, period: Period) -> None:
    if unit.kind not in definition.reporting_kinds:
        raise DatasetError(DatasetErrorCode.UNIT_NOT_REPORTING, f"“{unit.name}”不填报“{definition.name}”")
    if not unit_reports(definition, unit, period):
        raise DatasetError(DatasetErrorCode.UNIT_CLOSED, f"“{unit.name}”在{period.label}不存在，不能填报")


def _report_for_update(definition: DatasetDefinition, unit: OrgUnit, period: Period, *,
                       create: bool) -> DataSetReport | None:
    lookup = {"dataset": definition.code, "org_unit": unit, "period_type": period.type, "period_start": period.start}
    report = DataSetReport.objects.select_for_update().filter(**lookup).first()
    if report is None and create:
        report = DataSetReport.objects.create(
            **lookup, period_end=period.end, definition_version=definition.version, status=ReportStatus.DRAFT
        )
    return report


def report_state(report: DataSetReport) -> dict[str, Any]:
    return {
        "status": report.status,
        "locked": report.locked,
        "submitted_at": report.submitted_at,
        "approved_at": report.approved_at,
        "returned_reason": report.returned_reason,
    }


def _editable_check(definition: DatasetDefinition, report: DataSetReport | None) -> None:
    if report is None:
        return
    if report.locked:
        raise DatasetError(DatasetErrorCode.REPORT_LOCKED, f"“{definition.name}”{_period_label(report)}已锁定，不能修改")
    if report.status != ReportStatus.DRAFT:
        raise DatasetError(
            DatasetErrorCode.REPORT_NOT_DRAFT,
            f"“{definition.name}”{_period_label(report)}{ReportStatus(report.status).label}，须退回后才能修改",
        )


def _period_label(report: DataSetReport) -> str:
    return Period.starting(report.period_type, report.period_start).label


def datavalues_clean(definition: DatasetDefinition, values: CellValues) -> dict[tuple[str, str], Decimal | None]:
    """{(element, canonical key): Decimal or None}; every bad cell is reported at once (CellErrors)."""
    cleaned: dict[tuple[str, str], Decimal | None] = {}
    errors: list[DatasetError] = []
    for (element_code, parts), raw in values.items():
        try:
            element, key = cell_key_clean(definition, element_code, parts)
            cleaned[(element.code, key)] = cell_value_clean(definition, element, key, raw)
        except DatasetError as exc:
            errors.append(exc)
    if errors:
        raise CellErrors(errors)
    return cleaned


def _element(definition: DatasetDefinition, code: str) -> ElementDef:
    element = definition.element(code)
    assert element is not None  # cells reaching here passed cell_key_clean, which refuses unknown elements
    return element


def _disaggregation(definition: DatasetDefinition, code: str) -> DisaggregationDef:
    disaggregation = definition.disaggregation(code)
    assert disaggregation is not None  # as above: a cleaned key names only defined disaggregations
    return disaggregation


def parts_problems(definition: DatasetDefinition, cells: dict[tuple[str, str], Decimal]) -> list[DatasetError]:
    """Breakdowns that add up to more than their total (parts may add up to less: a breakdown can be partial)."""
    totals: dict[str, Decimal] = {}
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    single: dict[tuple[str, str, str], Decimal] = {}  # (element, dimension, option) → value
    cross: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for (element, key), value in cells.items():
        dims = key_dimensions(key)
        if key == TOTAL:
            totals[element] = value
        else:
            sums[(element, dims)] += value
            parts = disaggregation_parts(key)
            if len(parts) == 1:
                (code, option), = parts.items()
                single[(element, code, option)] = value
            else:
                for code, option in parts.items():
                    cross[(element, code, option)] += value
    problems: list[DatasetError] = []
    for (element_code, dims), total_of_parts in sorted(sums.items()):
        element_def = _element(definition, element_code)
        if element_code in totals and total_of_parts > totals[element_code]:
            names = "×".join(_disaggregation(definition, c).name for c in dims.split(";"))
            problems.append(DatasetError(
                DatasetErrorCode.PARTS_EXCEED_TOTAL,
                f"“{element_def.name}”按{names}分列之和 {total_of_parts.normalize():f} 超过合计 "
                f"{totals[element_code].normalize():f}",
                element=element_code,
            ))
    for (element_code, code, option), total_of_cells in sorted(cross.items()):
        if (element_code, code, option) in single and total_of_cells > single[(element_code, code, option)]:
            label = cell_label(definition, _element(definition, element_code), f"{code}={option}")
            problems.append(DatasetError(
                DatasetErrorCode.PARTS_EXCEED_TOTAL,
                f"“{label}”的交叉分列之和 {total_of_cells.normalize():f} 超过该项 "
                f"{single[(element_code, code, option)].normalize():f}",
                element=element_code, disaggregation=f"{code}={option}",
            ))
    return problems


def datavalues_save(
    *, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, values: CellValues,
    correction_reason: str = "",
) -> DataSetReport | None:
    """Enter or change values of one unit's report, all or nothing.

    A value of None or '' clears the cell. Any bad cell refuses the whole save (CellErrors lists
    them all); so does a report that is submitted, approved or locked, and a period of a closed year
    unless the save is a correction after close (`correction_reason`, core/closing.py). Returns the
    report, or None when nothing changed and no report exists yet.
    """
    definition = definition_get(dataset)
    period = period_for(definition, period_start)
    access.require(acting_user, Perm.DATASET_ENTER, org_unit, definition=definition, action=f"填报{definition.name}")
    _unit_check(definition, org_unit, period)
    cleaned = datavalues_clean(definition, values)
    with transaction.atomic():
        report = _report_for_update(definition, org_unit, period, create=False)
        _editable_check(definition, report)
        existing = {
            (v.element, v.disaggregation): v
            for v in DataValue.objects.select_for_update().filter(
                dataset=definition.code, org_unit=org_unit, period_type=period.type, period_start=period.start
            )
        }
        before = {cell: row.value for cell, row in existing.items()}
        after = dict(before)
        for cell, value in cleaned.items():
            if value is None:
                after.pop(cell, None)
            else:
                after[cell] = value
        changed = sorted(cell for cell in set(before) | set(after) if before.get(cell) != after.get(cell))
        if not changed:
            return report
        problems = parts_problems(definition, after)
        if problems:
            raise CellErrors(problems)
        try:
            late_years = closed_write_check(acting_user=acting_user, unit=org_unit, years={period.start.year},
                                            scope="dataset", code=definition.code,
                                            correction_reason=correction_reason)
        except ClosingError as exc:
            raise DatasetError(DatasetErrorCode.PERIOD_CLOSED, exc.message) from exc
        if report is None:
            report = _report_for_update(definition, org_unit, period, create=True)
            assert report is not None  # create=True finds or creates it
        for cell in changed:
            element, key = cell
            if cell not in after:
                existing[cell].delete()
            elif cell in existing:
                row = existing[cell]
                row.value = after[cell]
                row.definition_version = definition.version
                row.save(update_fields=["value", "definition_version", "updated_at"])
            else:
                DataValue.objects.create(
                    dataset=definition.code, definition_version=definition.version, element=element,
                    org_unit=org_unit, period_type=period.type, period_start=period.start, period_end=period.end,
                    disaggregation=key, dimensions=key_dimensions(key), value=after[cell],
                )
        report.save(update_fields=["updated_at"])
        audit_event_write(
            actor=acting_user, action=AuditAction.DATAVALUES_SAVE, obj=report, org_unit=org_unit,
            diff={**{f"{e}[{k}]" if k else e: [before.get((e, k)), after.get((e, k))] for e, k in changed},
                  **({"correction_after_close": {"years": late_years, "reason": correction_reason.strip()}}
                     if late_years else {})},
        )
        if late_years:
            late_correction_write(acting_user=acting_user, years=late_years, unit=org_unit, scope="dataset",
                                  code=definition.code, obj=report,
                                  label=f"{definition.name} {org_unit.name} {period.label}",
                                  action="datavalues.save", reason=correction_reason)
    return report


def _step(*, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, perm: Perm, action_name: str):
    """Common preamble of the report steps: definition, period, access; returns (definition, period)."""
    definition = definition_get(dataset)
    period = period_for(definition, period_start)
    access.require(acting_user, perm, org_unit, definition=definition, action=f"{action_name}{definition.name}")
    return definition, period


def _report_required(definition: DatasetDefinition, report: DataSetReport | None, unit: OrgUnit,
                     period: Period) -> DataSetReport:
    if report is None:
        raise DatasetError(DatasetErrorCode.STATUS_NOT_ALLOWED,
                           f"“{unit.name}”尚未填报{period.label}“{definition.name}”")
    return report


def _status_check(definition: DatasetDefinition, report: DataSetReport, allowed: tuple[str, ...],
                  action_name: str) -> None:
    if report.locked:
        raise DatasetError(DatasetErrorCode.REPORT_LOCKED, f"“{definition.name}”{_period_label(report)}已锁定，不能{action_name}")
    if report.status not in allowed:
        raise DatasetError(
            DatasetErrorCode.STATUS_NOT_ALLOWED,
            f"当前状态为“{ReportStatus(report.status).label}”，不能{action_name}",
        )


def _audit(acting_user, action: AuditAction, report: DataSetReport, before: dict[str, Any], **extra) -> None:
    audit_event_write(actor=acting_user, action=action, obj=report, org_unit=report.org_unit,
                      diff={**audit_diff(before, report_state(report)), **extra})


def dataset_report_submit(
    *, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, at: dt.datetime | None = None
) -> DataSetReport:
    """草稿 → 已报送. Every required element must have a value (0 is a value; blank is not)."""
    definition, period = _step(acting_user=acting_user, dataset=dataset, org_unit=org_unit,
                               period_start=period_start, perm=Perm.DATASET_ENTER,
                               action_name="报送")
    _unit_check(definition, org_unit, period)
    with transaction.atomic():
        # A data set without required elements may be submitted empty (a unit with nothing to report).
        report = _report_for_update(definition, org_unit, period, create=not definition.required_elements)
        report = _report_required(definition, report, org_unit, period)
        _status_check(definition, report, (ReportStatus.DRAFT,), "报送")
        filled = set(
            DataValue.objects.filter(
                dataset=definition.code, org_unit=org_unit, period_type=period.type, period_start=period.start
            ).values_list("element", flat=True)
        )
        missing = [e for e in definition.required_elements if e.code not in filled]
        if missing:
            raise DatasetError(DatasetErrorCode.REQUIRED_MISSING,
                               f"以下必填数据项尚未填写：{'、'.join(e.name for e in missing)}",
                               element=missing[0].code)
        before = report_state(report)
        at = at or timezone.now()
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = at
        report.submitted_by = access.recorded_actor(acting_user)
        report.first_submitted_at = report.first_submitted_at or at
        report.returned_reason = ""
        report.save()
        _audit(acting_user, AuditAction.DATASET_REPORT_SUBMIT, report, before)
    return report


def dataset_report_approve(
    *, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, at: dt.datetime | None = None
) -> DataSetReport:
    """已报送 → 已审核, by an approval role held at the unit or one of its ancestors."""
    definition, period = _step(acting_user=acting_user, dataset=dataset, org_unit=org_unit,
                               period_start=period_start, perm=Perm.DATASET_APPROVE,
                               action_name="审核")
    with transaction.atomic():
        report = _report_required(definition, _report_for_update(definition, org_unit, period, create=False),
                                  org_unit, period)
        _status_check(definition, report, (ReportStatus.SUBMITTED,), "审核")
        before = report_state(report)
        report.status = ReportStatus.APPROVED
        report.approved_at = at or timezone.now()
        report.approved_by = access.recorded_actor(acting_user)
        report.save()
        _audit(acting_user, AuditAction.DATASET_REPORT_APPROVE, report, before)
    return report


def dataset_report_return(
    *, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, reason: str,
    at: dt.datetime | None = None,
) -> DataSetReport:
    """已报送/已审核 → 草稿 with a written reason, so the unit can correct its values."""
    definition, period = _step(acting_user=acting_user, dataset=dataset, org_unit=org_unit,
                               period_start=period_start, perm=Perm.DATASET_APPROVE,
                               action_name="退回")
    reason = (reason or "").strip()
    if not reason:
        raise DatasetError(DatasetErrorCode.REASON_REQUIRED, "退回须填写理由")
    with transaction.atomic():
        report = _report_required(definition, _report_for_update(definition, org_unit, period, create=False),
                                  org_unit, period)
        _status_check(definition, report, (ReportStatus.SUBMITTED, ReportStatus.APPROVED), "退回")
        before = report_state(report)
        report.status = ReportStatus.DRAFT
        report.returned_at = at or timezone.now()
        report.returned_reason = reason
        report.approved_at = None
        report.approved_by = None
        report.save()
        _audit(acting_user, AuditAction.DATASET_REPORT_RETURN, report, before)
    return report


def _lock_set(*, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date, locked: bool) -> DataSetReport:
    definition = definition_get(dataset)
    period = period_for(definition, period_start)
    # Not a data set's choice: only roles granted dataset.lock (administrators) and batch jobs may.
    access.require(acting_user, Perm.DATASET_LOCK, org_unit, action=f"{'锁定' if locked else '解锁'}{definition.name}")
    with transaction.atomic():
        # Locking a unit that never reported still creates its report, so nothing can be entered late.
        report = _report_for_update(definition, org_unit, period, create=locked)
        report = _report_required(definition, report, org_unit, period)
        if report.locked == locked:
            return report
        before = report_state(report)
        report.locked = locked
        report.save()
        _audit(acting_user, AuditAction.DATASET_REPORT_LOCK if locked else AuditAction.DATASET_REPORT_UNLOCK, report, before)
    return report


def dataset_report_lock(*, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date) -> DataSetReport:
    """Freeze a report (year end): no values, submission or return until it is unlocked."""
    return _lock_set(acting_user=acting_user, dataset=dataset, org_unit=org_unit, period_start=period_start,
                     locked=True)


@transaction.atomic(durable=True)
def dataset_reports_lock_year(*, acting_user: ActingUser, org_unit: OrgUnit, year: int) -> list[DataSetReport]:
    """Year end: lock every unlocked data set report of `year` in the unit's subtree at once (the annual
    report's approval waits for them), one audit row per report. Returns the reports locked."""
    access.require(acting_user, Perm.DATASET_LOCK, org_unit, action=f"锁定{year}年全部数据集报表")
    subtree = OrgUnitClosure.objects.filter(ancestor=org_unit).values("descendant_id")
    reports = list(DataSetReport.objects.select_for_update()
                   .filter(org_unit_id__in=subtree, period_start__year=year, locked=False)
                   .select_related("org_unit").order_by("pk"))
    for report in reports:
        before = report_state(report)
        report.locked = True
        report.save()
        _audit(acting_user, AuditAction.DATASET_REPORT_LOCK, report, before)
    return reports


def dataset_report_unlock(*, acting_user: ActingUser, dataset: str, org_unit: OrgUnit, period_start: dt.date) -> DataSetReport:
    return _lock_set(acting_user=acting_user, dataset=dataset, org_unit=org_unit, period_start=period_start,
                     locked=False)
