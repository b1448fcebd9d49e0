import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.periods import period_parse
from fazhi.indicators.definitions import Rounding
from fazhi.indicators.engine import _round, indicators_compute
from fazhi.indicators.errors import IndicatorErrorCode
from fazhi.indicators.selectors import indicator_ranking, indicator_trend, indicator_yoy
from fazhi.registers.services import record_move

D = dt.date
Y2024 = period_parse("2024")


def value(unit, code, period=Y2024):
    return indicators_compute(units=[unit], periods=[period], codes=[code])[(unit.pk, period.code, code)]


def test_counts_roll_up_the_org_tree(personas, mediation):
    mediation(personas.town, D(2024, 3, 1), outcome="success")
    mediation(personas.town_office, D(2024, 5, 1), outcome="failure", category="traffic")
    mediation(personas.street, D(2024, 7, 1), category="police")
    mediation(personas.street, D(2023, 12, 31), outcome="success", closed=D(2024, 1, 3))
    values = indicators_compute(units=[personas.district, personas.town, personas.street], periods=[Y2024],
                                codes=["mediation_cases", "mediation_success", "mediation_professional_cases"])
    got = {(u, c): v.value for (u, _, c), v in values.items()}
    assert got[(personas.district.pk, "mediation_cases")] == 3  # the 2023 case is not counted in 2024
    assert got[(personas.town.pk, "mediation_cases")] == 2  # the town counts its office
    assert got[(personas.street.pk, "mediation_cases")] == 1
    assert got[(personas.district.pk, "mediation_success")] == 1
    assert got[(personas.district.pk, "mediation_professional_cases")] == 2


def test_rate_carries_numerator_and_denominator(personas, mediation):
    for outcome in ["success", "success", "failure", None]:
        mediation(personas.town, D(2024, 4, 1), outcome=outcome)
    rate = value(personas.district, "mediation_success_rate")
    assert (rate.numerator, rate.denominator, rate.value) == (Decimal(2), Decimal(4), Decimal("50.0"))
    assert rate.as_dict()["numerator"] == 2.0


def test_missing_denominator_gives_no_value_not_zero(personas):
    rate = value(personas.district, "mediation_success_rate")
    assert rate.value is None and rate.denominator == 0


def test_closed_basis_counts_by_month_of_closure_and_stock_by_period_end(personas, mediation):
    mediation(personas.town, D(2023, 12, 20), outcome="success", closed=D(2024, 1, 5), subsidy="200")
    mediation(personas.town, D(2024, 12, 20))  # still open at the end of 2024
    mediation(personas.town, D(2024, 6, 1), outcome="success", closed=D(2025, 1, 2))  # open at end of 2024
    assert value(personas.district, "mediation_subsidy").value == Decimal("200.00")
    assert value(personas.district, "mediation_open_at_end").value == 2
    assert value(personas.district, "mediation_open_at_end", period_parse("2023")).value == 1
    assert value(personas.district, "mediation_open_at_end", period_parse("2025")).value == 1


def test_filters_on_rollup_dimensions_and_negation(personas):
    from fazhi.registers.registry import register_definition
    from tests.registers.driving import create_sample

    legal_aid = register_definition("legal_aid")
    for service, wage, case_type in [("duty_lawyer", False, "criminal"), ("aid_case", True, "civil"),
                                     ("aid_case", False, "criminal"), ("aid_case", False, "criminal")]:
        create_sample(legal_aid, user=None, unit=personas.justice_bureau, opened_on=D(2024, 2, 1),
                      payload={"applied_on": D(2024, 2, 1), "source": "application", "service_type": service,
                               "wage_claim": wage, "case_type": case_type})
    assert value(personas.district, "legal_aid_plea_leniency").value == 1
    assert value(personas.district, "legal_aid_wage_cases").value == 1
    assert value(personas.district, "legal_aid_criminal").value == 2  # the duty-lawyer help is not a case
    assert value(personas.district, "legal_aid_cases").value == 3


