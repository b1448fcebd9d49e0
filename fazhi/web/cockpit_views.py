"""The 驾驶舱 (/cockpit/): key indicators with 同比, a trend over years, the units below compared, overdue
cases by register, each card and chart element linking to the indicator or records behind it.

Thin: figures from indicators.cockpit (the engine), overdue counts from registers.selectors; the charts are
drawn by static/web/cockpit.js (ECharts) from the data passed with json_script (the CSP forbids inline script).
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fazhi.core.access import Perm, perm_required
from fazhi.core.dataversion import version_cached
from fazhi.core.params import param_choice
from fazhi.indicators.cockpit import UnitFigure, children_compared, cockpit_figures, cockpit_trend
from fazhi.indicators.formulas import formula_terms
from fazhi.indicators.registry import indicator
from fazhi.registers.registry import register_definitions
from fazhi.registers.selectors import overdue_by_register
from fazhi.web.page_cache import page_cached

from .indicator_views import FAMILY_NAMES, _unit_and_period


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator_url(code: str, unit_id: int, period_code: str) -> str:
    return f"{reverse('web:indicator', args=[code])}?{urlencode({'unit': unit_id, 'period': period_code})}"


@perm_required(Perm.UNIT_READ)
@page_cached
def cockpit(request):
    unit, period, units = _unit_and_period(request)
    # The engine's figures are the same for every reader of the unit: cached per unit, period and data
    # version (core.dataversion: a write to rollups, data values or units computes them afresh).
    figures = version_cached(("cockpit_figures", unit.pk, period.code),
                             lambda: cockpit_figures(unit=unit, period=period))
    with_data = [f for f in figures if f.has_data]
    # The charts' default indicator: the first with data counted from records (a data-set figure is
    # often entered by the district alone, which would leave the comparison empty).
    below = [f.code for f in with_data if any(t.kind != "value" for node in indicator(f.code).nodes.values()
                                              for t, _ in formula_terms(node))]
    focus_codes = below or [f.code for f in with_data] or [f.code for f in figures]
    focus = param_choice(request.GET, "indicator", [f.code for f in figures]) or (
        focus_codes[0] if focus_codes else None)
    focus_figure = next((f for f in figures if f.code == focus), None)
    family: str | None = None
    families: list[str] = []
    compared: list[UnitFigure] = []
    if focus:
        kind = param_choice(request.GET, "kind", list(FAMILY_NAMES))
        family, families, compared = version_cached(
            ("cockpit_compared", unit.pk, period.code, focus, kind),
            lambda: children_compared(unit=unit, period=period, code=focus, family=kind))
    trend_rows = [] if focus_figure is None else version_cached(
        ("cockpit_trend", unit.pk, period.code, focus_figure.code),
        lambda: cockpit_trend(unit=unit, period=period, code=focus_figure.code))
    today = timezone.localdate()
    overdue = version_cached(("overdue_by_register", request.user.pk, request.user.is_superuser, unit.pk, today),
                             lambda: overdue_by_register(request.user, root=unit, today=today))
    overdue_rows = [(d, overdue[d.code]) for d in register_definitions() if overdue.get(d.code)]
    overdue_rows.sort(key=lambda row: -row[1])
    chart_data = {
        "trend": None if focus_figure is None else {
            "name": focus_figure.value.name if focus_figure.value else focus,
            "unit": focus_figure.value.unit if focus_figure.value else "",
            "labels": [p.label for p, _ in trend_rows],
            "values": [None if v is None else _number(v.value) for _, v in trend_rows],
            "links": [_indicator_url(focus_figure.code, unit.pk, p.code) for p, _ in trend_rows],
        },
        "compare": {
            "labels": [r.unit.name for r in compared],
            "values": [_number(r.value.value) for r in compared],
            "links": [_indicator_url(focus, r.unit.pk, period.code) for r in compared] if focus else [],
        },
        "overdue": {
            "labels": [d.name for d, _ in overdue_rows],
            "values": [n for _, n in overdue_rows],
            "links": [reverse("web:record_list", args=[d.code]) for d, _ in overdue_rows],
        },
    }
    return render(request, "web/cockpit.html", {
        "unit": unit, "period": period, "units": units, "figures": figures, "with_data": len(with_data),
        "focus": focus_figure, "trend_rows": trend_rows, "compared": compared,
        "family": family, "families": [(f, FAMILY_NAMES.get(f, f)) for f in families],
        "overdue_rows": overdue_rows, "chart_data": chart_data,
    })
