"""Reads of data values and reports: scoped to the reader's jurisdiction by core.access, except
`datavalue_totals`, the indicator engine's read, which the engine scopes by the roots it passes."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Max, Q, QuerySet, TextChoices
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.models import OrgUnit, OrgUnitClosure
from fazhi.core.periods import Period

from .cells import TOTAL, VALUE_PLACES, disaggregation_key, disaggregation_parts, key_dimensions
from .definitions import DatasetDefinition
from .models import DataSetReport, DataValue, ReportStatus
from .registry import UnknownDataset, dataset_definition


def datavalues_visible(user, *, dataset: str | None = None, period: Period | None = None,
                       org_unit: OrgUnit | None = None) -> QuerySet[DataValue]:
    queryset = DataValue.objects.select_related("org_unit")
    if dataset:
        queryset = queryset.filter(dataset=dataset)
    if period:
        queryset = queryset.filter(period_type=period.type, period_start=period.start)
    if org_unit:
        queryset = queryset.filter(org_unit=org_unit)
    return access.scope_queryset(user, queryset)


def reports_visible(user, *, dataset: str | None = None, period: Period | None = None) -> QuerySet[DataSetReport]:
    queryset = DataSetReport.objects.select_related("org_unit", "submitted_by", "approved_by")
    if dataset:
        queryset = queryset.filter(dataset=dataset)
    if period:
        queryset = queryset.filter(period_type=period.type, period_start=period.start)
    return access.scope_queryset(user, queryset)


def reports_unlocked(*, org_unit: OrgUnit, year: int) -> QuerySet[DataSetReport]:
    """The unit's and its sub-units' data set reports of a year that are not locked yet (the report's
    approval waits for them). A read for a service that has checked the user's permission itself."""
    subtree = OrgUnitClosure.objects.filter(ancestor=org_unit).values("descendant_id")
    return (DataSetReport.objects.filter(org_unit_id__in=subtree, period_start__year=year, locked=False)
            .select_related("org_unit").order_by("dataset", "org_unit__name"))


def report_get(user, *, dataset: str, org_unit: OrgUnit, period: Period) -> DataSetReport | None:
    """The unit's report, or None when nothing was entered yet; AccessDenied outside the jurisdiction."""
    access.require_read(user, org_unit)
    return reports_visible(user, dataset=dataset, period=period).filter(org_unit=org_unit).first()


def report_values(user, *, dataset: str, org_unit: OrgUnit, period: Period) -> dict[tuple[str, str], Decimal]:
    """{(element, canonical key): value} of one unit's report."""
    access.require_read(user, org_unit)
    return {
        (v.element, v.disaggregation): v.value
        for v in datavalues_visible(user, dataset=dataset, period=period, org_unit=org_unit)
    }


# --- completeness and timeliness -------------------------------------------------------------


class Timeliness(TextChoices):
    ON_TIME = "on_time", "按时报送"  # first submitted on or before the due date
    LATE = "late", "逾期报送"  # first submitted after the due date
    MISSING = "missing", "逾期未报"  # not submitted and the due date has passed
    PENDING = "pending", "未到期"  # not submitted yet, but still within the deadline


@dataclass(frozen=True)
class UnitCompleteness:
    unit: OrgUnit
    report: DataSetReport | None
    timeliness: Timeliness
    required_filled: int
    required_total: int

    @property
    def status(self) -> str:
        return self.report.status if self.report else ""

    @property
    def status_name(self) -> str:
        return ReportStatus(self.report.status).label if self.report else "未填报"

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

    @property
    def submitted_on(self) -> dt.date | None:
        first = self.report.first_submitted_at if self.report else None
        return timezone.localdate(first) if first else None

    @property
    def filled_percent(self) -> int:
        """Share of required elements with a value, 0–100 (100 when nothing is required and something was entered)."""
        if not self.required_total:
            return 100 if self.report else 0
        return self.required_filled * 100 // self.required_total


