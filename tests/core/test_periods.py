import datetime as dt

import pytest

from fazhi.core.errors import CoreErrorCode
from fazhi.core.periods import PeriodError, PeriodType, period_parse


@pytest.mark.parametrize(("text", "start", "end", "label"), [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024年"),
    ("2024年", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024年"),
    ("2024q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024年第一季度"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024年2月"),
    ("2025YTD09", dt.date(2025, 1, 1), dt.date(2025, 9, 30), "2025年1—9月"),
])
def test_parse(text, start, end, label):
    period = period_parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period_parse(period.code) == period


def test_previous_year_across_leap_day():
    assert period_parse("2024-02").shifted_years(-1).end == dt.date(2023, 2, 28)
    assert period_parse("2024Q4").shifted_years(-1).start == dt.date(2023, 10, 1)
    assert period_parse("2024").shifted_years(-1).type == PeriodType.YEAR


def test_months():
    assert [m.month for m in period_parse("2024Q2").months()] == [4, 5, 6]
    assert len(period_parse("2024").months()) == 12


@pytest.mark.parametrize("bad", ["24", "2024Q5", "2024-13", "明年", ""])
def test_bad_period(bad):
    with pytest.raises(PeriodError) as err:
        period_parse(bad)
    assert err.value.code == CoreErrorCode.PERIOD_INVALID
