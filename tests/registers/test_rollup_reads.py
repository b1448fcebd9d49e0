"""RollupQuery and rollup_totals: what the engine reads of the rollups, in one grouped query per register."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.registers.rollup_reads import RollupQuery, rollup_totals

D = dt.date
Y2024 = {"start": D(2024, 1, 1), "end": D(2024, 12, 31)}
Y2023 = {"start": D(2023, 1, 1), "end": D(2023, 12, 31)}


@pytest.fixture
def cases(personas, mediation):
    mediation(personas.town, D(2024, 3, 1), outcome="success", dispute_type="neighbourhood")
    mediation(personas.town, D(2024, 5, 1), outcome="failure", subsidy="150", dispute_type="labour")
    mediation(personas.street, D(2024, 7, 1), category="police", dispute_type="neighbourhood")
    mediation(personas.street, D(2023, 12, 31), outcome="success", closed=D(2024, 1, 3), subsidy="200",
              dispute_type="labour")
    mediation(personas.town, D(2023, 6, 1), dispute_type="labour")
    return personas


def test_counts_amounts_and_stocks_per_root_subtree(cases):
    p = cases
    opened = RollupQuery("people_mediation", **Y2024)
    success = RollupQuery("people_mediation", **Y2024, filters=(("outcome", ("success",), False),))
    not_police = RollupQuery("people_mediation", **Y2024, filters=(("category", ("police",), True),))
    neighbour = RollupQuery("people_mediation", **Y2024, filters=(("dispute_type", ("neighbourhood",), False),))
    closed_amount = RollupQuery("people_mediation", **Y2024, measure="amount", basis="closed")
    open_at_end = RollupQuery("people_mediation", end=D(2024, 12, 31), measure="stock")
    queries = [opened, success, not_police, neighbour, closed_amount, open_at_end]
    got = rollup_totals(roots=[p.district.pk, p.town.pk, p.street.pk], queries=queries)
    assert got[(p.district.pk, opened)] == 3 and got[(p.town.pk, opened)] == 2 and got[(p.street.pk, opened)] == 1
    assert got[(p.district.pk, success)] == 1
    assert got[(p.district.pk, neighbour)] == 2  # a rollup dimension (dim1)
    assert got[(p.district.pk, closed_amount)] == Decimal("350.00")  # the 2023 case closed in January 2024
    assert got[(p.district.pk, open_at_end)] == 2  # never concluded: the police case and the 2023 one
    assert got[(p.town.pk, not_police)] == 2


def test_several_periods_give_the_same_numbers_as_one_period_at_a_time(cases):
    p = cases
    roots = [p.district.pk, p.town.pk]
    shapes = [{"measure": "count"}, {"measure": "amount", "basis": "closed"}, {"measure": "stock"},
              {"measure": "count", "filters": (("outcome", ("success",), False),)}]
    queries = [RollupQuery("people_mediation", **period, **shape) for period in (Y2023, Y2024) for shape in shapes]
    together = rollup_totals(roots=roots, queries=queries)  # grouped by month
    for query in queries:
        alone = rollup_totals(roots=roots, queries=[query])  # one column per query
        assert {root: together[(root, query)] for root in roots} == {root: alone[(root, query)] for root in roots}


def test_one_grouped_sql_query_per_register(cases):
    p = cases
    queries = [RollupQuery(register, **period, measure=measure)
               for register in ("people_mediation", "legal_aid")
               for period in (Y2023, Y2024) for measure in ("count", "amount", "stock")]
    with CaptureQueriesContext(connection) as captured:
        got = rollup_totals(roots=[p.district.pk, p.town.pk, p.street.pk], queries=queries)
    assert len(captured.captured_queries) == 2
    assert len(got) == 3 * len(queries)
    assert got[(p.district.pk, queries[0])] == 2  # 人民调解 opened in 2023


def test_a_root_without_rows_reads_zero(personas):
    query = RollupQuery("people_mediation", **Y2024)
    assert rollup_totals(roots=[personas.district.pk], queries=[query]) == {(personas.district.pk, query): 0}
    assert rollup_totals(roots=[], queries=[query]) == {}