@dataclass(frozen=True)
class Completeness:
    dataset: DatasetDefinition
    period: Period
    root: OrgUnit
    due_on: dt.date
    today: dt.date
    units: list[UnitCompleteness] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.units)

    @property
    def counts(self) -> Counter:
        return Counter(u.timeliness for u in self.units)

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.units)

    @property
    def approved(self) -> int:
        return sum(u.status == ReportStatus.APPROVED for u in self.units)

    @property
    def completion_rate(self) -> Decimal | None:
        """完成率: submitted or approved reports over expected reporting units."""
        return _rate(self.submitted, self.expected)

    @property
    def timeliness_rate(self) -> Decimal | None:
        """及时率: reports first submitted by the due date over expected reporting units."""
        return _rate(self.counts[Timeliness.ON_TIME], self.expected)


def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


def expected_units(definition: DatasetDefinition, *, root: OrgUnit, period: Period) -> QuerySet[OrgUnit]:
    """Units under `root` (itself included) of a reporting kind that were open during the period."""
    subtree = OrgUnitClosure.objects.filter(ancestor=root).values("descendant_id")
    return OrgUnit.objects.filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=period.end),
        Q(closed_on__isnull=True) | Q(closed_on__gte=period.start),
        pk__in=subtree,
        kind__in=list(definition.reporting_kinds),
    ).order_by("depth", "kind", "pk")


def timeliness_of(report: DataSetReport | None, *, due_on: dt.date, today: dt.date) -> Timeliness:
    if report is not None and report.status != ReportStatus.DRAFT and report.first_submitted_at:
        submitted_on = timezone.localdate(report.first_submitted_at)
        return Timeliness.ON_TIME if submitted_on <= due_on else Timeliness.LATE
    return Timeliness.MISSING if today > due_on else Timeliness.PENDING


def dataset_completeness(user, *, dataset: str, period: Period, root: OrgUnit,
                         today: dt.date | None = None) -> Completeness:
    """Per expected reporting unit under `root`: status, on time / late / missing, required elements filled."""
    access.require_read(user, root)
    definition = dataset_definition(dataset)
    today = today or timezone.localdate()
    due_on = definition.due_on(period)
    units = list(access.scope_queryset(user, expected_units(definition, root=root, period=period), unit_field="pk"))
    unit_ids = [u.pk for u in units]
    reports = {
        r.org_unit_id: r
        for r in DataSetReport.objects.filter(
            dataset=definition.code, period_type=period.type, period_start=period.start, org_unit_id__in=unit_ids
        )
    }
    required = [e.code for e in definition.required_elements]
    filled = Counter(
        unit_id
        for unit_id, _ in DataValue.objects.filter(
            dataset=definition.code, period_type=period.type, period_start=period.start,
            org_unit_id__in=unit_ids, element__in=required,
        ).values_list("org_unit_id", "element").distinct()
    )
    rows = [
        UnitCompleteness(
            unit=unit, report=reports.get(unit.pk),
            timeliness=timeliness_of(reports.get(unit.pk), due_on=due_on, today=today),
            required_filled=filled[unit.pk], required_total=len(required),
        )
        for unit in units
    ]
    return Completeness(dataset=definition, period=period, root=root, due_on=due_on, today=today, units=rows)


COMPLETENESS_SORTS = ("unit", "filled", "-filled", "submitted_on")


@dataclass(frozen=True)
class CompletenessFilters:
    timeliness: str = ""  # one Timeliness
    status: str = ""  # a report status, or "none" for not entered
    sort: str = "unit"


def completeness_filters_parse(query) -> CompletenessFilters:
    """`?timeliness=&status=&sort=` of the completeness table and its export (ParamError naming the parameter)."""
    from fazhi.core.params import param_choice

    return CompletenessFilters(
        timeliness=param_choice(query, "timeliness", Timeliness.values),
        status=param_choice(query, "status", [*ReportStatus.values, "none"]),
        sort=param_choice(query, "sort", COMPLETENESS_SORTS, default="unit"),
    )