@pytest.mark.parametrize(("exact", "decimals", "rounding", "expected"), [
    (Decimal(4122) / Decimal(4125) * 100, 0, Rounding.TRUNCATE, Decimal("99")),
    (Decimal(4122) / Decimal(4125) * 100, 0, Rounding.ROUND, Decimal("100")),
    (Decimal(4122) / Decimal(4125) * 100, 2, Rounding.ROUND, Decimal("99.93")),
    (Decimal("35.8974"), 1, Rounding.ROUND, Decimal("35.9")),
    (Decimal("99.695"), 2, Rounding.ROUND, Decimal("99.70")),
    (Decimal("99.695"), 2, Rounding.TRUNCATE, Decimal("99.69")),
    (Decimal("-2.55"), 1, Rounding.ROUND, Decimal("-2.6")),
    (Decimal("-2.55"), 1, Rounding.TRUNCATE, Decimal("-2.5")),
])
def test_rounding_modes(exact, decimals, rounding, expected):
    assert _round(exact, decimals, rounding) == expected


def test_truncating_rate_defined_in_a_file(personas, mediation, extra_indicators):
    extra_indicators("""
        kind: indicators
        indicators:
          - code: t_rate
            name: 截尾比率
            unit: "%"
            kind: rate
            numerator: count(people_mediation, outcome=success)
            denominator: count(people_mediation)
            rounding: truncate
          - code: r_rate
            name: 四舍五入比率
            unit: "%"
            kind: rate
            numerator: count(people_mediation, outcome=success)
            denominator: count(people_mediation)
    """)
    for i in range(3):
        mediation(personas.town, D(2024, 1, 10 + i), outcome="success" if i < 2 else None)
    values = indicators_compute(units=[personas.district], periods=[Y2024], codes=["t_rate", "r_rate"])
    assert values[(personas.district.pk, "2024", "t_rate")].value == Decimal("66")
    assert values[(personas.district.pk, "2024", "r_rate")].value == Decimal("67")


def test_prev_year_across_year_end_for_months_and_quarters(personas, mediation):
    mediation(personas.town, D(2023, 1, 15))
    mediation(personas.town, D(2024, 1, 10))
    mediation(personas.town, D(2024, 1, 20))
    january = value(personas.district, "mediation_cases_yoy", period_parse("2024-01"))
    assert january.value == Decimal("100.0")
    quarter = value(personas.district, "mediation_cases_yoy", period_parse("2024Q1"))
    assert quarter.value == Decimal("100.0")
    yoy = indicator_yoy(unit=personas.district, period=period_parse("2024-01"), code="mediation_cases")
    assert (yoy.current, yoy.previous, yoy.percent, yoy.phrase) == (2, 1, Decimal("100.0"), "同比增长100.0%")
    assert value(personas.district, "mediation_cases_yoy", period_parse("2023-01")).value is None  # 2022 had none


def test_yoy_of_a_rate_is_in_percentage_points(personas, mediation):
    mediation(personas.town, D(2023, 5, 1), outcome="success")
    mediation(personas.town, D(2023, 5, 2), outcome="failure")
    for outcome in ["success", "success", "success", "failure"]:
        mediation(personas.town, D(2024, 5, 1), outcome=outcome)
    yoy = indicator_yoy(unit=personas.district, period=Y2024, code="mediation_success_rate")
    assert (yoy.current, yoy.previous, yoy.points) == (Decimal("75.0"), Decimal("50.0"), Decimal("25.0"))
    assert yoy.phrase == "同比提高25.0个百分点"


def test_moving_a_record_moves_its_counts(personas, mediation):
    record = mediation(personas.town, D(2024, 2, 1), outcome="success")
    record_move(acting_user=None, record=record, org_unit=personas.street)
    assert value(personas.town, "mediation_cases").value == 0
    assert value(personas.street, "mediation_cases").value == 1
    assert value(personas.district, "mediation_cases").value == 1


def test_moving_a_unit_moves_its_subtree_counts(personas, mediation):
    from fazhi.core.services import orgunit_move

    mediation(personas.town_office, D(2024, 2, 1))
    orgunit_move(acting_user=None, unit=personas.town_office, new_parent=personas.street)
    assert value(personas.town, "mediation_cases").value == 0
    assert value(personas.street, "mediation_cases").value == 1
    assert value(personas.district, "mediation_cases").value == 1


