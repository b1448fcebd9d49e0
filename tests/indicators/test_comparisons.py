"""同比: one definition (comparisons.year_on_year) for formulas (yoy()), the pages and the report."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.core.periods import period_parse
from fazhi.indicators.comparisons import year_on_year, yoy_from_values, yoy_words
from fazhi.indicators.engine import indicators_compute

D = dt.date


@pytest.mark.parametrize(("current", "previous", "rate", "expected"), [
    (Decimal(270), Decimal(241), False, Decimal(29) / Decimal(241) * 100),
    (Decimal(0), Decimal(5), False, Decimal(-100)),  # a real fall to zero
    (Decimal(5), Decimal(0), False, None),  # no base: no percent
    (Decimal(5), None, False, None),  # the previous year is missing: 暂无数据, never −100%
    (None, Decimal(5), False, None),
    (Decimal("99.7"), Decimal("98.5"), True, Decimal("1.2")),  # a rate: 个百分点
    (Decimal("50"), Decimal("0"), True, Decimal("50")),
    (None, Decimal("50"), True, None),
])
def test_year_on_year(current, previous, rate, expected):
    assert year_on_year(current, previous, rate=rate) == expected


@pytest.mark.parametrize(("change", "points", "words"), [
    (Decimal("12"), False, "增长12%"), (Decimal("-3.5"), False, "下降3.5%"), (Decimal("0.0"), False, "持平"),
    (Decimal("2.3"), True, "提高2.3个百分点"), (Decimal("-0.4"), True, "下降0.4个百分点"), (Decimal(0), True, "持平"),
])
def test_yoy_words(change, points, words):
    assert yoy_words(change, points=points) == words


def test_the_yoy_formula_is_the_percent_change_of_the_exact_values(personas, mediation, extra_indicators):
    extra_indicators("""
        kind: indicators
        indicators:
          - {code: y_cases, name: 案件, unit: 件, formula: count(people_mediation)}
          - {code: y_yoy, name: 案件同比, unit: "%", formula: yoy(y_cases), decimals: 3}
          - {code: y_by_hand, name: 案件同比（算式）, unit: "%", formula: "(y_cases - prev(y_cases)) / prev(y_cases) * 100",
             decimals: 3}
          - code: y_rate
            name: 调解成功率
            unit: "%"
            kind: rate
            numerator: count(people_mediation, outcome=success)
            denominator: y_cases
          - {code: y_rate_yoy, name: 成功率同比, unit: 个百分点, formula: yoy(y_rate), decimals: 2}
    """)
    for day, outcome in [(D(2023, 3, 1), "success"), (D(2023, 4, 1), None), (D(2023, 5, 1), None),
                         (D(2024, 3, 1), "success"), (D(2024, 4, 1), "success"), (D(2024, 5, 1), None),
                         (D(2024, 6, 1), None)]:
        mediation(personas.town, day, outcome=outcome)
    periods = [period_parse("2024"), period_parse("2023")]
    values = indicators_compute(units=[personas.district], periods=periods,
                                codes=["y_yoy", "y_by_hand", "y_rate_yoy"])
    now = {code: values[(personas.district.pk, "2024", code)] for code in ("y_yoy", "y_by_hand", "y_rate_yoy")}
    assert now["y_yoy"].exact == now["y_by_hand"].exact == Decimal(1) / Decimal(3) * 100
    assert now["y_yoy"].value == Decimal("33.333")
    assert now["y_rate_yoy"].value == Decimal("16.67")  # 50% − 33.33…%, in 个百分点
    # 2022 has no cases: no base, so no value (not −100%, not an error)
    assert values[(personas.district.pk, "2023", "y_yoy")].value is None


def test_pages_phrase_from_the_same_definition(personas, mediation):
    mediation(personas.town, D(2023, 3, 1))
    for day in (D(2024, 3, 1), D(2024, 4, 1), D(2024, 5, 1)):
        mediation(personas.town, day)
    values = indicators_compute(units=[personas.district], periods=[period_parse("2024"), period_parse("2023"),
                                                                     period_parse("2022")],
                                codes=["mediation_cases", "mediation_cases_yoy"])
    at = {p: values[(personas.district.pk, p, "mediation_cases")] for p in ("2024", "2023", "2022")}
    yoy = yoy_from_values("mediation_cases", at["2024"], at["2023"])
    assert yoy.percent == values[(personas.district.pk, "2024", "mediation_cases_yoy")].value == Decimal("200.0")
    assert yoy.phrase == "同比增长200.0%"
    assert yoy_from_values("mediation_cases", at["2023"], at["2022"]).phrase == "暂无数据"  # 2022: none
    assert yoy_from_values("mediation_cases", at["2024"], None).phrase == "暂无数据"


def test_a_rank_is_one_more_pass_not_one_per_unit(personas, mediation, extra_indicators):
    from fazhi.core.models import OrgUnitKind
    from fazhi.core.services import orgunit_create

    extra_indicators("""
        kind: indicators
        indicators:
          - {code: r_cases, name: 调解案件, unit: 件, formula: count(people_mediation), levels: [town, street]}
          - {code: r_rank, name: 调解排名, unit: 位, kind: rank, formula: r_cases, levels: [town, street]}
    """)
    towns = [orgunit_create(acting_user=None, name=f"镇{i}", kind=OrgUnitKind.TOWN, parent=personas.district)
             for i in range(4)]
    for i, town in enumerate(towns):
        for day in range(i + 1):
            mediation(town, D(2024, 3, 1 + day))
    periods = [period_parse("2024")]

    def queries(units):
        with CaptureQueriesContext(connection) as captured:
            values = indicators_compute(units=units, periods=periods, codes=["r_rank"])
        return len(captured.captured_queries), values

    one, _ = queries(towns[:1])
    many, values = queries([*towns, personas.town, personas.street])
    assert one == many  # parents, siblings, and one grouped rollup query per pass
    assert [values[(t.pk, "2024", "r_rank")].value for t in towns] == [4, 3, 2, 1]
    # 哈达镇 and 新屯街道 have no case at all: not ranked (not tied last at 0)
    assert values[(towns[0].pk, "2024", "r_rank")].denominator == 4