def completeness_rows(result: Completeness, filters: CompletenessFilters) -> list[UnitCompleteness]:
    """The completeness table's rows as filtered and sorted (the totals above it stay those of every unit)."""
    rows = [r for r in result.units
            if (not filters.timeliness or r.timeliness == filters.timeliness)
            and (not filters.status or (r.status or "none") == filters.status)]
    if filters.sort == "filled":
        rows.sort(key=lambda r: r.filled_percent)
    elif filters.sort == "-filled":
        rows.sort(key=lambda r: -r.filled_percent)
    elif filters.sort == "submitted_on":  # the earliest first, the units without a report last
        rows.sort(key=lambda r: (r.submitted_on is None, r.submitted_on or dt.date.min))
    return rows


def dataset_value_rows(user, *, dataset: str, org_unit: OrgUnit, period: Period
                       ) -> list[tuple[str, str, str, Decimal | None]]:
    """One unit's report as rows (element, disaggregation, option or 合计, value or None), in the entry grid's
    order: what the entry page shows, for its export."""
    definition = dataset_definition(dataset)
    stored = report_values(user, dataset=dataset, org_unit=org_unit, period=period)
    rows: list[tuple[str, str, str, Decimal | None]] = []
    for element in definition.elements:
        rows.append((element.name, "", "合计", _normalized(stored.get((element.code, TOTAL)))))
        for code in element.disaggregations:
            d = definition.disaggregation(code)
            if d is None:
                continue
            for option, label in d.options.items():
                key = disaggregation_key({code: option})
                rows.append((element.name, d.name, label, _normalized(stored.get((element.code, key)))))
    return rows


def _normalized(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value.normalize():f}")  # 12.0000 → 12, as it was typed


# --- the indicator engine's read ---------------------------------------------------------------


@dataclass(frozen=True)
class DataValueQuery:
    dataset: str
    element: str
    disaggregation: dict[str, str] | None = None  # None = the element total ('' key); {} also total


def _preference_levels(dataset: str, element: str) -> list[str]:
    """The `dimensions` levels a unit's element total may come from, most aggregated first:
    the total itself, each single disaggregation in definition order, then the cross-classified cells."""
    try:
        element_def = dataset_definition(dataset).element(element)
    except UnknownDataset:
        element_def = None
    if element_def is None:
        return [TOTAL]
    levels = [TOTAL, *element_def.disaggregations]
    if len(element_def.disaggregations) == 2:
        levels.append(";".join(sorted(element_def.disaggregations)))
    return levels


def _option_levels(dataset: str, element: str, parts: dict[str, str]) -> tuple[str, list[str]]:
    """For one option of one disaggregation of a two-way element: the cross cells that make it up."""
    try:
        definition = dataset_definition(dataset)
    except UnknownDataset:
        return "", []
    element_def = definition.element(element)
    if element_def is None or len(parts) != 1 or len(element_def.disaggregations) != 2:
        return "", []
    (code, option), = parts.items()
    others = [c for c in element_def.disaggregations if c != code]
    other = definition.disaggregation(others[0]) if others else None
    if other is None or code not in element_def.disaggregations:
        return "", []
    return ";".join(sorted([code, other.code])), [
        disaggregation_key({code: option, other.code: o}) for o in other.options
    ]


