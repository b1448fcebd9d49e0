import pytest

from fazhi.indicators.registry import indicator_registry, indicators_load

GOOD = """\
kind: indicators
indicators:
  - code: extra_cases
    name: 额外
    unit: 件
    formula: count(people_mediation)
"""


def test_shipped_indicators_are_valid():
    loaded = indicators_load()
    assert loaded.errors == []
    assert {"mediation_cases", "mediation_success_rate", "legal_aid_cases", "review_correction_rate"} <= set(
        loaded.indicators)


@pytest.mark.parametrize(("change", "line", "fragment"), [
    (("count(people_mediation)", "count(nothing_here)"), 6, "没有代码为 nothing_here 的登记簿"),
    (("count(people_mediation)", "count(people_mediation, colour=red)"), 6, "不能按 colour 筛选"),
    (("count(people_mediation)", "count(people_mediation, outcome=won)"), 6, "没有取值 won"),
    (("count(people_mediation)", "stock(people_mediation, outcome=success)"), 6, "不能按 outcome 筛选"),
    (("count(people_mediation)", "mediation_cases + unknown_thing"), 6, "未知的指标 unknown_thing"),
    (("count(people_mediation)", "count(people_mediation"), 6, "第6个字符"),
    (("unit: 件", "unit: 件\n    kind: rate"), 3, "numerator"),
    (("code: extra_cases", "code: mediation_cases"), 3, "重复"),
])
def test_errors_name_file_and_line(extra_indicators, change, line, fragment):
    path, loaded = extra_indicators(GOOD.replace(*change))
    mine = [e for e in loaded.errors if e.path == path]
    assert mine, loaded.errors
    assert mine[0].line == line, str(mine[0])
    assert fragment in mine[0].message, str(mine[0])


def test_cycles_are_reported(extra_indicators):
    _, loaded = extra_indicators("""
        kind: indicators
        indicators:
          - {code: aa, name: 甲, unit: 件, formula: bb + 1}
          - {code: bb, name: 乙, unit: 件, formula: aa * 2}
    """)
    assert any("循环引用" in e.message for e in loaded.errors)


def test_a_good_extra_file_loads(extra_indicators):
    _, loaded = extra_indicators(GOOD)
    assert loaded.errors == [] and "extra_cases" in indicator_registry().indicators
