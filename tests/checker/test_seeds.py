"""The seed reports are read at run time from ../shared/seeds; the tests skip when they are absent."""

from fazhi.checker.findings import FindingKind
from fazhi.checker.relations import RelationKind
from fazhi.checker.service import report_check

CONFIRMED_2024 = [
    "1295 = 1187 + 108", "108 = 7 + 101", "23 = 12 + 4 + 7", "103 = 98 + 3 + 1 + 1", "353 = 214 + 139",
    "60 = 9 + 51", "185 = 64 + 52 + 13 + 6 + 12 + 38",
]


def test_seed_2024_contradiction_and_partial_period(seed_2024):
    result = report_check(text=seed_2024)
    contradictions = [f for f in result.findings if f.kind is FindingKind.CONTRADICTION]
    assert len(contradictions) == 1
    spans = [result.text[a:b] for a, b in contradictions[0].spans]
    assert "全覆盖" in spans[0] and "未做到全覆盖" in spans[1]
    partial = [f for f in result.findings if f.kind is FindingKind.PARTIAL_PERIOD]
    assert len(partial) == 1 and "截至12月5日" in partial[0].message
    assert "5922件" in [result.text[a:b] for a, b in partial[0].spans]
    assert result.has_errors


def test_seed_2024_sums_and_rate_are_confirmed_not_flagged(seed_2024):
    result = report_check(text=seed_2024)
    held = [r.detail for r in result.relations if r.holds and r.kind is RelationKind.TOTAL_PARTS]
    for expected in CONFIRMED_2024:
        assert expected in held, expected
    rates = [r.detail for r in result.relations if r.holds and r.kind is RelationKind.RATE]
    assert any(d.startswith("280 / 779") and "35.9%" in d for d in rates)
    flagged = {FindingKind.SUM_MISMATCH, FindingKind.RATE_MISMATCH, FindingKind.FLOW_MISMATCH,
               FindingKind.SAME_SUBJECT_DIFFERENT_VALUE}
    assert not [f for f in result.findings if f.kind in flagged]


def test_seed_2025_repeated_heading(seed_2025):
    result = report_check(text=seed_2025)
    numbering = [f for f in result.findings if f.kind is FindingKind.NUMBERING]
    assert len(numbering) == 1
    assert [result.text[a:a + 2] for a, _ in numbering[0].spans] == ["二、", "二、"]
    assert not [f for f in result.findings if f.kind is FindingKind.SUM_MISMATCH]