def test_ranking_with_ties_minimum_count_and_population(personas, mediation):
    from fazhi.core.models import OrgUnitKind
    from fazhi.core.services import orgunit_create

    extra = orgunit_create(acting_user=None, name="章党镇", kind=OrgUnitKind.TOWN, parent=personas.district,
                           population=10000)
    small = orgunit_create(acting_user=None, name="小镇", kind=OrgUnitKind.TOWN, parent=personas.district)
    for unit, n in [(personas.town, 3), (personas.street, 3), (extra, 2), (small, 1)]:
        for i in range(n):
            mediation(unit, D(2024, 3, 1 + i))
    rows = indicator_ranking(parent=personas.district, period=Y2024, code="mediation_cases", min_count=2)
    ranks = {r.unit.name: (r.rank, r.excluded) for r in rows}
    assert ranks["哈达镇"] == (1, "") and ranks["新屯街道"] == (1, "")  # a tie shares the rank
    assert ranks["章党镇"] == (3, "")  # competition ranking: 1, 1, 3
    assert ranks["小镇"] == (None, "基数不足2")
    assert "区司法局" not in ranks  # a department is not ranked among the towns and streets
    per_capita = indicator_ranking(parent=personas.district, period=Y2024, code="mediation_cases",
                                   per_population=True, min_count=2)
    by_name = {r.unit.name: r for r in per_capita}
    assert by_name["章党镇"].rank == 1 and by_name["章党镇"].value == Decimal("20.0")  # 2 per 10,000 people
    assert by_name["哈达镇"].value == Decimal("14.3")  # 3 per 21,000 people
    assert by_name["新屯街道"].rank == 3


def test_ranking_leaves_out_units_without_data_and_other_kinds(personas, mediation):
    """The screen defect: ~50 units, departments among them, all 1st at 0."""
    from fazhi.core.models import OrgUnitKind
    from fazhi.core.services import orgunit_create
    from fazhi.indicators.selectors import ranking_families

    for name in ("区保密局", "区档案局"):
        orgunit_create(acting_user=None, name=name, kind=OrgUnitKind.DEPARTMENT, parent=personas.district)
    mediation(personas.street, D(2024, 3, 1))
    assert ranking_families(parent=personas.district, code="mediation_cases") == ["department", "town"]
    rows = indicator_ranking(parent=personas.district, period=Y2024, code="mediation_cases", family="town")
    ranks = {r.unit.name: (r.rank, r.excluded) for r in rows}
    assert ranks == {"新屯街道": (1, ""), "哈达镇": (None, "无数据")}  # no case at all: not ranked at 0
    departments = indicator_ranking(parent=personas.district, period=Y2024, code="mediation_cases",
                                    family="department")
    assert {r.unit.name for r in departments} == {"区司法局", "区保密局", "区档案局"}
    assert all(r.rank is None and r.excluded == "无数据" for r in departments)


def test_trend_has_twelve_months(personas, mediation):
    mediation(personas.town, D(2024, 3, 5))
    mediation(personas.town, D(2024, 3, 25))
    trend = indicator_trend(unit=personas.district, year=2024, code="mediation_cases")
    assert [v.value for v in trend][:4] == [0, 0, 2, 0] and len(trend) == 12


def _case_file(unit, opened, reviewer=None, kind="lawyer", scored=None, case_kind="penalty"):
    """An 案卷评查 record (its rollup field: the reviewer), scored on `scored` if given."""
    from fazhi.registers.services import record_create, record_transition

    payload = {"drawn_on": opened, "department": unit.pk, "case_number": f"卷-{opened}-{reviewer}",
               "case_kind": case_kind}
    if reviewer:
        payload.update(reviewer=reviewer, reviewer_kind=kind)
    record = record_create(acting_user=None, register="enforcement_case_review", org_unit=unit,
                           external_id=f"R-{opened}-{reviewer}-{unit.pk}", payload=payload, opened_on=opened)
    if scored:
        record = record_transition(acting_user=None, record=record, transition="assign", on_date=opened,
                                   fields={"reviewer": reviewer, "reviewer_kind": kind})
        record = record_transition(acting_user=None, record=record, transition="score", on_date=scored,
                                   fields={"score": "90"}, outcome="qualified")
    return record


