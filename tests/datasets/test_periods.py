import datetime as dt

import pytest

from fazhi.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31), "2024年"),
        ("2024Q1", dt.date(2024, 1, 1), dt.date(2024, 3, 31), "2024年第一季度"),
        ("2024q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "2024年第四季度"),
        ("2024-03", dt.date(2024, 3, 1), dt.date(2024, 3, 31), "2024年3月"),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024年2月"),
    ],
)
def test_parse(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert Period.parse(period.key) == period


@pytest.mark.parametrize("text", ["", "24", "2024Q5", "2024-13"])
def test_parse_refuses(text):
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_starting_and_previous():
    assert Period.starting("quarter", dt.date(2024, 4, 1)) == Period.parse("2024Q2")
    with pytest.raises(PeriodError):
        Period.starting("year", dt.date(2024, 3, 1))
    assert Period.parse("2024-01").previous() == Period.parse("2023-12")
    assert Period.parse("2024").previous() == Period.parse("2023")
