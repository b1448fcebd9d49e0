"""Reading the State Council's holiday notice: the real notices of 2024–2026 as published give exactly the
calendar fazhi ships, and a mangled or mistyped copy is refused naming the item."""

import datetime as dt
from pathlib import Path

import pytest

from fazhi.core.holidaynotice import NoticeError, NoticeErrorCode, holiday_notice_read
from fazhi.core.workdays import calendar_file_entries

NOTICES = Path(__file__).parent / "data" / "holiday_notices"


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_a_published_notice_gives_the_shipped_calendar_of_its_year(year):
    arrangement = holiday_notice_read((NOTICES / f"{year}.txt").read_text(encoding="utf-8"))
    assert arrangement.year == year
    shipped = sorted(row for row in calendar_file_entries() if row[0].year == year)
    assert arrangement.entries() == shipped


def test_the_2026_notice_item_by_item():
    arrangement = holiday_notice_read((NOTICES / "2026.txt").read_text(encoding="utf-8"))
    assert list(arrangement.holidays) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    spring = arrangement.holidays["春节"]
    assert (spring[0], spring[-1], len(spring)) == (dt.date(2026, 2, 15), dt.date(2026, 2, 23), 9)
    assert arrangement.workdays["春节"] == [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]
    assert "清明节" not in arrangement.workdays


def test_a_reprint_that_lost_a_digit_is_refused_naming_the_item():
    with pytest.raises(NoticeError) as refused:
        holiday_notice_read((NOTICES / "2017-mangled.txt").read_text(encoding="utf-8"))
    assert refused.value.code == NoticeErrorCode.DATE_INVALID
    assert "六、" in refused.value.message


def _notice(*items: str, year: int = 2031) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知\n" + "\n".join(items)


@pytest.mark.parametrize(("text", "code", "named"), [
    ("一、元旦：1月1日放假，共1天。", NoticeErrorCode.YEAR_UNKNOWN, None),
    (_notice("元旦放假一天"), NoticeErrorCode.NO_ITEMS, None),
    (_notice("一、元旦：1月1日（周三）放假，共1天。", "二、春节：2月30日至3月2日放假调休，共3天。"),
     NoticeErrorCode.DATE_INVALID, "二、春节"),
    (_notice("一、春节：1月22日至1月28日放假调休，共8天。"), NoticeErrorCode.COUNT_MISMATCH, "一、春节"),
    (_notice("一、劳动节：5月1日至5日放假调休，共5天。4月28日（周一）上班。"),
     NoticeErrorCode.WORKDAY_NOT_WEEKEND, "一、劳动节"),
    (_notice("一、元旦：与周末连休。"), NoticeErrorCode.ITEM_WITHOUT_DAYS, "一、元旦"),
    (_notice("一、国庆节：10月7日至10月1日放假调休，共7天。"), NoticeErrorCode.DATE_INVALID, "一、国庆节"),
])
def test_a_faulty_notice_is_refused_with_a_code_naming_the_item(text, code, named):
    with pytest.raises(NoticeError) as refused:
        holiday_notice_read(text)
    assert refused.value.code == code
    if named:
        assert named in refused.value.message


def test_encouragement_sentences_and_lunar_remarks_do_not_change_the_calendar():
    arrangement = holiday_notice_read(_notice(
        "一、春节：2月10日（农历正月初一、周一）至16日（农历正月初七、周日）放假调休，共7天。"
        "2月8日（周六）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。"))
    assert arrangement.holidays["春节"] == [dt.date(2031, 2, d) for d in range(10, 17)]
    assert arrangement.workdays["春节"] == [dt.date(2031, 2, 8)]
