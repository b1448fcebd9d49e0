"""Reads of records, always scoped to the reader's jurisdiction by core.access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import ActingUser
from fazhi.core.models import OrgUnit, OrgUnitClosure

from .clocks import clock_state
from .definitions import ClockKind, TransitionDef
from .models import ClockState, Record, RecordClock, RecordEvent
from .registry import register_definition


def records_visible(user: ActingUser, *, register: str | None = None) -> QuerySet[Record]:
    queryset = Record.objects.select_related("org_unit")
    if register:
        queryset = queryset.filter(register=register)
    return access.scope_queryset(user, queryset)


def record_get(user: ActingUser, *, pk: int) -> Record:
    """A record the user may read; Record.DoesNotExist otherwise (never reveal that it exists)."""
    return records_visible(user).get(pk=pk)


def record_timeline(record: Record) -> list[RecordEvent]:
    return list(RecordEvent.objects.filter(record=record).select_related("actor").order_by("seq"))


def record_replay(record: Record) -> dict[str, Any]:
    """Rebuild the state of a record from its timeline alone."""
    state: dict[str, Any] = {}
    for event in RecordEvent.objects.filter(record=record).order_by("seq"):
        for key, value in event.data.get("set", {}).items():
            if value is None and key.startswith("payload."):
                state.pop(key, None)
            else:
                state[key] = value
    return state


@dataclass(frozen=True)
class ClockView:
    code: str
    name: str
    basis: str
    started_on: dt.date
    due_on: dt.date
    base_due_on: dt.date
    state: ClockState
    extensions: int
    suspended_on: dt.date | None
    stopped_on: dt.date | None
    kind: str = ClockKind.DEADLINE.value
    blocks: tuple[str, ...] = ()  # minimum clocks: names of the steps refused until due_on

    @property
    def is_minimum(self) -> bool:
        return self.kind == ClockKind.MINIMUM

    @property
    def state_name(self) -> str:
        """The state in words; a waiting minimum clock names the first day its steps are allowed."""
        label = ClockState(self.state).label
        if self.state == ClockState.WAITING:
            return f"{label}，{self.due_on.isoformat()}起可{'、'.join(self.blocks)}"
        return label


def record_clocks(record: Record, *, today: dt.date | None = None) -> list[ClockView]:
    definition = register_definition(record.register)
    today = today or timezone.localdate()
    views = []
    for clock in RecordClock.objects.filter(record=record).order_by("started_on", "code"):
        clock_def = definition.clock(clock.code)
        blocks = tuple(
            t.name for t in definition.transitions if clock_def and t.code in clock_def.blocks
        )
        views.append(
            ClockView(
                code=clock.code,
                name=clock_def.name if clock_def else clock.code,
                basis=clock_def.basis if clock_def else "",
                started_on=clock.started_on,
                due_on=clock.due_on,
                base_due_on=clock.base_due_on,
                state=clock_state(clock, today=today, due_soon_days=clock_def.due_soon_days if clock_def else None),
                extensions=clock.extensions,
                suspended_on=clock.suspended_on,
                stopped_on=clock.stopped_on,
                kind=clock.kind,
                blocks=blocks,
            )
        )
    return views


def clocks_overdue(user: ActingUser, *, today: dt.date | None = None, register: str | None = None) -> QuerySet[RecordClock]:
    """Running, unsuspended deadline clocks past their deadline, in the user's jurisdiction (a minimum
    clock is never overdue: past its due date it is simply satisfied)."""
    today = today or timezone.localdate()
    queryset = RecordClock.objects.filter(kind=ClockKind.DEADLINE, stopped_on__isnull=True,
                                          suspended_on__isnull=True, due_on__lt=today)
    if register:
        queryset = queryset.filter(record__register=register)
    return access.scope_queryset(user, queryset).select_related("record", "org_unit")


def overdue_by_unit(user: ActingUser, *, root: OrgUnit, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Overdue clocks per child unit of `root` (each child counts its whole subtree), and `root` itself.

    Two queries whatever the number of children: the open clocks of `root`'s subtree grouped by unit, and the
    closure rows that say under which child each of those units lies. Rows are {unit, overdue, due_soon}.
    """
    access.require_read(user, root)
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.FAZHI_DUE_SOON_DAYS)
    children = list(OrgUnit.objects.filter(parent=root).order_by("pk")) + [root]
    open_clocks = access.scope_queryset(
        user, RecordClock.objects.filter(kind=ClockKind.DEADLINE, stopped_on__isnull=True, suspended_on__isnull=True)
    )
    per_unit = {
        row["org_unit_id"]: (row["overdue"], row["due_soon"])
        for row in open_clocks.filter(org_unit_id__in=OrgUnitClosure.objects.filter(ancestor=root)
                                      .values("descendant_id"))
        .order_by().values("org_unit_id").annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)),
            due_soon=Count("pk", filter=Q(due_on__gte=today, due_on__lte=soon)))
    }
    counts: dict[int, list[int]] = {child.pk: [0, 0] for child in children}
    for ancestor, descendant in OrgUnitClosure.objects.filter(
            ancestor_id__in=[c.pk for c in children if c is not root], descendant_id__in=list(per_unit)
    ).values_list("ancestor_id", "descendant_id"):
        counts[ancestor][0] += per_unit[descendant][0]
        counts[ancestor][1] += per_unit[descendant][1]
    own = per_unit.get(root.pk, (0, 0))
    counts[root.pk] = [own[0], own[1]]
    return [{"unit": child, "overdue": counts[child.pk][0], "due_soon": counts[child.pk][1]} for child in children]


