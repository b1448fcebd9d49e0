import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from fazhi.core.calendarsource import calendar_differences, calendar_year_yaml
from fazhi.core.workdays import CalendarErrorCode, CalendarYearMissing, DayUnit, workday_calendar

D = dt.date


def test_working_days_into_a_year_the_calendar_lacks_are_refused_naming_the_year(db):
    cal = workday_calendar()
    assert cal.add_working_days(D(2026, 12, 1), 5) == D(2026, 12, 8)
    with pytest.raises(CalendarYearMissing) as refused:
        cal.period_end(D(2026, 12, 28), 10, DayUnit.WORKING_DAYS)
    assert refused.value.code == CalendarErrorCode.YEAR_MISSING
    assert refused.value.year == 2027
    assert "2027年" in refused.value.message
    with pytest.raises(CalendarYearMissing):
        cal.working_days_between(D(2022, 12, 20), D(2023, 1, 10))


def test_a_removed_year_is_missing_again(db):
    from fazhi.core.models import CalendarDay
    from fazhi.core.workdays import workday_calendar_invalidate

    CalendarDay.objects.filter(date__year=2025).delete()
    workday_calendar_invalidate()
    try:
        with pytest.raises(CalendarYearMissing):
            workday_calendar().add_working_days(D(2025, 3, 3), 1)
    finally:
        workday_calendar_invalidate()


def test_a_working_day_clock_into_a_missing_year_is_a_coded_register_error(db):
    from fazhi.registers.clocks import clock_due
    from fazhi.registers.errors import RecordError, RecordErrorCode

    class Clock:
        length, unit = 10, DayUnit.WORKING_DAYS

    with pytest.raises(RecordError) as refused:
        clock_due(Clock(), D(2026, 12, 25))
    assert refused.value.code == RecordErrorCode.CALENDAR_YEAR_MISSING
    assert "2027" in refused.value.message


def test_shipped_2024_to_2026_agree_with_chinesecalendar():
    for year in (2024, 2025, 2026):
        shipped, package, differences = calendar_differences(year)
        assert shipped and package
        assert differences == [], (year, [d.describe() for d in differences])


def test_check_reports_a_mistyped_day(tmp_path):
    wrong = tmp_path / "calendar.yaml"
    # 2024-02-18 (a 调休 Sunday) left out, 2024-03-01 (an ordinary Friday) typed as a holiday.
    wrong.write_text("2024:\n  holidays:\n    春节: [2024-02-10, 2024-02-11, 2024-02-12, 2024-02-13, 2024-02-14,"
                     " 2024-02-15, 2024-02-16, 2024-02-17, 2024-03-01]\n  workdays:\n    春节: [2024-02-04]\n",
                     encoding="utf-8")
    _, _, differences = calendar_differences(2024, wrong)
    dates = {d.date for d in differences}
    assert D(2024, 2, 18) in dates and D(2024, 3, 1) in dates
    assert D(2024, 10, 1) in dates  # 国庆节 missing from the file altogether
    with pytest.raises(CommandError, match="不一致"):
        call_command("calendar", "check", "2024", "--file", str(wrong))


def test_check_and_seed_commands(capsys):
    call_command("calendar", "check", "2025")
    assert "一致" in capsys.readouterr().out
    with pytest.raises(CommandError, match="缺少2027年"):
        call_command("calendar", "check", "2027")
    block = calendar_year_yaml(2026)
    assert block.startswith("2026:\n  holidays:\n") and "春节: [2026-02-15" in block
