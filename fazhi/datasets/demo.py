"""Helpers for the business lines' demo builders: enter one unit's report and replay its steps."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.models import OrgUnit

from .models import DataSetReport
from .services import dataset_report_approve, dataset_report_submit, datavalues_save


def demo_done(dataset: str) -> bool:
    """Demo builders are idempotent: a data set that already has reports is left alone."""
    return DataSetReport.objects.filter(dataset=dataset).exists()


def demo_report(
    *, dataset: str, unit: OrgUnit, period_start: dt.date, values: dict, entered_by, approver=None,
    submitted_on: dt.date | None = None, approved_on: dt.date | None = None,
) -> int:
    """Enter `values` as `entered_by`, then submit and approve on the given (historical) days; returns cells entered."""
    datavalues_save(acting_user=entered_by, dataset=dataset, org_unit=unit, period_start=period_start, values=values)
    if submitted_on:
        at = timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(10, 0)))
        dataset_report_submit(acting_user=entered_by, dataset=dataset, org_unit=unit, period_start=period_start, at=at)
    if approved_on:
        at = timezone.make_aware(dt.datetime.combine(approved_on, dt.time(15, 0)))
        dataset_report_approve(acting_user=approver, dataset=dataset, org_unit=unit, period_start=period_start, at=at)
    return len(values)
