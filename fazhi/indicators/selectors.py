"""Reads of frozen snapshots."""

from __future__ import annotations

from fazhi.core import access
from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period

from .models import IndicatorSnapshot, SnapshotValue


def snapshot_latest(user, *, org_unit: OrgUnit, period: Period) -> IndicatorSnapshot | None:
    access.require_read(user, org_unit)
    return (IndicatorSnapshot.objects.filter(org_unit=org_unit, period_code=period.code)
            .order_by("-created_at", "-pk").first())


def snapshot_values(snapshot: IndicatorSnapshot) -> dict[str, SnapshotValue]:
    return {v.code: v for v in SnapshotValue.objects.filter(snapshot=snapshot)}