def datavalue_totals(*, queries: list[DataValueQuery], roots: list[int], start: dt.date,
                     end: dt.date) -> dict[tuple[int, int], Decimal | None]:
    """Sum of each query's values over the subtree of each root, for values whose period lies within [start, end].

    Key: (root_id, index into queries). None when no value was entered anywhere in that subtree
    (missing is not zero). One grouped SQL statement: values joined to the closure table
    (ancestor_id IN roots), one conditional SUM per distinct query.

    Rule for an element total (disaggregation None or {}): per unit and period, the most aggregated
    level the unit entered counts, and only that one — its '' total; otherwise the sum over the
    options of the element's first disaggregation; otherwise of its second; otherwise the sum of its
    cross-classified cells. Rule for one option of a two-way element ({venue: school}): the unit's
    `venue=school` cell; otherwise, when the unit entered no venue breakdown at all, the sum of its
    cross cells with venue=school. Any other key matches its canonical cell exactly.
    """
    result: dict[tuple[int, int], Decimal | None] = {(r, i): None for r in roots for i in range(len(queries))}
    if not roots or not queries:
        return result
    dv = connection.ops.quote_name(DataValue._meta.db_table)
    closure = connection.ops.quote_name(OrgUnitClosure._meta.db_table)
    # A correlated probe: does this unit have, for this element and period, a row at one of these levels?
    same_cell = (
        f"SELECT 1 FROM {dv} t WHERE t.dataset = v.dataset AND t.element = v.element"
        " AND t.org_unit_id = v.org_unit_id AND t.period_type = v.period_type AND t.period_start = v.period_start"
    )

    specs: dict[tuple[str, str, str], int] = {}  # (dataset, element, key) → column number
    for q in queries:
        specs.setdefault((q.dataset, q.element, disaggregation_key(q.disaggregation or None)), len(specs))
    columns, column_params = [], []
    for dataset, element, key in specs:  # insertion order is the column order
        condition, condition_params = "v.dataset = %s AND v.element = %s AND ", [dataset, element]
        if key == TOTAL:
            alternatives = []
            levels = _preference_levels(dataset, element)
            for i, level in enumerate(levels):
                if i == 0:
                    alternatives.append("v.dimensions = %s")
                    condition_params.append(level)
                else:
                    marks = ", ".join(["%s"] * i)
                    alternatives.append(f"(v.dimensions = %s AND NOT EXISTS ({same_cell} AND t.dimensions IN ({marks})))")
                    condition_params += [level, *levels[:i]]
            condition += "(" + " OR ".join(alternatives) + ")"
        else:
            cross_level, cross_keys = _option_levels(dataset, element, disaggregation_parts(key))
            if cross_keys:
                marks = ", ".join(["%s"] * len(cross_keys))
                condition += (
                    f"(v.disaggregation = %s OR (v.disaggregation IN ({marks})"
                    f" AND NOT EXISTS ({same_cell} AND t.dimensions = %s)))"
                )
                condition_params += [key, *cross_keys, key_dimensions(key)]
            else:
                condition += "v.disaggregation = %s"
                condition_params.append(key)
        columns.append(f"SUM(CASE WHEN {condition} THEN v.value END)")
        column_params += condition_params

    pairs = sorted({(dataset, element) for dataset, element, _ in specs})
    where_elements = " OR ".join(["(v.dataset = %s AND v.element = %s)"] * len(pairs))
    sql = (
        f"SELECT c.ancestor_id, {', '.join(columns)} FROM {dv} v"
        f" JOIN {closure} c ON c.descendant_id = v.org_unit_id"
        f" WHERE c.ancestor_id IN ({', '.join(['%s'] * len(roots))})"
        f" AND v.period_start >= %s AND v.period_end <= %s AND ({where_elements})"
        " GROUP BY c.ancestor_id"
    )
    params: list[Any] = [*column_params, *roots, start, end, *[x for pair in pairs for x in pair]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_root = {row[0]: row[1:] for row in rows}
    for root in roots:
        sums = by_root.get(root)
        if sums is None:
            continue
        for i, q in enumerate(queries):
            value = sums[specs[(q.dataset, q.element, disaggregation_key(q.disaggregation or None))]]
            result[(root, i)] = None if value is None else _decimal(value)
    return result


def _decimal(value) -> Decimal:
    # PostgreSQL sums numeric exactly; SQLite returns int or float, which str() renders exactly enough
    # for values stored with four decimals.
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(VALUE_PLACES)


@dataclass(frozen=True)
class SnapshotGap:
    """One thing missing before a year's snapshot of a unit may be approved."""

    kind: str  # 'not_closed' | 'report_unlocked'
    message: str


def period_ready_for_snapshot(*, org_unit: OrgUnit, year: int) -> list[SnapshotGap]:
    """What is missing before the snapshot of `year` for `org_unit` may be approved: the year closed for
    all registers and data sets over the unit, and every data set report of the year in its subtree
    locked. An empty list: ready. (Reports that were never started are not listed here; completeness
    says which units have not reported.)"""
    from fazhi.core.closing import closes_covering
    from fazhi.core.models import PeriodCloseScope

    gaps: list[SnapshotGap] = []
    if not any(c.scope == PeriodCloseScope.ALL for c in closes_covering(org_unit, year, scope="all", code="")):
        gaps.append(SnapshotGap("not_closed", f"{year}年尚未对“{org_unit.name}”关账"))
    subtree = OrgUnitClosure.objects.filter(ancestor=org_unit).values("descendant_id")
    unlocked = (DataSetReport.objects.filter(org_unit_id__in=subtree, period_start__year=year, locked=False)
                .select_related("org_unit").order_by("dataset", "org_unit__name", "period_start"))
    for report in unlocked:
        try:
            name = dataset_definition(report.dataset).name
        except UnknownDataset:
            name = report.dataset
        gaps.append(SnapshotGap("report_unlocked",
                                f"“{name}”{report.org_unit.name} {report.period_start:%Y-%m-%d}起的报表尚未锁定"))
    return gaps


# --- the workbench (待办) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportTask:
    """One unit's report of one data set for one period that the reader must enter, submit or approve."""

    definition: DatasetDefinition
    unit: OrgUnit
    period: Period
    report: DataSetReport | None
    due_on: dt.date
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.today > self.due_on

    @property
    def returned(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.DRAFT and self.report.returned_at is not None

    @property
    def status_name(self) -> str:
        return ReportStatus(self.report.status).label if self.report else "未填报"


def _open_in(definition: DatasetDefinition, unit: OrgUnit, period: Period) -> bool:
    """Does `unit` report `definition` for `period` (its kind, open during the period); expected_units in memory."""
    return (unit.kind in definition.reporting_kinds and (unit.opened_on is None or unit.opened_on <= period.end)
            and (unit.closed_on is None or unit.closed_on >= period.start))


def _units_each(user, perm: Perm, definitions: list[DatasetDefinition]) -> tuple[list[frozenset[int]], dict[int, OrgUnit]]:
    """Per data set, the ids of the units where the user holds `perm` for it; and those units, loaded once."""
    each = access.unit_ids_where_each(user, perm, definitions)
    if any(ids is None for ids in each):  # unrestricted: every unit
        every = frozenset(OrgUnit.objects.values_list("pk", flat=True))
        each = [every] * len(definitions)
    ids = [i for i in each if i is not None]
    units = OrgUnit.objects.in_bulk(set().union(*ids)) if ids else {}
    return [i if i is not None else frozenset() for i in each], units


def dataset_entry_tasks(user, *, today: dt.date | None = None) -> list[ReportTask]:
    """Reports the user must enter and submit (dataset.enter for that data set over the unit): for each data
    set, the last ended period of every unit the user enters for that has not submitted it, and any earlier
    report still in 草稿 (e.g. returned for correction). Overdue first, then by due date. A few queries in
    all, whatever the number of data sets."""
    from .registry import dataset_definitions

    today = today or timezone.localdate()
    definitions = dataset_definitions()
    each, units = _units_each(user, Perm.DATASET_ENTER, definitions)
    periods = {d.code: Period.containing(d.period_type, today).previous() for d in definitions}
    wanted = [(d, sorted(ids)) for d, ids in zip(definitions, each, strict=True) if ids]
    if not wanted:
        return []
    condition = Q(pk__in=[])
    for d, ids in wanted:
        condition |= Q(dataset=d.code, org_unit_id__in=ids) & (
            Q(period_type=periods[d.code].type, period_start=periods[d.code].start)
            | Q(status=ReportStatus.DRAFT, period_start__lt=periods[d.code].start))
    reports = list(DataSetReport.objects.filter(condition))
    current = {(r.dataset, r.org_unit_id): r for r in reports
               if r.period_start == periods[r.dataset].start and r.period_type == periods[r.dataset].type}
    tasks: list[ReportTask] = []
    for d, ids in wanted:
        period = periods[d.code]
        for pk in ids:
            unit = units[pk]
            report = current.get((d.code, pk))
            if _open_in(d, unit, period) and (report is None or report.status == ReportStatus.DRAFT):
                tasks.append(ReportTask(d, unit, period, report, d.due_on(period), today))
    by_code = {d.code: d for d, _ in wanted}
    for report in reports:
        if report.period_start < periods[report.dataset].start and report.status == ReportStatus.DRAFT:
            d = by_code[report.dataset]
            old = Period.starting(report.period_type, report.period_start)
            tasks.append(ReportTask(d, units[report.org_unit_id], old, report, d.due_on(old), today))
    return sorted(tasks, key=lambda t: (not t.overdue, t.due_on, t.definition.code, t.unit.depth, t.unit.pk))


def dataset_approval_tasks(user, *, today: dt.date | None = None) -> list[ReportTask]:
    """Submitted reports awaiting the user's approval (dataset.approve for that data set over the unit)."""
    from .registry import dataset_definitions

    today = today or timezone.localdate()
    definitions = dataset_definitions()
    each, units = _units_each(user, Perm.DATASET_APPROVE, definitions)
    allowed = {d.code: (d, ids) for d, ids in zip(definitions, each, strict=True) if ids}
    if not allowed:
        return []
    tasks: list[ReportTask] = []
    for report in (DataSetReport.objects.filter(status=ReportStatus.SUBMITTED, dataset__in=list(allowed),
                                                org_unit_id__in=sorted(set().union(*(i for _, i in allowed.values()))))
                   .order_by("submitted_at", "pk")):
        d, ids = allowed[report.dataset]
        if report.org_unit_id in ids:
            period = Period.starting(report.period_type, report.period_start)
            tasks.append(ReportTask(d, units[report.org_unit_id], period, report, d.due_on(period), today))
    return tasks


@dataclass(frozen=True)
class LateDataset:
    """A data set's last ended period, past its due date, with units under `root` that have not submitted."""

    definition: DatasetDefinition
    period: Period
    root: OrgUnit
    due_on: dt.date
    missing: int


def datasets_late_units(user, *, today: dt.date | None = None) -> list[LateDataset]:
    """For the office's 催报: per data set whose last ended period is past its due date, and per unit of the
    jurisdiction where the user may send reminders, how many expected units have not submitted (the same
    units dataset_completeness counts as 逾期未报). Three queries, whatever the number of data sets."""
    from .registry import dataset_definitions

    today = today or timezone.localdate()
    roots = [u for u in access.jurisdiction_roots(user) if access.may(user, Perm.REMINDER_SEND, u)]
    if not roots:
        return []
    below: dict[int, list[OrgUnit]] = {}
    for closure in OrgUnitClosure.objects.filter(ancestor__in=roots).select_related("descendant"):
        below.setdefault(closure.ancestor_id, []).append(closure.descendant)
    late = [(d, Period.containing(d.period_type, today).previous()) for d in dataset_definitions()]
    late = [(d, p) for d, p in late if d.due_on(p) < today]
    if not late:
        return []
    condition = Q(pk__in=[])
    for d, p in late:
        condition |= Q(dataset=d.code, period_type=p.type, period_start=p.start)
    submitted = set(DataSetReport.objects.filter(condition).exclude(status=ReportStatus.DRAFT)
                    .values_list("dataset", "org_unit_id"))
    out = []
    for d, period in late:
        for root in roots:
            missing = sum(1 for u in below.get(root.pk, []) if _open_in(d, u, period) and (d.code, u.pk) not in submitted)
            if missing:
                out.append(LateDataset(d, period, root, d.due_on(period), missing))
    return out


def datavalue_latest_start(*, root: OrgUnit, until: dt.date) -> dt.date | None:
    """The start of the latest period up to `until` for which a unit of `root`'s subtree entered a value
    (the pages' default year is the latest with data)."""
    subtree = OrgUnitClosure.objects.filter(ancestor=root).values("descendant_id")
    return (DataValue.objects.filter(org_unit_id__in=subtree, period_start__lte=until)
            .aggregate(latest=Max("period_start"))["latest"])
