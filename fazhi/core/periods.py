"""Reporting periods: a year, a quarter, a month, or a year to date (年初至今)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import CoreErrorCode, FazhiError


class PeriodType(StrEnum):
    YEAR = "year"  # 年度
    QUARTER = "quarter"  # 季度
    MONTH = "month"  # 月度
    YEAR_TO_DATE = "ytd"  # 年初至某月末


PERIOD_TYPE_NAMES = {PeriodType.YEAR: "年度", PeriodType.QUARTER: "季度", PeriodType.MONTH: "月度",
                     PeriodType.YEAR_TO_DATE: "年初至今"}


class PeriodError(FazhiError, ValueError):
    """A period string or date that does not name a period; the message is Chinese."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(CoreErrorCode.PERIOD_INVALID, message, field=field)


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    type: PeriodType

    @property
    def label(self) -> str:
        if self.type == PeriodType.YEAR:
            return f"{self.start.year}年"
        if self.type == PeriodType.QUARTER:
            return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        if self.type == PeriodType.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年1—{self.end.month}月"

    @property
    def code(self) -> str:
        if self.type == PeriodType.YEAR:
            return f"{self.start.year}"
        if self.type == PeriodType.QUARTER:
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        if self.type == PeriodType.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.year}YTD{self.end.month:02d}"

    @property
    def key(self) -> str:
        """The string period_parse reads back (URLs, the command line)."""
        return self.code

    @classmethod
    def parse(cls, text: str | int) -> Period:
        return period_parse(text)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.YEAR)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodError(f"季度须为 1–4：{quarter}")
        return cls(dt.date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), PeriodType.QUARTER)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"月份须为 1–12：{month}")
        return cls(dt.date(year, month, 1), _month_end(year, month), PeriodType.MONTH)

    @classmethod
    def containing(cls, period_type: str, day: dt.date) -> Period:
        """The year, quarter or month that contains `day`."""
        period_type = PeriodType(period_type)
        if period_type == PeriodType.YEAR:
            return cls.year(day.year)
        if period_type == PeriodType.QUARTER:
            return cls.quarter(day.year, (day.month + 2) // 3)
        if period_type == PeriodType.MONTH:
            return cls.month(day.year, day.month)
        raise PeriodError("年初至今不是固定的填报期间")

    @classmethod
    def starting(cls, period_type: str, start: dt.date) -> Period:
        """The period of this type that begins on `start`; refuses a date that begins none."""
        period = cls.containing(period_type, start)
        if period.start != start:
            raise PeriodError(f"{start} 不是{PERIOD_TYPE_NAMES[PeriodType(period_type)]}的起始日")
        return period

    def previous(self) -> Period:
        """The period of the same type just before this one (上期, not 同期)."""
        return Period.containing(self.type, self.start - dt.timedelta(days=1))

    def shifted_years(self, years: int) -> Period:
        """The same period `years` earlier (negative) or later: the basis of 同比."""
        return period_parse(self.code.replace(str(self.start.year), str(self.start.year + years), 1))

    def months(self) -> list[dt.date]:
        """First days of the months the period covers."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return out

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_parse(text: str | int) -> Period:
    """'2024', '2024Q1', '2024-03', '2024YTD09' (also 2024年)."""
    value = str(text).strip().upper().removesuffix("年")
    if value.startswith("0000"):  # year 0 does not exist (datetime.MINYEAR is 1)
        raise PeriodError(f"无法识别的期间“{text}”：年份须为 0001–9999")
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.YEAR)
    if m := re.fullmatch(r"(\d{4})Q([1-4])", value):
        year, q = int(m.group(1)), int(m.group(2))
        return Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), PeriodType.QUARTER)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(dt.date(year, month, 1), _month_end(year, month), PeriodType.MONTH)
    if m := re.fullmatch(r"(\d{4})YTD(\d{1,2})", value):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(dt.date(year, 1, 1), _month_end(year, month), PeriodType.YEAR_TO_DATE)
    raise PeriodError(f"无法识别的期间“{text}”：应为 2024、2024Q1、2024-03 或 2024YTD09")
