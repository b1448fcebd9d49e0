"""The platform comparison's index (issue 17 item 5) finds, for every claim, exactly the candidates — same
indicators, scores and order — that comparing the claim with every indicator value finds."""

from decimal import Decimal

from fazhi.checker.compare import (
    MATCH_SIMILARITY,
    IndicatorIndex,
    IndicatorValue,
    _negated_only_in,
    _unit,
    compare_with_indicators,
)
from fazhi.checker.relations import similarity
from fazhi.checker.service import report_check
from fazhi.indicators.registry import indicator_registry


def _every_value(claim_subject: str, claim_unit: str | None, values: list[IndicatorValue]):
    """The comparison as it was: every value scored, then sorted by score (stable)."""
    cu = _unit(claim_unit)
    found = []
    for iv in values:
        iu = _unit(iv.unit)
        if iu != cu and not (cu in ("万元", "亿元") and iu == "元") and not (cu == "成" and iu == "%"):
            continue
        if _negated_only_in(iv.name, claim_subject):
            continue
        score = similarity(claim_subject, iv.name)
        if score >= MATCH_SIMILARITY:
            found.append((score, iv))
    found.sort(key=lambda pair: -pair[0])
    return found


def _values() -> list[IndicatorValue]:
    """Every indicator fazhi defines (its real names and units), and a few written to exercise the unit
    rules (元 for 万元 claims, % for 成) and the negation rule."""
    values = [IndicatorValue(code, loaded.definition.name, Decimal(i + 1), loaded.definition.unit)
              for i, (code, loaded) in enumerate(sorted(indicator_registry().indicators.items()))]
    return values + [
        IndicatorValue("x_money", "追回欠薪金额", Decimal(12345678), "元"),
        IndicatorValue("x_share", "调解成功率", Decimal(80), "％"),
        IndicatorValue("x_refused", "不予受理案件", Decimal(3), "件"),
        IndicatorValue("x_none", "其他", Decimal(1), None),
    ]


def test_the_index_finds_what_comparing_with_every_value_finds(seed_2024, seed_2025):
    values = _values()
    index = IndicatorIndex(values)
    claims = report_check(text=seed_2024 + "\n" + seed_2025).claims
    written = [("受理案件", "件"), ("追回欠薪", "万元"), ("调解成功", "成"), ("不予受理案件", "件"), ("", "件"),
               ("其他", None), ("调解成功率", "%")]
    pairs = [(c.subject, c.unit) for c in claims] + written
    compared = 0
    for subject, unit in pairs:
        expected = _every_value(subject, unit, values)
        assert index.candidates(subject, unit) == expected, (subject, unit)
        compared += bool(expected)
    assert compared > 100  # the seeds' claims do meet indicators


def test_compare_takes_the_index_or_the_list_alike(seed_2024):
    values = _values()
    result = report_check(text=seed_2024)
    by_list = compare_with_indicators(result.claims, values, text=result.text)
    by_index = compare_with_indicators(result.claims, IndicatorIndex(values), text=result.text)
    assert [r.as_json() for r in by_list[0]] == [r.as_json() for r in by_index[0]]
    assert [f.as_json() for f in by_list[1]] == [f.as_json() for f in by_index[1]]
    assert by_list[0]


def test_units_and_negations_are_kept_apart():
    index = IndicatorIndex(_values())
    assert [iv.code for _s, iv in index.candidates("追回欠薪金额", "万元")][:1] == ["x_money"]
    assert "x_money" not in [iv.code for _s, iv in index.candidates("追回欠薪金额", "件")]
    assert "x_share" in [iv.code for _s, iv in index.candidates("调解成功率", "成")]  # ％ is %, 成 compares with %
    assert "x_share" not in [iv.code for _s, iv in index.candidates("调解成功率", "件")]
    assert "x_refused" not in [iv.code for _s, iv in index.candidates("受理案件", "件")]
    assert not IndicatorIndex([]) and IndicatorIndex(_values())
