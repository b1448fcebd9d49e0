"""Statutory clocks: starting, stopping, extending, suspending and the state of each clock."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from fazhi.core.workdays import DayUnit, workday_calendar

from .definitions import ClockDef
from .models import ClockState, Record, RecordClock


def clock_due(definition: ClockDef, started_on: dt.date) -> dt.date:
    return workday_calendar().period_end(started_on, definition.length, definition.unit)


def clock_started(clock: RecordClock | None, *, record: Record, definition: ClockDef, started_on: dt.date
                  ) -> RecordClock:
    """A clock (re)started on `started_on`, e.g. after a re-application; not saved."""
    due = clock_due(definition, started_on)
    clock = clock or RecordClock(record=record, code=definition.code)
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
    return workday_calendar().period_end(clock.due_on, length, unit)


def resumed_due(clock: RecordClock, definition: ClockDef, resumed_on: dt.date) -> dt.date:
    """Push the deadline by the time spent suspended, counted in the clock's own unit."""
    assert clock.suspended_on is not None
    cal = workday_calendar()
    if definition.unit == DayUnit.WORKING_DAYS:
        return cal.add_working_days(clock.due_on, cal.working_days_between(clock.suspended_on, resumed_on))
    return cal.next_working_day(clock.due_on + (resumed_on - clock.suspended_on))


def clock_state(clock: RecordClock, *, today: dt.date, due_soon_days: int | None = None) -> ClockState:
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
