"""The Chinese working-day calendar and statutory period arithmetic.

Rules applied (民法典 第二百零一条、第二百零三条):
- a period counted in days starts on the day after the triggering day;
- when the last day of a period falls on a day off (weekend or public holiday), the period
  ends on the first working day after it.
Working-day periods (e.g. 行政复议法 第八十八条: 三日、五日、七日、十日 are working days) count only
working days: Monday–Friday minus public holidays, plus 调休 make-up Saturdays and Sundays.

The holidays of a year are known only once the State Council announces them (usually in November of
the year before). Counting working days into a year the calendar lacks is refused (CalendarYearMissing)
rather than silently falling back to Monday–Friday, which would give a wrong statutory deadline.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml

from .errors import FazhiError

CALENDAR_FILE = Path(__file__).parent / "data" / "calendar.yaml"


class DayUnit(StrEnum):
    CALENDAR_DAYS = "days"  # 日 counted on the calendar
    WORKING_DAYS = "working_days"  # 工作日
    MONTHS = "months"  # 月: the same day number of a later month


class CalendarErrorCode(StrEnum):
    YEAR_MISSING = "calendar_year_missing"  # the calendar has no holiday arrangement for this year


class CalendarYearMissing(FazhiError, ValueError):
    """Working days were asked for in a year whose holidays the calendar does not hold."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(CalendarErrorCode.YEAR_MISSING,
                         f"节假日安排缺少{year}年的数据，无法按工作日计算期限；"
                         f"请先载入{year}年的节假日与调休安排（fazhi calendar load）")


@dataclass(frozen=True)
class WorkdayCalendar:
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)
    # The years whose arrangement is known; None: any year (a hand-built calendar, Monday–Friday plus
    # the listed exceptions).
    years: frozenset[int] | None = None

    def year_check(self, day: dt.date) -> None:
        """Raise CalendarYearMissing unless the calendar holds `day`'s year."""
        if self.years is not None and day.year not in self.years:
            raise CalendarYearMissing(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def next_working_day(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        day = start
        remaining = count
        while remaining > 0:
            day += dt.timedelta(days=1)
            self.year_check(day)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]."""
        if end <= start:
            return 0
        self.year_check(start + dt.timedelta(days=1))
        self.year_check(end)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + dt.timedelta(days=i)))

    def period_end(self, start: dt.date, length: int, unit: DayUnit) -> dt.date:
        """Last day of a statutory period of `length` units triggered on `start`."""
        if unit == DayUnit.WORKING_DAYS:
            return self.add_working_days(start, length)
        if unit == DayUnit.MONTHS:
            end = add_months(start, length)
        else:
            end = start + dt.timedelta(days=length)
        return self.next_working_day(end)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day number `months` later; the month's last day when that day does not exist."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def calendar_file_entries(path: Path = CALENDAR_FILE) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) rows of the shipped calendar file; kind is 'holiday' or 'workday'."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows: list[tuple[dt.date, str, str]] = []
    for _year, parts in sorted(data.items()):
        for section, kind in (("holidays", "holiday"), ("workdays", "workday")):
            for name, days in (parts.get(section) or {}).items():
                rows.extend((day, kind, name) for day in days)
    return rows


_cached: WorkdayCalendar | None = None


def workday_calendar() -> WorkdayCalendar:
    """The calendar as stored in the database (loaded from the shipped file by a migration)."""
    global _cached
    if _cached is None:
        from .models import CalendarDay, CalendarDayKind

        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        for day, kind in CalendarDay.objects.values_list("date", "kind"):
            (holidays if kind == CalendarDayKind.HOLIDAY else workdays).add(day)
        # Every announced year has holidays on weekdays (元旦, 春节 …), so a year with none is one the
        # calendar lacks.
        years = frozenset(day.year for day in holidays)
        _cached = WorkdayCalendar(frozenset(holidays), frozenset(workdays), years)
    return _cached


def calendar_years_held() -> dict[int, tuple[int, int]]:
    """Per year the database holds: (holidays, make-up workdays)."""
    from .models import CalendarDay, CalendarDayKind

    years: dict[int, tuple[int, int]] = {}
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        off, worked = years.get(day.year, (0, 0))
        years[day.year] = (off + 1, worked) if kind == CalendarDayKind.HOLIDAY else (off, worked + 1)
    return dict(sorted(years.items()))


def workday_calendar_invalidate() -> None:
    global _cached
    _cached = None
