"""The indicators page computes its values and rules in one engine pass (issue 17 item 3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.periods import period_parse
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.rules import rules_check
from fazhi.indicators.selectors import indicator_page_figures

pytestmark = pytest.mark.django_db

Y = period_parse("2024")


@pytest.fixture
def figures(personas, mediation):
    mediation(personas.town, dt.date(2023, 5, 2), outcome="success", closed=dt.date(2023, 5, 20))
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success", closed=dt.date(2024, 3, 9))
    mediation(personas.town, dt.date(2024, 4, 1), outcome="failure", closed=dt.date(2024, 4, 10))
    mediation(personas.street, dt.date(2024, 6, 1))
    return personas


def _rollup_reads(captured) -> int:
    return sum("registers_recordrollup" in q["sql"] for q in captured.captured_queries)


def test_one_pass_gives_the_same_values_and_rules(figures):
    for unit in (figures.district, figures.town):
        values, rules = indicator_page_figures(unit=unit, period=Y)
        assert values == indicators_compute(units=[unit], periods=[Y, Y.shifted_years(-1)])
        assert rules == rules_check(units=[unit], period=Y)
        assert any(v.value for v in values.values())  # real figures, not all empty


def test_one_pass_reads_the_rollups_once(figures):
    unit = figures.district
    with CaptureQueriesContext(connection) as before:
        indicators_compute(units=[unit], periods=[Y, Y.shifted_years(-1)])
        rules_check(units=[unit], period=Y)
    with CaptureQueriesContext(connection) as values_only:
        indicators_compute(units=[unit], periods=[Y, Y.shifted_years(-1)])
    with CaptureQueriesContext(connection) as now:
        indicator_page_figures(unit=unit, period=Y)
    # the rules add nothing to the values' reads (their terms join the same grouped queries)
    assert _rollup_reads(now) == _rollup_reads(values_only) < _rollup_reads(before)
    assert len(now) < len(before)


def test_the_page_reads_the_rollups_once_and_shows_the_figures(client, figures):
    client.force_login(figures.district_admin)
    url = reverse("web:indicators")
    with CaptureQueriesContext(connection) as page_queries:
        page = client.get(url, {"unit": figures.district.pk, "period": "2024"}).content.decode()
    with CaptureQueriesContext(connection) as values_only:
        indicators_compute(units=[figures.district], periods=[Y, Y.shifted_years(-1)])
    assert _rollup_reads(page_queries) == _rollup_reads(values_only)
    assert "受理纠纷案件" in page and "3件" in page