def test_distinct_counts_the_values_of_a_rollup_field(personas, extra_indicators):
    from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild

    _, loaded = extra_indicators("""
        kind: indicators
        indicators:
          - {code: d_reviewers, name: 评查人数, unit: 名, formula: "distinct(enforcement_case_review, field=reviewer)"}
          - code: d_lawyers
            name: 评查律师（行政处罚案卷）
            unit: 名
            formula: "distinct(enforcement_case_review, field=reviewer, category=lawyer, case_kind__not=licence)"
          - {code: d_closed, name: 按评定, unit: 名, formula: "distinct(enforcement_case_review, field=reviewer, basis=closed)"}
          - {code: d_open, name: 期末在评, unit: 名, formula: "distinct(enforcement_case_review, field=reviewer, basis=open)"}
          - {code: d_prev, name: 上年评查人, unit: 名, formula: "prev(d_reviewers)"}
          - {code: c_jia, name: 甲评查的案卷, unit: 本, formula: "count(enforcement_case_review, reviewer=甲)"}
    """)
    assert loaded.errors == []
    _case_file(personas.town, D(2024, 3, 1), "甲", scored=D(2024, 3, 20))
    _case_file(personas.town_office, D(2024, 4, 1), "甲")
    _case_file(personas.street, D(2024, 5, 1), "乙", kind="staff", scored=D(2024, 5, 10))
    _case_file(personas.street, D(2024, 6, 1))  # no reviewer yet: not counted
    _case_file(personas.town, D(2023, 12, 30), "丙", kind="expert", scored=D(2024, 1, 2))
    _case_file(personas.town, D(2024, 7, 1), "丁", case_kind="licence")
    codes = ["d_reviewers", "d_lawyers", "d_closed", "d_open", "d_prev", "c_jia"]
    values = indicators_compute(units=[personas.district, personas.town], periods=[Y2024], codes=codes)
    got = {(u, c): v.value for (u, _, c), v in values.items()}
    district, town = personas.district.pk, personas.town.pk
    assert got[(district, "d_reviewers")] == 3  # 甲 twice, 乙, 丁; 丙's file was drawn in 2023
    assert got[(town, "d_reviewers")] == 2  # the town (with its office) sees 甲 and 丁
    assert got[(district, "d_lawyers")] == 1  # 甲 (丁's file is a licence)
    assert got[(district, "d_closed")] == 3  # 甲, 乙 and 丙 scored in 2024
    assert got[(district, "d_open")] == 2  # 甲's second file and 丁's are still being reviewed
    assert got[(district, "d_prev")] == 1  # 丙
    assert got[(district, "c_jia")] == 2
    # Months folded for several periods give the same as one period at a time.
    years = indicators_compute(units=[personas.district], periods=[period_parse("2023"), Y2024], codes=codes)
    assert years[(district, "2024", "d_open")].value == 2 and years[(district, "2023", "d_reviewers")].value == 1
    # Kept on write and rebuilt from the records alike.
    incremental = rollup_snapshot(registers=["enforcement_case_review"])
    assert any(key.field == "reviewer" for key in incremental)
    rollups_rebuild(registers=["enforcement_case_review"])
    assert rollup_snapshot(registers=["enforcement_case_review"]) == incremental


@pytest.mark.parametrize(("formula", "message"), [
    ("distinct(enforcement_case_review, field=problems)", "须列入登记簿的 rollup_fields"),
    ("distinct(enforcement_case_review, field=nobody)", "没有字段 nobody"),
    ("count(enforcement_case_review, summary=x)", "不能按 summary 筛选"),
    ("count(resettlement, mentored=true, placement=employment)", "不能按 placement 筛选"),
    ("distinct(enforcement_case_review, field=reviewer, reviewer=甲)", "只能用一个汇总字段"),
])
def test_rollup_field_terms_are_checked(extra_indicators, formula, message):
    _, loaded = extra_indicators(f"""
        kind: indicators
        indicators:
          - {{code: bad, name: 错, unit: 名, formula: "{formula}"}}
    """)
    assert any(message in e.message for e in loaded.errors), [e.message for e in loaded.errors]


