"""The 驾驶舱's figures: key indicators of a unit and year with 同比, a trend over years and a comparison of
the units below. Three engine passes (the key indicators over two years, one of them over five, the units below for one year); every number is
the engine's, so the page shows exactly what the indicator pages and the report show.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period

from .comparisons import YearOnYear, rank_family
from .engine import IndicatorValue, indicators_compute
from .registry import indicator, indicator_registry
from .selectors import yoy_with_data

TREND_YEARS = 5


def key_indicator_codes() -> list[str]:
    """One key indicator per business line: the first number or rate its indicators.yaml defines."""
    codes: dict[str, str] = {}
    for code, loaded in indicator_registry().indicators.items():
        if loaded.definition.kind != "rank":
            codes.setdefault(loaded.path.parent.name, code)
    return list(codes.values())


@dataclass(frozen=True)
class KeyFigure:
    code: str
    value: IndicatorValue | None  # None when the indicator is not computed at the unit's level
    yoy: YearOnYear

    @property
    def has_data(self) -> bool:
        return self.value is not None and self.value.has_data and self.value.value is not None


def cockpit_figures(*, unit: OrgUnit, period: Period, codes: list[str] | None = None) -> list[KeyFigure]:
    """The key indicators of the unit in the period with their 同比 (one engine pass over two years)."""
    codes = codes or key_indicator_codes()
    previous = period.shifted_years(-1)
    values = indicators_compute(units=[unit], periods=[period, previous], codes=codes)
    figures = []
    for code in codes:
        if unit.kind not in indicator(code).definition.levels:
            continue
        now = values.get((unit.pk, period.code, code))
        figures.append(KeyFigure(code, now, yoy_with_data(code, now, values.get((unit.pk, previous.code, code)))))
    figures.sort(key=lambda f: not f.has_data)  # stable: line order kept within each group
    return figures


def cockpit_trend(*, unit: OrgUnit, period: Period, code: str) -> list[tuple[Period, IndicatorValue | None]]:
    """One indicator over the five years ending with `period`, oldest first (None: no data that year)."""
    periods = [period.shifted_years(-back) for back in range(TREND_YEARS - 1, -1, -1)]
    values = indicators_compute(units=[unit], periods=periods, codes=[code])
    return [(p, v if (v := values.get((unit.pk, p.code, code))) is not None and v.has_data else None)
            for p in periods]


@dataclass(frozen=True)
class UnitFigure:
    unit: OrgUnit
    value: IndicatorValue


def children_compared(*, unit: OrgUnit, period: Period, code: str, family: str | None = None
                      ) -> tuple[str | None, list[str], list[UnitFigure]]:
    """The units below `unit` of one kind (comparisons.rank_family; by default the kind with the most
    units having data) with their value of `code`, largest first; units without data are left out.
    Returns (kind shown, kinds with data, rows)."""
    definition = indicator(code).definition
    children = list(OrgUnit.objects.filter(parent=unit, kind__in=definition.levels).order_by("pk"))
    values = indicators_compute(units=children, periods=[period], codes=[code])
    rows = [UnitFigure(c, v) for c in children
            if (v := values.get((c.pk, period.code, code))) is not None and v.has_data and v.value is not None]
    counts: dict[str, int] = {}
    for row in rows:
        counts[rank_family(row.unit.kind)] = counts.get(rank_family(row.unit.kind), 0) + 1
    families = sorted(counts, key=lambda f: (-counts[f], f))
    if family not in counts:
        family = families[0] if families else None
    shown = sorted((r for r in rows if rank_family(r.unit.kind) == family),
                   key=lambda r: (-(r.value.value or 0), r.unit.pk))
    return family, families, shown
