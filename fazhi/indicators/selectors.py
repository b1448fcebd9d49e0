"""Reads: frozen snapshots, and the comparisons the pages show (同比, rankings, monthly trends) computed
by the engine and compared by comparisons.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from fazhi.core import access
from fazhi.core.dataversion import version_cached
from fazhi.core.models import OrgUnit
from fazhi.core.params import param_choice, param_int, param_period, param_text
from fazhi.core.periods import Period, PeriodType, period_parse
from fazhi.datasets.selectors import datavalue_latest_start
from fazhi.registers.rollup_reads import rollup_latest_month

from .comparisons import RankRow, YearOnYear, rank_family, rank_rows, yoy_from_values
from .engine import IndicatorValue, indicator_evaluator, indicator_requests, indicators_compute
from .models import IndicatorSnapshot, SnapshotValue
from .registry import indicator
from .rules import RuleResult, rule_needs, rules_check


def snapshot_latest(user: access.ActingUser, *, org_unit: OrgUnit, period: Period) -> IndicatorSnapshot | None:
    access.require_read(user, org_unit)
    return (IndicatorSnapshot.objects.filter(org_unit=org_unit, period_code=period.code)
            .order_by("-created_at", "-pk").first())


def snapshot_values(snapshot: IndicatorSnapshot) -> dict[str, SnapshotValue]:
    return {v.code: v for v in SnapshotValue.objects.filter(snapshot=snapshot)}


def _with_data(value: IndicatorValue | None) -> IndicatorValue | None:
    """The value, or None when nothing lies behind it (IndicatorValue.has_data): compared as missing."""
    return value if value is not None and value.has_data else None


def indicator_yoy(*, unit: OrgUnit, period: Period, code: str, decimals: int = 1) -> YearOnYear:
    """同比 of one indicator for one unit (comparisons.year_on_year)."""
    previous = period.shifted_years(-1)
    values = indicators_compute(units=[unit], periods=[period, previous], codes=[code])
    return yoy_from_values(code, _with_data(values.get((unit.pk, period.code, code))),
                           _with_data(values.get((unit.pk, previous.code, code))), decimals=decimals)


def yoy_with_data(code: str, now: IndicatorValue | None, before: IndicatorValue | None) -> YearOnYear:
    """同比 only when both years have data (a year without records is 暂无数据, never −100%)."""
    return yoy_from_values(code, _with_data(now), _with_data(before))


def indicator_page_figures(*, unit: OrgUnit, period: Period
                       ) -> tuple[dict[tuple[int, str, str], IndicatorValue], list[RuleResult]]:
    """The indicators page's figures: every indicator for the period and the year before (同比) and every
    rule for the period, from one engine pass — one evaluator reads the rollups once for the values and the
    rules, and ranks them in its one second pass (the page read the rollups three times before)."""
    periods = [period, period.shifted_years(-1)]
    requests = indicator_requests(periods)
    rule_requests, rule_terms = rule_needs(period)
    evaluator = indicator_evaluator(roots=[unit.pk], requests=[*requests, *sorted(
        rule_requests - set(requests), key=lambda pair: (pair[0], pair[1].code))], extra_terms=rule_terms)
    values = indicators_compute(units=[unit], periods=periods, evaluator=evaluator)
    return values, rules_check(units=[unit], period=period, evaluator=evaluator)


def latest_year_with_data(*, unit: OrgUnit, today: dt.date) -> int | None:
    """The latest year up to today in which a record of the unit's subtree was opened or closed, or a
    value was entered: the pages' default period, so nobody lands on an empty year. Two indexed MAX
    queries (an engine pass over every indicator and year took seconds on the demo)."""
    latest = [d for d in (rollup_latest_month(root=unit.pk, until=today),
                          datavalue_latest_start(root=unit, until=today)) if d is not None]
    return max(latest).year if latest else None


def ranking_families(*, parent: OrgUnit, code: str) -> list[str]:
    """The kinds of units below `parent` a ranking of `code` can compare (comparisons.rank_family), the
    most numerous first: the ranking page offers one ranking per kind, never towns mixed with departments."""
    loaded = indicator(code)
    kinds = OrgUnit.objects.filter(parent=parent, kind__in=loaded.definition.levels).values_list("kind", flat=True)
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[rank_family(kind)] = counts.get(rank_family(kind), 0) + 1
    return sorted(counts, key=lambda family: (-counts[family], family))


def indicator_ranking(
    *, parent: OrgUnit, period: Period, code: str, per_population: bool = False, min_count: int | None = None,
    descending: bool = True, family: str | None = None,
) -> list[RankRow]:
    """Rank the children of `parent` of one kind (`family`, by default the most numerous); units without
    data (nothing behind the figure), below the minimum count or without population are left out."""
    loaded = indicator(code)
    minimum = loaded.definition.min_count if min_count is None else min_count
    families = ranking_families(parent=parent, code=code)
    if family is None:
        family = families[0] if families else ""
    children = [c for c in OrgUnit.objects.filter(parent=parent, kind__in=loaded.definition.levels).order_by("pk")
                if rank_family(c.kind) == family]
    values = indicators_compute(units=children, periods=[period], codes=[code])
    return rank_rows(children, {c.pk: _with_data(values.get((c.pk, period.code, code))) for c in children},
                     min_count=minimum, per_population=per_population, descending=descending)


def indicator_trend(*, unit: OrgUnit, year: int, code: str) -> list[IndicatorValue | None]:
    """Monthly values of one year (one query for all twelve months)."""
    months = [period_parse(f"{year}-{m:02d}") for m in range(1, 13)]
    months = [m for m in months if m.type == PeriodType.MONTH]
    values = indicators_compute(units=[unit], periods=months, codes=[code])
    return [values.get((unit.pk, m.code, code)) for m in months]


# --- the indicator table (the indicators page and its export) ----------------------------------------

# The kinds of unit that have an indicator page of their own (a 司法所 or a village has none).
INDICATOR_UNIT_KINDS = ("district", "city", "province", "town", "street", "department")
INDICATOR_TABLE_SORTS = ("line", "name", "value", "-value")


def indicator_units(user: access.ActingUser) -> QuerySet[OrgUnit]:
    """The units whose indicator table the user may open, in the order the unit picker lists them."""
    return access.units_in_jurisdiction(user).filter(kind__in=INDICATOR_UNIT_KINDS).order_by("depth", "name")


def indicator_default_period(unit: OrgUnit, *, today: dt.date | None = None) -> Period:
    """The latest year with data for the unit (last year when there is none): never an empty year."""
    day = today or timezone.localdate()
    # Kept per data version: every indicator page and the 驾驶舱 ask it first (two MAX queries).
    year = version_cached(("latest_year_with_data", unit.pk, day), lambda: latest_year_with_data(unit=unit, today=day))
    return period_parse(str(year or day.year - 1))


def indicator_unit_period(user: access.ActingUser, query: Mapping[str, str]) -> tuple[OrgUnit, Period]:
    """`?unit=&period=` of an indicator page or export, validated: a unit outside the jurisdiction (or
    without an indicator page) is a 404 like a missing one, a malformed value a ParamError naming it."""
    units = indicator_units(user)
    unit_id = param_int(query, "unit", minimum=1)
    unit: OrgUnit | None
    if unit_id:
        unit = access.unit_get(user, unit_id)
        if not units.filter(pk=unit.pk).exists():
            raise access.UnitNotFound("没有可查看的单位")
    else:
        unit = units.order_by("depth", "pk").first()
    if unit is None:
        raise access.UnitNotFound("没有可查看的单位")
    return unit, param_period(query, "period") or indicator_default_period(unit)


def line_names() -> dict[str, str]:
    """Chinese name of each line folder, from its register (or data set) definitions."""
    from fazhi.datasets.registry import registry as dataset_registry
    from fazhi.registers.registry import registry as register_registry

    names: dict[str, str] = {}
    for loaded in [*dataset_registry().datasets.values(), *register_registry().registers.values()]:
        names.setdefault(loaded.path.parent.name, loaded.definition.name)
    return names


@dataclass(frozen=True)
class IndicatorTableFilters:
    line: str = ""  # one line's indicators (its folder code)
    text: str = ""  # the indicator's name contains it
    has_data: bool = False  # only figures with data
    sort: str = "line"


def indicator_table_filters_parse(query: Mapping[str, str]) -> IndicatorTableFilters:
    return IndicatorTableFilters(
        line=param_choice(query, "line", sorted(line_names())),
        text=param_text(query, "q", max_length=50),
        has_data=param_choice(query, "has_data", ["1"]) == "1",
        sort=param_choice(query, "sort", INDICATOR_TABLE_SORTS, default="line"),
    )


@dataclass(frozen=True)
class IndicatorTableRow:
    line: str  # the line's Chinese name
    value: IndicatorValue
    yoy: YearOnYear

    @property
    def shown(self) -> Decimal | None:
        """The value as the page shows it: None (暂无数据) when there is no data."""
        return self.value.value if self.value.has_data else None


def indicator_table(*, unit: OrgUnit, period: Period,
                    filters: IndicatorTableFilters = IndicatorTableFilters(),
                    values: dict[tuple[int, str, str], IndicatorValue] | None = None) -> list[IndicatorTableRow]:
    """Every indicator of the unit and period with its 同比 (the indicators page and its export), filtered
    and in the order asked; by line then definition order unless sorted by name or value. `values` of the
    period and the year before, when the caller computed them already (the page: indicator_page_figures)."""
    from .registry import indicator_registry

    previous = period.shifted_years(-1)
    if values is None:
        values = indicators_compute(units=[unit], periods=[period, previous])
    names = line_names()
    rows = []
    for code, loaded in indicator_registry().indicators.items():
        now = values.get((unit.pk, period.code, code))
        if now is None:
            continue
        folder = loaded.path.parent.name
        if filters.line and folder != filters.line:
            continue
        if filters.text and filters.text not in now.name:
            continue
        if filters.has_data and (now.value is None or not now.has_data):
            continue
        rows.append(IndicatorTableRow(names.get(folder, folder), now,
                                      yoy_with_data(code, now, values.get((unit.pk, previous.code, code)))))
    if filters.sort == "line":
        rows.sort(key=lambda r: r.line)  # stable: definition order within a line
    elif filters.sort == "name":
        rows.sort(key=lambda r: r.value.name)
    else:  # by value, rows without data last either way
        with_data = sorted((r for r in rows if r.shown is not None), key=lambda r: r.shown or 0,
                           reverse=filters.sort == "-value")
        rows = with_data + [r for r in rows if r.shown is None]
    return rows
