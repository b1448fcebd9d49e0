"""Indicator pages: a unit's figures for a period with 同比 and rule checks, rankings, monthly trends.

Thin: every number comes from the indicator engine (rollups and data values), access from core.access.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.dataversion import version_cached
from fazhi.core.errors import FazhiError
from fazhi.core.models import OrgUnit
from fazhi.core.params import param_choice, param_int, param_period
from fazhi.core.periods import PeriodError, period_parse
from fazhi.indicators.descriptions import indicator_description
from fazhi.indicators.drilldown import MAX_LISTED, indicator_records
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.registry import UnknownIndicator, indicator, indicator_registry
from fazhi.indicators.rules import RuleOutcome, rules_check
from fazhi.indicators.selectors import (
    indicator_ranking,
    indicator_trend,
    latest_year_with_data,
    ranking_families,
    snapshot_latest,
    yoy_with_data,
)
from fazhi.indicators.services import snapshot_freeze
from fazhi.registers.registry import register_definition


def _unit_and_period(request):
    units = access.units_in_jurisdiction(request.user).filter(kind__in=["district", "city", "province", "town",
                                                                         "street", "department"])
    unit_id = param_int(request.GET, "unit") or param_int(request.POST, "unit")
    unit: OrgUnit | None
    if unit_id:
        unit = access.unit_get(request.user, unit_id)
        if not units.filter(pk=unit.pk).exists():  # a 司法所 or a village has no indicator page of its own
            raise access.UnitNotFound("没有可查看的单位")
    else:
        unit = units.order_by("depth", "pk").first()
    if unit is None:
        raise Http404("没有可查看的单位")
    asked = param_period(request.GET, "period")  # a malformed link is a 400 naming the parameter
    try:
        period = asked or (period_parse(request.POST["period"]) if request.POST.get("period")
                           else default_period(unit))
    except PeriodError as exc:
        messages.error(request, str(exc))
        period = default_period(unit)
    return unit, period, units.order_by("depth", "name")


def default_period(unit: OrgUnit):
    """The latest year with data for the unit (last year when there is none): never an empty year."""
    today = timezone.localdate()
    year = version_cached(("latest_year_with_data", unit.pk, today),
                          lambda: latest_year_with_data(unit=unit, today=today))
    return period_parse(str(year or today.year - 1))


@perm_required(Perm.UNIT_READ)
def indicator_overview(request):
    unit, period, units = _unit_and_period(request)
    previous = period.shifted_years(-1)
    values = indicators_compute(units=[unit], periods=[period, previous])
    reg = indicator_registry()
    groups: dict[str, list] = {}
    names = _line_names()
    for code, loaded in reg.indicators.items():
        now = values.get((unit.pk, period.code, code))
        if now is None:
            continue
        yoy = yoy_with_data(code, now, values.get((unit.pk, previous.code, code)))
        line = loaded.path.parent.name
        groups.setdefault(names.get(line, line), []).append({"value": now, "yoy": yoy})
    rules = [r for r in rules_check(units=[unit], period=period) if r.outcome != RuleOutcome.PASSED]
    snapshot = snapshot_latest(request.user, org_unit=unit, period=period)
    return render(request, "web/indicators.html", {
        "unit": unit, "period": period, "units": units, "groups": sorted(groups.items()),
        "rules": rules, "snapshot": snapshot,
    })


def _line_names() -> dict[str, str]:
    """Chinese name of each line folder, from its register (or data set) definitions."""
    from fazhi.datasets.registry import registry as dataset_registry
    from fazhi.registers.registry import registry as register_registry

    names: dict[str, str] = {}
    for loaded in [*dataset_registry().datasets.values(), *register_registry().registers.values()]:
        names.setdefault(loaded.path.parent.name, loaded.definition.name)
    return names


def _bars(rows, key):
    top = max((abs(key(r)) for r in rows if key(r) is not None), default=Decimal(0)) or Decimal(1)
    return [(r, None if key(r) is None else int(abs(key(r)) * 100 / top)) for r in rows]


def _indicator_or_404(code: str):
    try:
        return indicator(code)
    except UnknownIndicator:
        raise Http404(code) from None


@perm_required(Perm.UNIT_READ)
def indicator_detail(request, code: str):
    loaded = _indicator_or_404(code)
    definition = loaded.definition
    unit, period, units = _unit_and_period(request)
    value = indicators_compute(units=[unit], periods=[period], codes=[code]).get((unit.pk, period.code, code))
    trend = indicator_trend(unit=unit, year=period.start.year, code=code) if "month" in definition.period_types \
        else []
    ranking, families, family = [], [], None
    if definition.kind != "rank":  # a ranking of the units below (a rank of ranks would mean nothing)
        families = ranking_families(parent=unit, code=code)
        family = param_choice(request.GET, "kind", families) or (families[0] if families else None)
        ranking = indicator_ranking(parent=unit, period=period, code=code, family=family,
                                    per_population=param_choice(request.GET, "per", ["100k"]) == "100k")
        ranking = [r for r in ranking if access.may(request.user, Perm.UNIT_READ, r.unit)]
    return render(request, "web/indicator_detail.html", {
        "definition": definition, "unit": unit, "period": period, "units": units, "value": value,
        "trend": _bars([t for t in trend if t is not None], lambda v: v.value),
        "ranking": _bars(ranking, lambda r: r.value), "per": request.GET.get("per", ""),
        "families": [(f, FAMILY_NAMES.get(f, f)) for f in families], "family": family,
        "description": indicator_description(definition),
    })


# The kinds a ranking compares (comparisons.rank_family), as the page names them.
FAMILY_NAMES = {"town": "乡镇街道", "department": "部门", "office": "机构", "district": "区县", "city": "市",
                 "province": "省", "community": "社区村"}


@perm_required(Perm.UNIT_READ)
def indicator_records_view(request, code: str):
    """The records behind the figure, term by term, within the user's jurisdiction."""
    loaded = _indicator_or_404(code)
    unit, period, _ = _unit_and_period(request)
    terms = indicator_records(user=request.user, loaded=loaded, unit=unit, period=period)
    value = indicators_compute(units=[unit], periods=[period], codes=[code]).get((unit.pk, period.code, code))
    for t in terms:
        definition = register_definition(t.term.source)
        t.register_name = definition.name  # type: ignore[attr-defined]  # a display attribute for the template
        for record in t.records:
            record.status_name = definition.status_name(record.status)  # type: ignore[attr-defined]  # a display attribute for the template
    return render(request, "web/indicator_records.html", {
        "definition": loaded.definition, "unit": unit, "period": period, "terms": terms, "value": value,
        "max_listed": MAX_LISTED,
    })


@require_POST
@perm_required(Perm.SNAPSHOT_FREEZE)
def snapshot_freeze_view(request):
    unit, period, _ = _unit_and_period(request)
    try:
        snapshot_freeze(acting_user=request.user, org_unit=unit, period=period)
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已冻结{unit.name}{period.label}指标快照")
    return redirect(f"{reverse('web:indicators')}?unit={unit.pk}&period={period.code}")
