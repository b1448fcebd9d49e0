"""Indicator pages: a unit's figures for a period with 同比 and rule checks, rankings, monthly trends.

Thin: every number comes from the indicator engine (rollups and data values), access from core.access.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.errors import FazhiError
from fazhi.core.models import OrgUnit
from fazhi.core.params import param_choice, param_int
from fazhi.core.periods import PeriodError, period_parse
from fazhi.indicators.descriptions import indicator_description
from fazhi.indicators.drilldown import indicator_records, records_by_ids
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.registry import UnknownIndicator, indicator
from fazhi.indicators.rules import RuleOutcome
from fazhi.indicators.selectors import (
    indicator_default_period,
    indicator_page_figures,
    indicator_ranking,
    indicator_table,
    indicator_table_filters_parse,
    indicator_trend,
    indicator_unit_period,
    indicator_units,
    line_names,
    ranking_families,
    snapshot_latest,
)
from fazhi.indicators.services import snapshot_freeze
from fazhi.registers.registry import register_definition

from .querystrings import query_changed


def _unit_and_period(request):
    """The unit and period of an indicator page (indicators.selectors.indicator_unit_period); a freeze form
    posts them, and a mistyped period there falls back to the default with a message."""
    if request.method != "POST":
        unit, period = indicator_unit_period(request.user, request.GET)
        return unit, period, indicator_units(request.user)
    unit, default = indicator_unit_period(request.user, {"unit": request.POST.get("unit", "")})
    try:
        period = period_parse(request.POST["period"]) if request.POST.get("period") else default
    except PeriodError as exc:
        messages.error(request, str(exc))
        period = default
    return unit, period, indicator_units(request.user)


def default_period(unit: OrgUnit):
    return indicator_default_period(unit)


@perm_required(Perm.UNIT_READ)
def indicator_overview(request):
    unit, period, units = _unit_and_period(request)
    filters = indicator_table_filters_parse(request.GET)
    values, rule_results = indicator_page_figures(unit=unit, period=period)  # one engine pass for both
    rows = indicator_table(unit=unit, period=period, filters=filters, values=values)
    groups: dict[str, list] = {}
    for row in rows:  # by line when sorted by line, else one table in the order asked
        groups.setdefault(row.line if filters.sort == "line" else "", []).append(row)
    rules = [r for r in rule_results if r.outcome != RuleOutcome.PASSED]
    snapshot = snapshot_latest(request.user, org_unit=unit, period=period)
    return render(request, "web/indicators.html", {
        "unit": unit, "period": period, "units": units, "groups": list(groups.items()),
        "rules": rules, "snapshot": snapshot, "filters": filters,
        "lines": sorted(line_names().items(), key=lambda item: item[1]),
        "sorts": [("line", _("By line")), ("name", _("By name")), ("-value", _("Largest value first")),
                  ("value", _("Smallest value first"))],
        "export_query": query_changed(request, unit=str(unit.pk), period=period.code),
    })


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


DRILLDOWN_PAGE_SIZES = ("25", "50", "100", "200")


@perm_required(Perm.UNIT_READ)
def indicator_records_view(request, code: str):
    """The records behind the figure, term by term, within the user's jurisdiction: each term's records a
    page at a time (`?term=` the term whose `page` is asked), each term exportable in full."""
    loaded = _indicator_or_404(code)
    unit, period, _ = _unit_and_period(request)
    terms = indicator_records(user=request.user, loaded=loaded, unit=unit, period=period)
    per_page = int(param_choice(request.GET, "per_page", DRILLDOWN_PAGE_SIZES, default="50"))
    paged = param_int(request.GET, "term", minimum=0, maximum=max(len(terms) - 1, 0))
    page_number = param_int(request.GET, "page", default=1, minimum=1) or 1
    value = indicators_compute(units=[unit], periods=[period], codes=[code]).get((unit.pk, period.code, code))
    for index, t in enumerate(terms):
        definition = register_definition(t.term.source)
        page = Paginator(t.ids, per_page).get_page(page_number if index == paged else 1)
        t.page = page  # type: ignore[attr-defined]  # a display attribute for the template
        t.records = records_by_ids(list(page.object_list))
        t.register_name = definition.name  # type: ignore[attr-defined]  # a display attribute for the template
        t.page_query = query_changed(request, term=str(index), page="")  # type: ignore[attr-defined]  # the same
        t.export_query = f"unit={unit.pk}&period={period.code}&term={index}"  # type: ignore[attr-defined]
        for record in t.records:
            record.status_name = definition.status_name(record.status)  # type: ignore[attr-defined]  # a display attribute for the template
    return render(request, "web/indicator_records.html", {
        "definition": loaded.definition, "unit": unit, "period": period, "terms": terms, "value": value,
        "page_sizes": DRILLDOWN_PAGE_SIZES, "per_page": per_page,
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
