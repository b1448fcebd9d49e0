"""Reporting periods of data sets: a year, a quarter or a month, with a Chinese label."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}


class PeriodType(StrEnum):
    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"


class PeriodError(ValueError):
    """A period string or date that does not name a period; the message is Chinese."""


@dataclass(frozen=True, order=True)
class Period:
    type: PeriodType
    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodType.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodError(f"季度须为 1–4：{quarter}")
        first = 3 * quarter - 2
        return cls(PeriodType.QUARTER, dt.date(year, first, 1),
                   dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1]))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"月份须为 1–12：{month}")
        return cls(PeriodType.MONTH, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def parse(cls, text: str) -> Period:
        """"2024" → the year, "2024Q1" → a quarter, "2024-03" → a month."""
        text = (text or "").strip()
        if m := re.fullmatch(r"(\d{4})", text):
            return cls.year(int(m[1]))
        if m := re.fullmatch(r"(\d{4})[Qq]([1-4])", text):
            return cls.quarter(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return cls.month(int(m[1]), int(m[2]))
        raise PeriodError(f"无法识别的期间：“{text}”（应为 2024、2024Q1 或 2024-03）")

    @classmethod
    def starting(cls, period_type: str, start: dt.date) -> Period:
        """The period of this type that begins on `start`; refuses a date that begins none."""
        period_type = PeriodType(period_type)
        if period_type == PeriodType.YEAR and (start.month, start.day) == (1, 1):
            return cls.year(start.year)
        if period_type == PeriodType.QUARTER and start.day == 1 and start.month in (1, 4, 7, 10):
            return cls.quarter(start.year, (start.month + 2) // 3)
        if period_type == PeriodType.MONTH and start.day == 1:
            return cls.month(start.year, start.month)
        raise PeriodError(f"{start} 不是{PERIOD_TYPE_NAMES[period_type]}的起始日")

    @classmethod
    def containing(cls, period_type: str, day: dt.date) -> Period:
        period_type = PeriodType(period_type)
        if period_type == PeriodType.YEAR:
            return cls.year(day.year)
        if period_type == PeriodType.QUARTER:
            return cls.quarter(day.year, (day.month + 2) // 3)
        return cls.month(day.year, day.month)

    def previous(self) -> Period:
        return Period.containing(self.type, self.start - dt.timedelta(days=1))

    @property
    def key(self) -> str:
        """The string `parse` reads back (used in URLs and the command line)."""
        if self.type == PeriodType.YEAR:
            return f"{self.start.year}"
        if self.type == PeriodType.QUARTER:
            return f"{self.start.year}Q{(self.start.month + 2) // 3}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.type == PeriodType.YEAR:
            return f"{self.start.year}年"
        if self.type == PeriodType.QUARTER:
            return f"{self.start.year}年第{QUARTER_NAMES[(self.start.month + 2) // 3]}季度"
        return f"{self.start.year}年{self.start.month}月"

    def __str__(self) -> str:
        return self.label


PERIOD_TYPE_NAMES = {PeriodType.YEAR: "年度", PeriodType.QUARTER: "季度", PeriodType.MONTH: "月度"}
