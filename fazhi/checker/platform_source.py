"""fazhi's own figures for the checker: the latest indicator snapshot of a unit and year, or, when
none was frozen yet, live values (and a note saying so)."""

from __future__ import annotations

import re

from django.db import DatabaseError

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.models import OrgUnit, OrgUnitKind
from fazhi.core.periods import period_parse
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.models import IndicatorSnapshot
from fazhi.indicators.selectors import snapshot_latest, snapshot_values

from .compare import IndicatorValue


class PlatformIndicatorSource:
    """An IndicatorSource over fazhi's indicators; used by `fazhi check --unit … --year …`."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def indicator_values(self, unit: str, year: int) -> list[IndicatorValue]:
        try:
            return self._values(unit, year)
        except DatabaseError:
            # A checker run must not fail because fazhi's database is not set up (e.g. a fresh install).
            self.notes.append("平台数据库不可用（是否已运行 fazhi migrate？），未与平台数据比对")
            return []

    def _values(self, unit: str, year: int) -> list[IndicatorValue]:
        units = list(OrgUnit.objects.filter(name=unit))
        if len(units) != 1:
            self.notes.append(f"平台中{'没有' if not units else '有多个'}名为“{unit}”的单位，未与平台数据比对")
            return []
        org_unit, period = units[0], period_parse(str(year))
        # The command line runs as the system (acting user None), which may read every unit.
        snapshot = snapshot_latest(None, org_unit=org_unit, period=period)
        if snapshot is not None:
            self.notes.append(f"与平台指标快照比对（{snapshot.created_at:%Y-%m-%d %H:%M} 冻结）")
            return [IndicatorValue(v.code, v.name, v.value, v.unit)
                    for v in snapshot_values(snapshot).values() if v.value is not None]
        self.notes.append(f"{org_unit.name}{period.label}尚未冻结指标快照，与平台实时数据比对")
        values = indicators_compute(units=[org_unit], periods=[period])
        return [IndicatorValue(v.code, v.name, v.value, v.unit) for v in values.values() if v.value is not None]


class SnapshotIndicatorSource:
    """An IndicatorSource over one frozen snapshot: the figures a report was drafted from (the report
    gate checks a report's text against its own snapshot, not against what the data say since)."""

    def __init__(self, snapshot) -> None:
        self.snapshot = snapshot
        self.notes: list[str] = []

    def indicator_values(self, unit: str, year: int) -> list[IndicatorValue]:
        self.notes.append(f"与报告所依据的指标快照比对（{self.snapshot.created_at:%Y-%m-%d %H:%M} 冻结）")
        return [IndicatorValue(v.code, v.name, v.value, v.unit)
                for v in snapshot_values(self.snapshot).values() if v.value is not None]


def guess_unit(text: str) -> str | None:
    """The reporting unit named in the title (the first lines), if fazhi knows it."""
    head = text[:300]
    try:
        names = list(OrgUnit.objects.filter(
            kind__in=[OrgUnitKind.DISTRICT, OrgUnitKind.CITY, OrgUnitKind.PROVINCE]
        ).values_list("name", flat=True))
    except DatabaseError:
        return None
    found = [name for name in names if re.search(re.escape(name), head)]
    return max(found, key=len) if found else None


def snapshots_to_compare(user) -> list[IndicatorSnapshot]:
    """The latest frozen snapshot of each unit and year the user may check reports of (Perm.REPORT_CHECK over
    the unit), newest year first: what the checker page offers to compare a report with."""
    units = access.units_where(user, Perm.REPORT_CHECK)
    latest: dict[tuple[int, str], IndicatorSnapshot] = {}
    for snapshot in (IndicatorSnapshot.objects.filter(org_unit__in=units, period_code__regex=r"^\d{4}$")
                     .select_related("org_unit").order_by("-created_at", "-pk")):
        latest.setdefault((snapshot.org_unit_id, snapshot.period_code), snapshot)
    return sorted(latest.values(), key=lambda s: (-int(s.period_code), s.org_unit.depth, s.org_unit.name))


def snapshot_to_compare(user, pk: int) -> IndicatorSnapshot | None:
    """One of `snapshots_to_compare(user)`, or None (not there, or not the user's to check: alike)."""
    return next((s for s in snapshots_to_compare(user) if s.pk == pk), None)


def snapshot_indicator_values(snapshot: IndicatorSnapshot) -> list[IndicatorValue]:
    return [IndicatorValue(v.code, v.name, v.value, v.unit)
            for v in snapshot_values(snapshot).values() if v.value is not None]
