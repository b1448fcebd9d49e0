"""Data set pages. Thin: reads through selectors, writes through services, access through core.access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.errors import FazhiError
from fazhi.core.params import param_int, param_period
from fazhi.core.periods import Period, PeriodError

from .cells import TOTAL, disaggregation_key
from .definitions import DatasetDefinition, ElementDef
from .errors import DatasetError, DatasetErrorCode
from .models import DataSetReport, ReportStatus
from .registry import UnknownDataset, dataset_definition, dataset_definitions
from .selectors import (
    Timeliness,
    completeness_filters_parse,
    completeness_rows,
    dataset_completeness,
    report_get,
    report_values,
)
from .services import (
    CellErrors,
    dataset_report_approve,
    dataset_report_lock,
    dataset_report_return,
    dataset_report_submit,
    dataset_report_unlock,
    datavalues_save,
)

INDEX_UNITS_SHOWN = 40  # per data set; the completeness page lists every unit


def _definition_or_404(code: str) -> DatasetDefinition:
    try:
        return dataset_definition(code)
    except UnknownDataset:
        raise Http404(code) from None


def _period_or_404(definition: DatasetDefinition, text: str) -> Period:
    try:
        period = Period.parse(text)
    except PeriodError:
        raise Http404(text) from None
    if period.type != definition.period_type:
        raise Http404(text)
    return period


def default_period(definition: DatasetDefinition) -> Period:
    """The last period that has ended: what units are reporting now."""
    return Period.containing(definition.period_type, timezone.localdate()).previous()


@perm_required(Perm.UNIT_READ)
def index(request):
    """The data sets the user reports or approves, with each unit's status for the chosen period."""
    user = request.user
    tops = access.jurisdiction_roots(user)
    asked = param_period(request.GET, "period")
    blocks = []
    for definition in dataset_definitions():
        period = default_period(definition)
        if asked is not None and asked.type == definition.period_type:
            period = asked
        units = list(
            access.units_in_jurisdiction(user).filter(kind__in=list(definition.reporting_kinds))
            .order_by("depth", "kind", "pk")[:INDEX_UNITS_SHOWN]
        )
        entering = set(access.units_where(user, Perm.DATASET_ENTER, definition=definition)
                       .filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True))
        entry_units = [u for u in units if u.pk in entering]
        approves = access.may(user, Perm.DATASET_APPROVE, None, definition=definition)
        if not entry_units and not approves and not units:
            continue
        reports = {
            r.org_unit_id: r
            for r in DataSetReport.objects.filter(
                dataset=definition.code, period_type=period.type, period_start=period.start,
                org_unit__in=[u.pk for u in units],
            )
        }
        rows = [
            {"unit": u, "report": reports.get(u.pk), "can_enter": u in entry_units,
             "status_name": ReportStatus(reports[u.pk].status).label if u.pk in reports else _("Not entered")}
            for u in units
        ]
        blocks.append({"definition": definition, "period": period, "rows": rows, "approves": approves,
                       "due_on": definition.due_on(period), "roots": tops})
    return render(request, "datasets/index.html", {"blocks": blocks, "asked": asked})


@dataclass
class Cell:
    name: str  # the form field name: "<element>|<key>"
    key: str
    label: str
    value: str = ""
    error: str = ""


@dataclass
class GridRow:
    element: ElementDef
    total: Cell
    groups: list[tuple[str, list[Cell]]] = field(default_factory=list)  # (disaggregation name, option cells)
    errors: list[str] = field(default_factory=list)  # errors about the element as a whole


def field_name(element: str, key: str) -> str:
    return f"{element}|{key}"


def _grid(definition: DatasetDefinition, shown: dict[tuple[str, str], str]) -> list[GridRow]:
    rows = []
    for element in definition.elements:
        total = Cell(field_name(element.code, TOTAL), TOTAL, _("Total"), shown.get((element.code, TOTAL), ""))
        row = GridRow(element, total)
        for code in element.disaggregations:
            d = definition.disaggregation(code)
            assert d is not None  # an element's disaggregations are defined ones (checked when loading)
            cells = []
            for option, label in d.options.items():
                key = disaggregation_key({code: option})
                cells.append(Cell(field_name(element.code, key), key, label, shown.get((element.code, key), "")))
            row.groups.append((d.name, cells))
        rows.append(row)
    return rows


def _grid_errors(rows: list[GridRow], errors: list[DatasetError]) -> list[str]:
    """Attach each error to its cell (or its element's row); returns errors that fit neither."""
    left = []
    by_element = {row.element.code: row for row in rows}
    for error in errors:
        row = by_element.get(error.element or "")
        if row is None:
            left.append(error.message)
            continue
        cells = [row.total, *[c for _, cells in row.groups for c in cells]]
        cell = next((c for c in cells if c.key == (error.disaggregation or TOTAL)), None)
        # A breakdown that exceeds its total is a fault of the row, not of the total cell.
        if cell is None or (error.code == DatasetErrorCode.PARTS_EXCEED_TOTAL and not error.disaggregation):
            row.errors.append(error.message)
        else:
            cell.error = error.message
    return left


def _fmt(value) -> str:
    return f"{value.normalize():f}"  # 12.0000 → "12", as it was typed