def overdue_by_register(user: ActingUser, *, root: OrgUnit, today: dt.date | None = None) -> dict[str, int]:
    """Overdue deadline clocks per register code in `root`'s subtree, within the user's jurisdiction
    (one grouped query; the 驾驶舱's overdue chart)."""
    access.require_read(user, root)
    subtree = OrgUnitClosure.objects.filter(ancestor=root).values("descendant_id")
    return {row["record__register"]: row["n"] for row in
            clocks_overdue(user, today=today).filter(org_unit_id__in=subtree).order_by()
            .values("record__register").annotate(n=Count("pk"))}


def register_summary(user: ActingUser, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Per register in the user's jurisdiction: records, open records (from the rollups: one grouped query),
    overdue clocks."""
    from .rollup_reads import rollup_register_counts

    today = today or timezone.localdate()
    counted = rollup_register_counts(unit_ids=access.units_in_jurisdiction(user).values("pk"))
    rows: dict[str, Mapping[str, Any]] = {code: {"total": opened, "closed": closed}
                                          for code, (opened, closed) in counted.items()}
    overdue = {
        row["record__register"]: row["n"]
        for row in clocks_overdue(user, today=today).values("record__register").annotate(n=Count("pk"))
    }
    from .registry import register_definitions

    return [
        {
            "code": d.code,
            "name": d.name,
            "total": rows.get(d.code, {}).get("total", 0),
            "open": rows.get(d.code, {}).get("total", 0) - rows.get(d.code, {}).get("closed", 0),
            "overdue": overdue.get(d.code, 0),
        }
        for d in register_definitions()
    ]


# --- the workbench (待办): what the reader must do now ---------------------------------------------


def records_awaiting_transition(user: ActingUser) -> QuerySet[Record]:
    """Open records (not in a final status, not concluded) in a status from which the user may take a
    transition of its register, over the record's unit: one query, its condition built per group of
    transitions naming the same roles (access.unit_ids_where_each answers for all of them in two queries)."""
    from fazhi.core.access import Perm

    from .registry import register_definitions

    groups: list[tuple[str, list[str], TransitionDef]] = []  # (register, from-statuses, one of the group)
    for d in register_definitions():
        final = {s.code for s in d.statuses if s.final}  # a step out of a final status (重新调解) is no task
        by_roles: dict[frozenset[str], tuple[set[str], TransitionDef]] = {}
        for t in d.transitions:
            froms, _ = by_roles.setdefault(frozenset(t.roles), (set(), t))
            froms.update(set(t.from_) - final)
        groups += [(d.code, sorted(froms), t) for froms, t in by_roles.values() if froms]
    units_each = access.unit_ids_where_each(user, Perm.RECORD_TRANSITION, [t for _, _, t in groups])
    condition = Q(pk__in=[])
    for (register, statuses, _), units in zip(groups, units_each, strict=True):
        if units is None:
            condition |= Q(register=register, status__in=statuses)
        elif units:
            condition |= Q(register=register, status__in=statuses, org_unit_id__in=sorted(units))
    return Record.objects.filter(condition, closed_on__isnull=True).select_related("org_unit")


def clocks_due_within(user: ActingUser, *, working_days: int, today: dt.date | None = None,
                      awaiting: QuerySet[Record] | None = None) -> QuerySet[RecordClock]:
    """Running deadline clocks of the records awaiting the user's transition that are overdue or fall due
    within `working_days` working days (a year the calendar lacks counts calendar days instead); `awaiting`:
    those records when the caller has them already."""
    from fazhi.core.workdays import CalendarYearMissing, workday_calendar

    today = today or timezone.localdate()
    try:
        limit = workday_calendar().add_working_days(today, working_days)
    except CalendarYearMissing:
        limit = today + dt.timedelta(days=working_days)
    return (RecordClock.objects.filter(kind=ClockKind.DEADLINE, stopped_on__isnull=True, suspended_on__isnull=True,
                                       due_on__lte=limit,
                                       record__in=(awaiting if awaiting is not None
                                                   else records_awaiting_transition(user)).values("pk"))
            .select_related("record", "org_unit").order_by("due_on", "pk"))