@pytest.mark.parametrize(("formula", "code"), [
    ("distinct(people_mediation)", IndicatorErrorCode.FORMULA_FIELD_REQUIRED),
    ("count(people_mediation, basis=open)", IndicatorErrorCode.FORMULA_BASIS_INVALID),
])
def test_distinct_formula_errors(formula, code):
    from fazhi.indicators.formulas import FormulaError, formula_parse

    with pytest.raises(FormulaError) as err:
        formula_parse(formula)
    assert err.value.code == code


def test_rank_indicator_is_the_place_among_the_parents_units(personas, mediation, extra_indicators):
    from fazhi.core.models import OrgUnitKind
    from fazhi.core.services import orgunit_create

    extra_indicators("""
        kind: indicators
        indicators:
          - {code: r_cases, name: 调解案件, unit: 件, formula: count(people_mediation), levels: [town, street]}
          - {code: r_rank, name: 人均调解排名, unit: 位, kind: rank, formula: r_cases, per_population: true,
             levels: [town, street, district]}
          - {code: r_rank_asc, name: 调解少者排名, unit: 位, kind: rank, formula: r_cases, descending: false}
    """)
    extra = orgunit_create(acting_user=None, name="章党镇", kind=OrgUnitKind.TOWN, parent=personas.district,
                           population=10000)
    for unit, n in [(personas.town, 3), (personas.street, 1), (extra, 2)]:
        for i in range(n):
            mediation(unit, D(2024, 3, 1 + i))
    values = indicators_compute(units=[personas.town, personas.street, extra, personas.district], periods=[Y2024],
                                codes=["r_rank", "r_rank_asc"])
    got = {(u, c): v.value for (u, _, c), v in values.items()}
    # per 100,000 residents: 章党镇 20000, 哈达镇 3 per 21,000 = 14285.7, 新屯街道 below both
    assert got[(extra.pk, "r_rank")] == 1
    assert values[(extra.pk, "2024", "r_rank")].denominator == 3  # of the three units ranked
    assert got[(personas.town.pk, "r_rank")] == 2
    assert got[(personas.street.pk, "r_rank")] == 3
    assert got[(personas.district.pk, "r_rank")] is None  # 东洲区 has no sibling with the indicator's level
    assert got[(personas.street.pk, "r_rank_asc")] == 1  # fewest cases first


def test_rank_formula_must_name_one_indicator(extra_indicators):
    _, loaded = extra_indicators("""
        kind: indicators
        indicators:
          - {code: r_bad, name: 错, unit: 位, kind: rank, formula: "count(people_mediation) * 2"}
    """)
    assert any("排名指标的 formula 只能是" in e.message for e in loaded.errors)


def test_sum_of_a_number_field_other_than_the_amount_column(personas, extra_indicators):
    from fazhi.registers.registry import register_definition
    from tests.registers.driving import create_sample

    _, first = extra_indicators("""
        kind: indicators
        indicators:
          - {code: s_due, name: 拖欠金额, unit: 元, formula: "sum(business_commitment, field=amount_due, category=arrears)"}
          - {code: s_settled, name: 已清偿, unit: 元, formula: "sum(business_commitment, category=arrears)"}
    """)
    assert first.errors == []
    definition = register_definition("business_commitment")
    for kind, due, settled in [("arrears", "1000.50", "400.00"), ("arrears", "99.50", None), ("commitment", "7", None)]:
        create_sample(definition, user=None, unit=personas.town, opened_on=D(2024, 5, 6),
                      payload={"kind": kind, "amount_due": due, **({"amount_settled": settled} if settled else {})})
    create_sample(definition, user=None, unit=personas.town, opened_on=D(2023, 5, 6),
                  payload={"kind": "arrears", "amount_due": "5000"})  # another year
    values = indicators_compute(units=[personas.district], periods=[Y2024], codes=["s_due", "s_settled"])
    assert values[(personas.district.pk, "2024", "s_due")].value == Decimal("1100")
    assert values[(personas.district.pk, "2024", "s_settled")].value == Decimal("400")
    _, loaded = extra_indicators("""
        kind: indicators
        indicators:
          - {code: s_bad, name: 错, unit: 元, formula: "sum(enforcement_case_review, field=reviewer)"}
    """)
    assert any("reviewer 不是数字" in e.message for e in loaded.errors), [e.message for e in loaded.errors]