@perm_required(Perm.UNIT_READ)
def entry(request, dataset: str, unit: int, period: str):
    """One unit's report of one data set for one period: the grid, its status and the report steps."""
    definition = _definition_or_404(dataset)
    the_period = _period_or_404(definition, period)
    org_unit = access.unit_get(request.user, unit)
    if org_unit.kind not in definition.reporting_kinds:
        raise Http404
    report = report_get(request.user, dataset=definition.code, org_unit=org_unit, period=the_period)
    stored = report_values(request.user, dataset=definition.code, org_unit=org_unit, period=the_period)
    shown = {cell: _fmt(value) for cell, value in stored.items()}
    may_enter = access.may(request.user, Perm.DATASET_ENTER, org_unit, definition=definition)
    editable = may_enter and (report is None or (report.status == ReportStatus.DRAFT and not report.locked))
    errors: list[DatasetError] = []
    if request.method == "POST":
        if not may_enter:  # the unit is readable (unit_get), so refusing says nothing new
            raise access.AccessDenied(f"无权填报“{org_unit.name}”的{definition.name}")
        values = {}
        for name, raw in request.POST.items():
            element, sep, key = name.partition("|")
            if sep and definition.element(element) is not None:
                values[(element, key)] = raw.strip()
                shown[(element, key)] = raw.strip()  # redisplay what was typed, even when refused
        try:
            datavalues_save(acting_user=request.user, dataset=definition.code, org_unit=org_unit,
                            period_start=the_period.start, values=values)
        except CellErrors as exc:
            errors = exc.errors
        except DatasetError as exc:
            errors = [exc]
        else:
            messages.success(request, _("Values saved."))
            if request.POST.get("then") == "submit":
                # 保存并报送: the figures are saved even when the submission is refused (e.g. a rule fails).
                try:
                    dataset_report_submit(acting_user=request.user, dataset=definition.code, org_unit=org_unit,
                                          period_start=the_period.start)
                except FazhiError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Report submitted."))
            return redirect("datasets:entry", dataset=definition.code, unit=org_unit.pk, period=the_period.key)
    rows = _grid(definition, shown)
    general_errors = _grid_errors(rows, errors)
    status = report.status if report else ""
    locked = bool(report and report.locked)
    can_approve = access.may(request.user, Perm.DATASET_APPROVE, org_unit, definition=definition)
    may_lock = access.may(request.user, Perm.DATASET_LOCK, org_unit)
    steps = {
        "submit": may_enter and not locked and status in ("", ReportStatus.DRAFT),
        "approve": can_approve and not locked and status == ReportStatus.SUBMITTED,
        "return": can_approve and not locked and status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
        "lock": may_lock and not locked,
        "unlock": may_lock and locked,
    }
    return render(
        request,
        "datasets/entry.html",
        {
            "definition": definition, "period": the_period, "unit": org_unit, "report": report,
            "status_name": ReportStatus(status).label if status else _("Not entered"),
            "rows": rows, "editable": editable, "general_errors": general_errors, "steps": steps,
            "due_on": definition.due_on(the_period), "has_errors": bool(errors),
            "draft_key": f"dataset-{definition.code}-{org_unit.pk}-{the_period.key}",  # drafts.js
            "export_query": f"unit={org_unit.pk}&period={the_period.key}",
        },
        status=400 if errors else 200,
    )


STEPS: dict[str, tuple[Callable[..., Any], str]] = {
    "submit": (dataset_report_submit, gettext_noop("Report submitted.")),
    "approve": (dataset_report_approve, gettext_noop("Report approved.")),
    "return": (dataset_report_return, gettext_noop("Report returned to the unit.")),
    "lock": (dataset_report_lock, gettext_noop("Report locked.")),
    "unlock": (dataset_report_unlock, gettext_noop("Report unlocked.")),
}


@perm_required(Perm.UNIT_WRITE)  # each step asks its own: dataset.enter, dataset.approve or dataset.lock
@require_POST
def report_step(request, dataset: str, unit: int, period: str, step: str):
    definition = _definition_or_404(dataset)
    the_period = _period_or_404(definition, period)
    org_unit = access.unit_get(request.user, unit)
    if step not in STEPS:
        raise Http404(step)
    service, done = STEPS[step]
    kwargs = {"reason": request.POST.get("reason", "")} if step == "return" else {}
    try:
        service(acting_user=request.user, dataset=definition.code, org_unit=org_unit,
                period_start=the_period.start, **kwargs)
    except FazhiError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _(done))
    return redirect("datasets:entry", dataset=definition.code, unit=org_unit.pk, period=the_period.key)


@perm_required(Perm.UNIT_READ)
def completeness(request, dataset: str, period: str):
    """Each expected unit's status, on time or late, and how much of the required data it entered."""
    definition = _definition_or_404(dataset)
    the_period = _period_or_404(definition, period)
    tops = access.jurisdiction_roots(request.user)
    root_pk = param_int(request.GET, "unit")
    root = access.unit_get(request.user, root_pk) if root_pk else (tops[0] if tops else None)
    if root is None:
        raise Http404
    filters = completeness_filters_parse(request.GET)
    result = dataset_completeness(request.user, dataset=definition.code, period=the_period, root=root)
    return render(request, "datasets/completeness.html", {
        "definition": definition, "period": the_period, "result": result, "root": root, "roots": tops,
        "previous": the_period.previous(), "rows": completeness_rows(result, filters), "filters": filters,
        "timeliness_choices": Timeliness.choices,
        "status_choices": [*ReportStatus.choices, ("none", _("Not entered"))],
        "sorts": [("unit", _("By unit")), ("-filled", _("Most filled first")), ("filled", _("Least filled first")),
                  ("submitted_on", _("By submission date"))],
        "export_query": _export_query(request, unit=root.pk, period=the_period.key),
    })


def _export_query(request, **params: object) -> str:
    """The page's query with the unit and period its path names: what its export link carries."""
    query = request.GET.copy()
    for name, value in params.items():
        query[name] = str(value)
    return query.urlencode()
