"""Reads: frozen snapshots, and the comparisons the pages show (同比, rankings, monthly trends) computed
by the engine and compared by comparisons.py."""

from __future__ import annotations

from fazhi.core import access
from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period, PeriodType, period_parse

from .comparisons import RankRow, YearOnYear, rank_rows, yoy_from_values
from .engine import IndicatorValue, indicators_compute
from .models import IndicatorSnapshot, SnapshotValue
from .registry import indicator


def snapshot_latest(user: access.ActingUser, *, org_unit: OrgUnit, period: Period) -> IndicatorSnapshot | None:
    access.require_read(user, org_unit)
    return (IndicatorSnapshot.objects.filter(org_unit=org_unit, period_code=period.code)
            .order_by("-created_at", "-pk").first())


def snapshot_values(snapshot: IndicatorSnapshot) -> dict[str, SnapshotValue]:
    return {v.code: v for v in SnapshotValue.objects.filter(snapshot=snapshot)}


def indicator_yoy(*, unit: OrgUnit, period: Period, code: str, decimals: int = 1) -> YearOnYear:
    """同比 of one indicator for one unit (comparisons.year_on_year)."""
    previous = period.shifted_years(-1)
    values = indicators_compute(units=[unit], periods=[period, previous], codes=[code])
    return yoy_from_values(code, values.get((unit.pk, period.code, code)),
                           values.get((unit.pk, previous.code, code)), decimals=decimals)


def indicator_ranking(
    *, parent: OrgUnit, period: Period, code: str, per_population: bool = False, min_count: int | None = None,
    descending: bool = True,
) -> list[RankRow]:
    """Rank the children of `parent`; units below the minimum count or without population are left out."""
    loaded = indicator(code)
    minimum = loaded.definition.min_count if min_count is None else min_count
    children = list(OrgUnit.objects.filter(parent=parent, kind__in=loaded.definition.levels).order_by("pk"))
    values = indicators_compute(units=children, periods=[period], codes=[code])
    return rank_rows(children, {c.pk: values.get((c.pk, period.code, code)) for c in children},
                     min_count=minimum, per_population=per_population, descending=descending)


def indicator_trend(*, unit: OrgUnit, year: int, code: str) -> list[IndicatorValue | None]:
    """Monthly values of one year (one query for all twelve months)."""
    months = [period_parse(f"{year}-{m:02d}") for m in range(1, 13)]
    months = [m for m in months if m.type == PeriodType.MONTH]
    values = indicators_compute(units=[unit], periods=months, codes=[code])
    return [values.get((unit.pk, m.code, code)) for m in months]
