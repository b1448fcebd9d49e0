"""The checker page's annotated text: the segments rebuild the text exactly, figures and the places findings
quote are marked, relations say whether they held, and each finding lists its quotes."""

from __future__ import annotations

from fazhi.checker.annotate import annotate
from fazhi.checker.findings import FindingKind
from fazhi.checker.service import report_check

TEXT = "一、主要举措和成效\n全年共受理纠纷100件，其中调解成功60件、调解不成功30件。\n开展普法宣传12次。\n"


def test_segments_rebuild_the_text_and_mark_figures_relations_and_findings():
    result = report_check(text=TEXT)
    annotation = annotate(result)
    assert "".join(s.text for s in annotation.segments) == result.text
    figures = {s.text: s for s in annotation.segments if s.claim}
    assert {"100件", "60件", "30件", "12次"} <= set(figures)
    assert figures["100件"].related == "fails" and "claim" in figures["100件"].classes
    assert figures["12次"].related == "" and not figures["12次"].findings  # a figure nothing relates
    [sum_index] = [i for i, f in enumerate(result.findings) if f.kind is FindingKind.SUM_MISMATCH]
    flagged = [s for s in annotation.segments if sum_index in s.findings]
    assert flagged and all("flagged" in s.classes for s in flagged)
    assert "100件" in "".join(s.text for s in flagged)
    finding = annotation.findings[sum_index]
    assert finding.kind_label == "合计不符" and finding.quotes
    anchors = {a for s in annotation.segments for a in s.anchors}
    assert all(q.anchor in anchors and q.shown for q in finding.quotes)
    assert any("100" in q.text for q in finding.quotes)


def test_a_long_text_is_annotated_up_to_the_limit_and_quotes_beyond_it_are_not_linked():
    text = "开展普法宣传12次。\n" * 50 + "全年共受理纠纷100件，其中调解成功60件、调解不成功30件。\n"
    result = report_check(text=text)
    annotation = annotate(result, max_chars=200)
    assert annotation.truncated
    assert "".join(s.text for s in annotation.segments) == result.text[:200]
    sums = [f for f in annotation.findings if f.kind == "sum_mismatch"]
    assert sums and not any(q.shown for q in sums[0].quotes)
