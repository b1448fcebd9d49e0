"""Cross-checking and seeding the holiday calendar with the `chinesecalendar` package (PyPI).

The shipped file (core/data/calendar.yaml) stays the source of truth the platform runs on; the
package is a second, independent transcription of the State Council's annual notices, used to seed a
new year's block and to find typing errors in ours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .workdays import CALENDAR_FILE, calendar_file_entries

# The package's English holiday names → the names used in calendar.yaml.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节", "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节", "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
KIND_NAMES = {"holiday": "法定节假日", "workday": "调休上班"}


@dataclass(frozen=True)
class CalendarDifference:
    date: dt.date
    shipped: str | None  # 'holiday', 'workday' or None (an ordinary day in the shipped file)
    package: str | None  # the same, according to chinesecalendar

    def describe(self, ours: str = "本平台", theirs: str = "chinesecalendar ") -> str:
        def name(kind: str | None) -> str:
            return KIND_NAMES[kind] if kind else "普通日"
        return f"{self.date.isoformat()}：{ours}为{name(self.shipped)}，{theirs}为{name(self.package)}"


def package_entries(year: int) -> list[tuple[dt.date, str, str]]:
    """(date, kind, name) of `year` according to chinesecalendar; [] when it does not know the year."""
    import chinese_calendar

    rows = [(d, "holiday", HOLIDAY_NAMES.get(n, n)) for d, n in chinese_calendar.holidays.items() if d.year == year]
    rows += [(d, "workday", HOLIDAY_NAMES.get(n, n)) for d, n in chinese_calendar.workdays.items() if d.year == year]
    # The package lists only weekdays off on ordinary weekends inside a holiday block when they are part
    # of it, as the shipped file does; ordinary weekends are never listed by either.
    return sorted(rows)


def _worked(day: dt.date, kind: str | None) -> bool:
    return kind == "workday" or (kind is None and day.weekday() < 5)


def calendar_differences(year: int, path: Path = CALENDAR_FILE) -> tuple[bool, bool, list[CalendarDifference]]:
    """(the shipped file has the year, the package has it, the days on which they disagree)."""
    shipped = [row for row in calendar_file_entries(path) if row[0].year == year]
    package = package_entries(year)
    return bool(shipped), bool(package), entries_differences(shipped, package)


def entries_differences(ours: list[tuple[dt.date, str, str]], theirs: list[tuple[dt.date, str, str]]
                        ) -> list[CalendarDifference]:
    """The days on which two lists of (date, kind, name) disagree on whether the day is worked."""
    mine = {d: k for d, k, _ in ours}
    other = {d: k for d, k, _ in theirs}
    # Only a disagreement on whether the day is worked counts: a weekend one source lists inside a
    # holiday block (e.g. 2023-12-30 before 元旦 2024) and the other does not is a day off in both.
    return [CalendarDifference(d, mine.get(d), other.get(d)) for d in sorted(set(mine) | set(other))
            if _worked(d, mine.get(d)) != _worked(d, other.get(d))]


def calendar_year_yaml(year: int) -> str:
    """A calendar.yaml block for `year` from chinesecalendar, to review and paste into the file."""
    groups: dict[str, dict[str, list[dt.date]]] = {"holidays": {}, "workdays": {}}
    for day, kind, name in package_entries(year):
        groups["holidays" if kind == "holiday" else "workdays"].setdefault(name, []).append(day)
    lines = [f"{year}:"]
    for section, names in groups.items():
        if not names:
            continue
        lines.append(f"  {section}:")
        lines += [f"    {name}: [{', '.join(d.isoformat() for d in days)}]" for name, days in names.items()]
    return "\n".join(lines) + "\n"
