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


def _notice_2031() -> str:
    return ("国务院办公厅关于2031年部分节假日安排的通知\n"
            "一、元旦：1月1日（周三）放假，共1天。\n"
            "二、春节：1月22日（周三）至28日（周二）放假调休，共7天。1月19日（周日）、2月8日（周六）上班。\n")


def test_a_year_loaded_from_the_notice_makes_its_clocks_computable_with_one_audit_row(db, personas):
    from fazhi.core.auditactions import AuditAction
    from fazhi.core.holidaynotice import holiday_notice_read
    from fazhi.core.models import AuditEvent, CalendarDay
    from fazhi.core.services import calendar_year_set
    from fazhi.core.workdays import calendar_years_held

    with pytest.raises(CalendarYearMissing):
        workday_calendar().add_working_days(D(2031, 1, 20), 3)
    assert calendar_year_set(acting_user=personas.superuser, arrangement=holiday_notice_read(_notice_2031())) == 10
    # 1月20日 (Mon) + 3 working days: 21 is a working day, 22–28 are off, 29 and 30 are working days.
    assert workday_calendar().add_working_days(D(2031, 1, 20), 3) == D(2031, 1, 30)
    assert calendar_years_held()[2031] == (8, 2)
    event = AuditEvent.objects.get(action=AuditAction.CALENDAR_YEAR_SET)
    assert (event.object_type, event.object_id, event.actor_id) == ("calendar_year", "2031", personas.superuser.pk)
    assert event.diff["2031-01-19"] == [None, "workday:春节"]
    # Loading a corrected text replaces the year: the 2月8日 workday it no longer lists becomes ordinary.
    corrected = _notice_2031().replace("、2月8日（周六）", "")
    calendar_year_set(acting_user=personas.superuser, arrangement=holiday_notice_read(corrected))
    assert not CalendarDay.objects.filter(date=D(2031, 2, 8)).exists()
    assert not workday_calendar().is_working_day(D(2031, 2, 8))


@pytest.mark.parametrize("name", ["district_admin", "leader", "town_clerk", "outsider"])
def test_no_district_role_may_change_the_national_calendar(db, personas, name):
    from fazhi.core.access import AccessDenied
    from fazhi.core.holidaynotice import holiday_notice_read
    from fazhi.core.models import CalendarDay
    from fazhi.core.services import calendar_year_set, calendarday_set

    with pytest.raises(AccessDenied):
        calendar_year_set(acting_user=getattr(personas, name), arrangement=holiday_notice_read(_notice_2031()))
    with pytest.raises(AccessDenied):
        calendarday_set(acting_user=getattr(personas, name), date=D(2031, 5, 5), kind="holiday", name="劳动节")
    assert not CalendarDay.objects.filter(date__year=2031).exists()


def test_the_notice_command_loads_a_year_and_refuses_a_mangled_copy(db, tmp_path):
    from fazhi.core.workdays import calendar_years_held

    notice = tmp_path / "2031.txt"
    notice.write_text(_notice_2031(), encoding="utf-8")
    call_command("calendar", "notice", str(notice))
    assert calendar_years_held()[2031] == (8, 2)
    notice.write_text(_notice_2031().replace("1月22日", "0月22日"), encoding="utf-8")
    with pytest.raises(CommandError, match="二、春节"):
        call_command("calendar", "notice", str(notice))
