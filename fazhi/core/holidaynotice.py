"""Reading the State Council's annual holiday notice (国务院办公厅关于某年部分节假日安排的通知).

The notice is published each autumn for the next year; until a year's arrangement is loaded, working-day
clocks running into it are refused (workdays.CalendarYearMissing). An administrator pastes the notice as
published and fazhi reads its numbered items, e.g.

    二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。

into holidays and 调休 make-up workdays, checks each item (the 共N天 count, make-up days on weekends, dates that
exist) and names the item of any fault, so a mistyped or mangled copy (a page that printed 0月1日) is refused
instead of giving wrong statutory deadlines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from .errors import FazhiError

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(rf"(?:^|\n)\s*([{_NUMERALS}]{{1,2}})、([^：:\n]{{1,30}})[：:]([^\n]*)")
_YEAR = re.compile(r"(?:关于|现将)\s*(\d{4})\s*年")
# A date: optional 'YYYY年', optional 'M月', 'D日' (a range end may omit the year and the month).
_DATE = r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日"
_RANGE = re.compile(_DATE + r"(?:\s*至\s*" + _DATE + ")?")
_PAREN = re.compile(r"[（(][^）)]*[）)]")
_COUNT = re.compile(r"共\s*(\d{1,2})\s*天")


class NoticeErrorCode(StrEnum):
    YEAR_UNKNOWN = "notice_year_unknown"  # the text names no year (关于2027年… / 现将2027年…)
    NO_ITEMS = "notice_no_items"  # no numbered item (一、元旦：…) was found
    DATE_INVALID = "notice_date_invalid"  # a date that does not exist (0月1日, 2月30日) or a range that runs backwards
    COUNT_MISMATCH = "notice_count_mismatch"  # 共N天 differs from the days of the range
    WORKDAY_NOT_WEEKEND = "notice_workday_not_weekend"  # a 上班 day that is not a Saturday or Sunday
    ITEM_WITHOUT_DAYS = "notice_item_without_days"  # an item that names no day off


class NoticeError(FazhiError, ValueError):
    """The notice cannot be read; the message names the item."""


@dataclass
class HolidayArrangement:
    """One year's arrangement: per holiday name, its days off and its make-up workdays."""

    year: int
    holidays: dict[str, list[dt.date]] = field(default_factory=dict)
    workdays: dict[str, list[dt.date]] = field(default_factory=dict)

    def entries(self) -> list[tuple[dt.date, str, str]]:
        """(date, kind, name) rows as calendar_file_entries gives them ('holiday' or 'workday')."""
        rows = [(d, "holiday", name) for name, days in self.holidays.items() for d in days]
        rows += [(d, "workday", name) for name, days in self.workdays.items() for d in days]
        return sorted(rows)


def _date(item: str, year: int, y: str | None, m: str | None, d: str, *, month_before: int | None) -> dt.date:
    month = int(m) if m else month_before
    if month is None:
        raise NoticeError(NoticeErrorCode.DATE_INVALID, f"“{item}”：日期“{d}日”缺少月份")
    try:
        return dt.date(int(y) if y else year, month, int(d))
    except ValueError:
        raise NoticeError(NoticeErrorCode.DATE_INVALID,
                          f"“{item}”：日期“{(y + '年') if y else ''}{month}月{d}日”不存在，请核对通知原文") from None


def _days(item: str, text: str, year: int) -> list[dt.date]:
    """Every day named in `text`, ranges (至) expanded."""
    days: list[dt.date] = []
    for match in _RANGE.finditer(text):
        y1, m1, d1, y2, m2, d2 = match.groups()
        start = _date(item, year, y1, m1, d1, month_before=None)
        if d2 is None:
            days.append(start)
            continue
        end = _date(item, int(y2) if y2 else start.year, y2, m2, d2, month_before=start.month)
        if end < start:
            raise NoticeError(NoticeErrorCode.DATE_INVALID,
                              f"“{item}”：{start.month}月{start.day}日至{end.month}月{end.day}日的起止日期颠倒")
        days.extend(start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return days


def holiday_notice_read(text: str) -> HolidayArrangement:
    """The arrangement a notice announces; NoticeError names the item at fault."""
    text = text.replace("\r\n", "\n").replace("\u3000", " ")
    year_match = _YEAR.search(text)
    if year_match is None:
        raise NoticeError(NoticeErrorCode.YEAR_UNKNOWN,
                          "未能从通知中读出年份：请粘贴含“关于××××年部分节假日安排的通知”或“现将××××年……”的全文")
    year = int(year_match.group(1))
    arrangement = HolidayArrangement(year=year)
    items = list(_ITEM.finditer(text))
    if not items:
        raise NoticeError(NoticeErrorCode.NO_ITEMS, "通知中没有找到“一、元旦：……”这样的逐项安排")
    for match in items:
        number, name, body = match.group(1), match.group(2).strip(), match.group(3)
        item = f"{number}、{name}"
        off: list[dt.date] = []
        worked: list[dt.date] = []
        # Sentences: 放假/补休 name days off, 上班 names make-up workdays; a 鼓励…休息 sentence (e.g. 除夕) does not
        # change the calendar. Remarks in brackets (weekday, lunar date) are dropped before reading dates.
        for sentence in re.split(r"[。；;]", body):
            plain = _PAREN.sub("", sentence)
            if not plain.strip() or plain.lstrip().startswith("鼓励"):
                continue
            if "上班" in plain:
                worked.extend(_days(item, plain, year))
            elif "放假" in plain or "补休" in plain:
                days = _days(item, plain, year)
                count = _COUNT.search(plain)
                if count and int(count.group(1)) != len(days):
                    raise NoticeError(NoticeErrorCode.COUNT_MISMATCH,
                                      f"“{item}”：写明共{count.group(1)}天，但所列日期为{len(days)}天，请核对通知原文")
                off.extend(days)
        if not off:
            raise NoticeError(NoticeErrorCode.ITEM_WITHOUT_DAYS, f"“{item}”：没有读出放假日期")
        for day in worked:
            if day.weekday() < 5:
                raise NoticeError(NoticeErrorCode.WORKDAY_NOT_WEEKEND,
                                  f"“{item}”：调休上班日{day.month}月{day.day}日不是周六或周日，请核对通知原文")
        arrangement.holidays[name] = sorted(set(off))
        if worked:
            arrangement.workdays[name] = sorted(set(worked))
    return arrangement
