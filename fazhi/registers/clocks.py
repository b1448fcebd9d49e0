"""Statutory clocks: starting, stopping, extending, suspending and the state of each clock.

A deadline clock's due_on is the last day of the period. A minimum clock (kind: minimum) is computed
the same way (民法典 第二百零一条: the triggering day is not counted; 第二百零三条: a period whose last
day is a day off ends on the next working day), and its due_on is the first day on which the steps it
blocks are allowed: e.g. consultation published on 3月4日, 30 days → 4月3日 is day 30, the first day the
consultation may be closed; 4月2日 (day 29) is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

from fazhi.core.workdays import CalendarYearMissing, DayUnit, workday_calendar

from .definitions import ClockDef, ClockKind, RegisterDefinition, TransitionDef
from .errors import RecordError, RecordErrorCode
from .models import ClockState, Record, RecordClock


@contextmanager
def _calendar_known() -> Iterator[None]:
    """A working-day clock that runs into a year the calendar lacks is refused with the register's code."""
    try:
        yield
    except CalendarYearMissing as exc:
        raise RecordError(RecordErrorCode.CALENDAR_YEAR_MISSING, exc.message) from exc


def clock_due(definition: ClockDef, started_on: dt.date) -> dt.date:
    with _calendar_known():
        return workday_calendar().period_end(started_on, definition.length, definition.unit)


def clock_started(clock: RecordClock | None, *, record: Record, definition: ClockDef, started_on: dt.date
                  ) -> RecordClock:
    """A clock (re)started on `started_on`, e.g. after a re-application; not saved."""
    due = clock_due(definition, started_on)
    clock = clock or RecordClock(record=record, code=definition.code)
    clock.kind = definition.kind.value
    clock.org_unit_id = record.org_unit_id
    clock.started_on = started_on
    clock.base_due_on = clock.due_on = due
    clock.extensions = 0
    clock.extension_reason = clock.suspension_reason = ""
    clock.extension_approver = None
    clock.suspended_on = clock.stopped_on = None
    return clock


def extended_due(clock: RecordClock, *, length: int, unit: DayUnit) -> dt.date:
    """An extension runs from the current deadline (行政复议法 第六十二条: 延长期限最多不得超过三十日)."""
    with _calendar_known():
        return workday_calendar().period_end(clock.due_on, length, unit)


def resumed_due(clock: RecordClock, definition: ClockDef, resumed_on: dt.date) -> dt.date:
    """Push the deadline by the time spent suspended, counted in the clock's own unit."""
    assert clock.suspended_on is not None
    cal = workday_calendar()
    if definition.unit == DayUnit.WORKING_DAYS:
        with _calendar_known():
            return cal.add_working_days(clock.due_on, cal.working_days_between(clock.suspended_on, resumed_on))
    return cal.next_working_day(clock.due_on + (resumed_on - clock.suspended_on))


UNIT_NAMES = {"days": "日", "working_days": "个工作日", "months": "个月"}


def minimum_periods_check(definition: RegisterDefinition, t: TransitionDef, clocks: dict[str, RecordClock], *,
                          on_date: dt.date) -> None:
    """Refuse `t` on `on_date` while a running minimum clock that blocks it has not elapsed."""
    for clock_def in definition.clocks:
        if not clock_def.is_minimum or t.code not in clock_def.blocks:
            continue
        clock = clocks.get(clock_def.code)
        if clock is None or clock.stopped_on is not None or on_date >= clock.due_on:
            continue
        raise RecordError(
            RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED,
            f"“{clock_def.name}”自{clock.started_on.isoformat()}起算不少于{clock_def.length}"
            f"{UNIT_NAMES[str(clock_def.unit)]}（{clock_def.basis}），{clock.due_on.isoformat()}起方可“{t.name}”",
        )


def clock_state(clock: RecordClock, *, today: dt.date, due_soon_days: int | None = None) -> ClockState:
    if clock.kind == ClockKind.MINIMUM:
        return minimum_clock_state(clock, today=today)
    if clock.stopped_on is not None:
        return ClockState.MET if clock.stopped_on <= clock.due_on else ClockState.MISSED
    if clock.suspended_on is not None:
        return ClockState.SUSPENDED
    if today > clock.due_on:
        return ClockState.OVERDUE
    window = settings.FAZHI_DUE_SOON_DAYS if due_soon_days is None else due_soon_days
    if (clock.due_on - today).days <= window:
        return ClockState.DUE_SOON
    return ClockState.ON_TIME


def minimum_clock_state(clock: RecordClock, *, today: dt.date) -> ClockState:
    """Waiting until due_on, then satisfied; never overdue. Stopped early (by a step the clock does not
    block, e.g. withdrawal or a shortened consultation with its reason) it is 'ended early'."""
    if clock.stopped_on is not None:
        return ClockState.SATISFIED if clock.stopped_on >= clock.due_on else ClockState.ENDED_EARLY
    return ClockState.SATISFIED if today >= clock.due_on else ClockState.WAITING
