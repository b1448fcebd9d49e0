import datetime as dt
from decimal import Decimal

from fazhi.core.periods import period_parse
from fazhi.indicators.registry import indicator
from fazhi.indicators.rules import RuleOutcome, rules_check

Y2024 = period_parse("2024")


def test_shipped_rules_pass_on_consistent_records(personas, mediation):
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success", category="traffic")
    results = rules_check(units=[personas.district], period=Y2024)
    by_code = {r.code: r for r in results}
    assert by_code["mediation_success_not_above_cases"].outcome == RuleOutcome.PASSED
    assert by_code["mediation_professional_parts"].outcome == RuleOutcome.PASSED


def test_violation_says_which_unit_period_and_sides(personas, mediation, extra_indicators):
    extra_indicators("""
        kind: indicators
        rules:
          - code: at_least_three
            name: 受理不少于三件
            left: mediation_cases
            op: ">="
            right: 3
            importance: warning
    """)
    mediation(personas.town, dt.date(2024, 3, 1))
    [result] = rules_check(units=[personas.town], period=Y2024, codes=["at_least_three"])
    assert result.outcome == RuleOutcome.VIOLATED
    assert (result.left, result.right, result.importance) == (Decimal(1), Decimal(3), "warning")
    name = indicator("mediation_cases").definition.name
    assert result.message == f"哈达镇2024年“受理不少于三件”不成立：{name}为1，应不少于3"
    assert "左边" not in result.message and "mediation_cases" not in result.message


def test_rule_with_missing_value_is_not_a_violation(personas, extra_indicators):
    extra_indicators("""
        kind: indicators
        rules:
          - code: entered_equals_records
            name: 报送的调解件数等于登记的案件数
            left: value(legal_publicity.events)
            op: "="
            right: mediation_cases
    """)
    [result] = rules_check(units=[personas.district], period=Y2024, codes=["entered_equals_records"])
    assert result.outcome == RuleOutcome.MISSING and result.left is None
    # Which figure lacks data, in words: the data set and element names, not the formula or 左边.
    assert result.message.startswith("东洲区2024年“报送的调解件数等于登记的案件数”无法核对：")
    assert result.message.endswith("暂无数据")
    assert "左边" not in result.message and "value(" not in result.message and "legal_publicity" not in result.message


def test_rule_with_division_by_zero_is_missing(personas, extra_indicators):
    extra_indicators("""
        kind: indicators
        rules:
          - code: ratio_rule
            name: 比例不超过一
            left: mediation_success / mediation_cases
            op: "<="
            right: 1
    """)
    [result] = rules_check(units=[personas.district], period=Y2024, codes=["ratio_rule"])
    assert result.outcome == RuleOutcome.MISSING


def test_rules_over_given_values_as_a_snapshot_holds_them(personas, extra_indicators):
    from fazhi.indicators.rules import rules_check_values

    extra_indicators("""
        kind: indicators
        rules:
          - {code: success_within_cases, name: 成功不超过受理, left: mediation_success, op: "<=", right: mediation_cases}
          - {code: with_raw_data, name: 受理等于登记, left: mediation_cases, op: "=", right: count(people_mediation)}
          - {code: with_last_year, name: 不少于上年, left: mediation_cases, op: ">=", right: prev(mediation_cases)}
    """)
    codes = ["success_within_cases", "with_raw_data", "with_last_year"]
    values = {"mediation_success": Decimal(5), "mediation_cases": Decimal(4)}
    results = {r.code: r for r in rules_check_values(unit=personas.district, period=Y2024, values=values, codes=codes)}
    assert results["success_within_cases"].outcome == RuleOutcome.VIOLATED
    assert (results["success_within_cases"].left, results["success_within_cases"].right) == (5, 4)
    # What the values do not hold (raw data, another year) leaves the rule undecided, never violated.
    assert results["with_raw_data"].outcome == RuleOutcome.MISSING
    assert results["with_last_year"].outcome == RuleOutcome.MISSING
    values["mediation_success"] = Decimal(4)
    [ok] = rules_check_values(unit=personas.district, period=Y2024, values=values, codes=["success_within_cases"])
    assert ok.outcome == RuleOutcome.PASSED
