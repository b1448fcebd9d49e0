"""Writes of the indicator engine: freezing snapshots (one transaction, one audit event)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from fazhi.core import access
from fazhi.core.access import ActingUser, Perm
from fazhi.core.audit import audit_event_write
from fazhi.core.auditactions import AuditAction
from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period

from .engine import indicators_compute
from .models import IndicatorSnapshot, SnapshotValue

_EXACT = Decimal("1e-10")


def snapshot_freeze(*, acting_user: ActingUser, org_unit: OrgUnit, period: Period, note: str = "") -> IndicatorSnapshot:
    """Freeze every indicator of a unit and period (e.g. 东洲区 2024 before the annual report)."""
    access.require(acting_user, Perm.SNAPSHOT_FREEZE, org_unit)
    values = indicators_compute(units=[org_unit], periods=[period])
    with transaction.atomic():
        snapshot = IndicatorSnapshot.objects.create(
            org_unit=org_unit, period_code=period.code, period_start=period.start, period_end=period.end,
            created_by=access.recorded_actor(acting_user), note=note,
        )
        SnapshotValue.objects.bulk_create([
            SnapshotValue(
                snapshot=snapshot, code=v.code, name=v.name, unit=v.unit, kind=v.kind, value=v.value,
                exact=None if v.exact is None else v.exact.quantize(_EXACT), numerator=v.numerator,
                denominator=v.denominator, version=v.version,
            )
            for v in values.values()
        ])
        audit_event_write(
            actor=acting_user, action=AuditAction.SNAPSHOT_FREEZE, obj=snapshot, org_unit=org_unit,
            diff={"period": [None, period.code], "indicators": [None, len(values)]},
        )
    return snapshot
