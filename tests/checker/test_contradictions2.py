"""Contradictions with both quotes: the title's year against a heading's, 无上年结转 against 含上年度结转,
and national documents cited with a wrong title or year range (the list is national_documents.yaml)."""

from fazhi.checker.citations import check_citations, documents
from fazhi.checker.findings import FindingKind
from fazhi.checker.service import report_check


def found(text, kind):
    result = report_check(text=text)
    return [(f.message, [result.text[a:b] for a, b in f.spans]) for f in result.findings if f.kind is kind]


def test_heading_with_last_years_year():
    text = ("某县2025年法治政府建设情况报告\n一、2024年推进法治政府建设的主要举措和成效\n全年完成任务。\n"
            "二、2026年工作安排\n继续推进。\n")
    [(message, quotes)] = found(text, FindingKind.CONTRADICTION)
    assert quotes == ["2025年", "2024年"] and "2024年推进" in message


def test_headings_that_may_name_other_years():
    text = ("某县2025年法治政府建设情况报告\n一、2025年主要举措\n全年完成任务。\n二、2024年督察反馈问题整改情况\n"
            "已整改。\n三、2026年工作安排\n继续推进。\n四、2021年以来的总体进展\n稳步推进。\n")
    assert found(text, FindingKind.CONTRADICTION) == []


def test_carry_over_stated_both_ways():
    text = "全年新收行政复议案件86件，无上年结转案件。\n……\n全年审结行政复议案件90件（含上年度结转4件）。"
    [(message, quotes)] = found(text, FindingKind.CONTRADICTION)
    assert quotes == ["无上年结转", "含上年度结转"] and "上年结转" in message
    consistent = "全年新收案件86件，无上年结转案件，审结80件。"
    assert found(consistent, FindingKind.CONTRADICTION) == []


def test_national_document_with_wrong_year_range_or_title():
    text = "深入贯彻《法治政府建设实施纲要（2020－2025年）》，落实《重大行政决策程序条例》。"
    got = found(text, FindingKind.WRONG_CITATION)
    assert [q for _m, q in got] == [["《法治政府建设实施纲要（2020－2025年）》"], ["《重大行政决策程序条例》"]]
    assert "2021—2025年" in got[0][0] and "暂行条例" in got[1][0]
    unquoted = found("按照法治中国建设规划（2021—2025年）部署推进。", FindingKind.WRONG_CITATION)
    assert len(unquoted) == 1 and "2020—2025年" in unquoted[0][0]


def test_right_and_local_citations_pass():
    text = ("贯彻《法治政府建设实施纲要（2021-2025年）》《法治社会建设实施纲要(2020—2025年)》《行政复议法》，"
            "制定《某省法治政府建设实施方案（2021—2025年）》，回顾《法治政府建设实施纲要（2015—2020年）》。")
    assert check_citations(text, 0, len(text)) == []


def test_document_list_is_data_with_exact_titles():
    titles = {d.title for d in documents()}
    assert "法治政府建设实施纲要（2021—2025年）" in titles and "重大行政决策程序暂行条例" in titles
    assert "法治政府建设与责任落实督察工作规定" in titles
