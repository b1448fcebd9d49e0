from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.checker.extract import ReportInputError
from fazhi.checker.render import render_html, render_json, render_table
from fazhi.checker.service import report_check

ALPHABET = list("0123456789０１２.．,%％一二两三四五六七八九十百千万亿零〇点分之成余多约近超以上下不足第年月日截至全年"
                "件次人名个元项场其中分别共计合（）()、，。；：“”《》\n\t 率同比增长下降上年在册接收解除实现未做到全覆盖"
                "一二三四、") + ["\r\n", "其中", "同比增长", "截至12月5日", "全覆盖", "未做到全覆盖", "二、", "（一）", "1."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(ALPHABET), max_size=200).map("".join))
def test_any_text_is_checked_or_refused_cleanly(text):
    try:
        result = report_check(text=text)
    except ReportInputError:
        return
    n = len(result.text)
    for c in result.claims:
        assert 0 <= c.start < c.end <= n and result.text[c.start:c.end] == c.text
    for f in result.findings:
        assert all(0 <= a <= b <= n for a, b in f.spans)
    ids = {c.id for c in result.claims}
    for r in result.relations:
        assert all(i in ids or i.startswith("indicator:") for i in r.claims)
    render_json(result)
    render_html(result)
    render_table(result)
