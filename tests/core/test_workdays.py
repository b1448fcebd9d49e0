import datetime as dt

import pytest

from fazhi.core.workdays import DayUnit, WorkdayCalendar, add_months, calendar_file_entries, workday_calendar

D = dt.date


@pytest.fixture
def cal(db):
    return workday_calendar()


def test_shipped_calendar_covers_2023_to_2026():
    years = {day.year for day, _, _ in calendar_file_entries()}
    assert years == {2023, 2024, 2025, 2026}


def test_spring_festival_2024_and_its_make_up_sunday(cal):
    assert not cal.is_working_day(D(2024, 2, 12))  # Monday inside 春节
    assert cal.is_working_day(D(2024, 2, 4))  # Sunday worked (调休)
    assert cal.is_working_day(D(2024, 2, 18))  # Sunday worked (调休)
    assert not cal.is_working_day(D(2024, 2, 17))  # Saturday inside 春节


def test_five_working_days_across_spring_festival_2024(cal):
    # Received Thursday 8 Feb 2024: 9 Feb (Fri) = 1, holiday 10–17, 18 Feb (调休 Sunday) = 2,
    # 19, 20, 21 Feb = 3, 4, 5.
    assert cal.add_working_days(D(2024, 2, 8), 5) == D(2024, 2, 21)


def test_make_up_saturday_counts_as_a_working_day(cal):
    # 2024-05-11 is a 调休 Saturday. From Thursday 9 May: 10 May (Fri) = 1, 11 May (Sat, worked) = 2,
    # 13 May (Mon) = 3.
    assert cal.add_working_days(D(2024, 5, 9), 3) == D(2024, 5, 13)
    # Without the make-up day the third working day would be Tuesday 14 May.
    plain = WorkdayCalendar()
    assert plain.add_working_days(D(2024, 5, 9), 3) == D(2024, 5, 14)


def test_2026_spring_festival_nine_days_and_make_up_saturdays(cal):
    assert all(not cal.is_working_day(D(2026, 2, d)) for d in range(15, 24))
    assert cal.is_working_day(D(2026, 2, 14)) and cal.is_working_day(D(2026, 2, 28))
    # Five working days from Friday 13 Feb 2026: 14 (Sat, worked), 24, 25, 26, 27.
    assert cal.add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)


def test_calendar_day_period_ending_in_holiday_moves_to_next_working_day(cal):
    # 60 days from 2 Dec 2023 is 31 Jan 2024 (a Wednesday): unchanged.
    assert cal.period_end(D(2023, 12, 2), 60, DayUnit.CALENDAR_DAYS) == D(2024, 1, 31)
    # 7 days from 6 Feb 2024 is 13 Feb, inside 春节: the period ends on Sunday 18 Feb (调休 workday).
    assert cal.period_end(D(2024, 2, 6), 7, DayUnit.CALENDAR_DAYS) == D(2024, 2, 18)


def test_month_period_uses_same_day_or_month_end(cal):
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 15), 1) == D(2025, 1, 15)
    # One month from 1 Sep 2024 is 1 Oct, inside 国庆: ends on 8 Oct.
    assert cal.period_end(D(2024, 9, 1), 1, DayUnit.MONTHS) == D(2024, 10, 8)


def test_working_days_between_is_exclusive_of_start(cal):
    assert cal.working_days_between(D(2024, 2, 8), D(2024, 2, 21)) == 5
    assert cal.working_days_between(D(2024, 2, 21), D(2024, 2, 8)) == 0


def test_calendar_load_command_is_idempotent_and_edits_are_audited(db, capsys):
    from django.core.management import call_command

    from fazhi.core.models import AuditEvent, CalendarDay
    from fazhi.core.services import calendarday_set

    call_command("calendar", "load")
    assert "0 天有变化" in capsys.readouterr().out
    before = AuditEvent.objects.count()
    calendarday_set(acting_user=None, date=D(2024, 2, 4), kind=None)  # drop the 调休 Sunday
    assert not workday_calendar().is_working_day(D(2024, 2, 4))
    assert AuditEvent.objects.count() == before + 1
    call_command("calendar", "load")
    assert "1 天有变化" in capsys.readouterr().out
    assert workday_calendar().is_working_day(D(2024, 2, 4))
    assert CalendarDay.objects.filter(date__year=2024).count() > 20
