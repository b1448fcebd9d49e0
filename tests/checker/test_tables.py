"""Tables in the checked text: one cell per line, tab/pipe/space-separated rows, .docx and PDF tables."""

import docx

from fazhi.checker.findings import FindingKind
from fazhi.checker.relations import RelationKind
from fazhi.checker.service import report_check, report_check_file

from .pdfmaker import make_pdf

CELL_PER_LINE = """二、行政复议工作
表1 全年行政复议案件审结情况
单位：件
数量 比例
作出维持决定
2410
70.5%
驳回复议申请
612
17.9%
确认违法或撤销
396
11.6%
合计
3418
100%
"""


def cells(result):
    return [(c.text, c.table_row, c.table_column, c.unit) for c in result.claims if c.table_row is not None]


def kinds(result):
    return sorted(str(f.kind) for f in result.findings)


def test_one_cell_per_line_with_header_once_above():
    result = report_check(text=CELL_PER_LINE)
    got = cells(result)
    assert got[:2] == [("2410", "作出维持决定", "数量", "件"), ("70.5%", "作出维持决定", "比例", "%")]
    assert got[-2:] == [("3418", "合计", "数量", "件"), ("100%", "合计", "比例", "%")]
    assert len(got) == 8
    for c in result.claims:
        assert result.text[c.start:c.end] == c.text  # spans into the checked text stay exact
    held = [r.detail for r in result.relations if r.holds]
    assert "3418 = 2410 + 612 + 396" in held
    assert any(d.startswith("2410 / 3418") for d in held)
    assert not result.findings


def test_header_cells_on_their_own_lines_and_unit_line():
    text = "件\n单位\n收案数\n受理数\n区人社局\n132\n118\n区公安分局\n75\n70\n合计\n207\n189\n"
    result = report_check(text=text)
    assert cells(result)[:2] == [("132", "区人社局", "收案数", "件"), ("118", "区人社局", "受理数", "件")]
    detail = [r.detail for r in result.relations if r.kind is RelationKind.TOTAL_PARTS]
    assert "207 = 132 + 75" in detail and "189 ≠ 118 + 70" in detail
    [finding] = result.findings
    assert finding.kind is FindingKind.SUM_MISMATCH and "受理数" in finding.message


def test_tab_pipe_and_space_separated_rows():
    tab = "单位\t收案数\t受理数\n甲镇\t12\t10\n乙镇\t8\t8\n合计\t20\t18\n"
    pipe = "| 单位 | 收案数 | 受理数 |\n|---|---|---|\n| 甲镇 | 12 | 10 |\n| 乙镇 | 8 | 8 |\n| 合计 | 20 | 18 |\n"
    space = "单位 收案数 受理数\n甲镇 12 10\n乙镇 8 8\n合计 20 18\n"
    for text in (tab, pipe, space):
        result = report_check(text=text)
        assert [c[:3] for c in cells(result)][:2] == [("12", "甲镇", "收案数"), ("10", "甲镇", "受理数")], text
        assert ("8", "乙镇", "受理数") in [c[:3] for c in cells(result)]
        held = [r.detail for r in result.relations if r.holds]
        assert "20 = 12 + 8" in held and "18 = 10 + 8" in held, text
        assert not result.findings, text


def test_prose_lines_are_not_a_table():
    text = "一、主要举措和成效\n全年受理案件120件，办结118件。\n3\n二、存在的不足\n基层力量薄弱。\n"
    result = report_check(text=text)
    assert not cells(result)


def test_docx_table_keeps_equal_neighbouring_cells(tmp_path):
    d = docx.Document()
    d.add_paragraph("各单位办理情况如下。")
    table = d.add_table(rows=4, cols=3)
    for i, row in enumerate([("单位", "收案数", "办结数"), ("甲局", "5", "5"), ("乙局", "7", "6"), ("合计", "12", "12")]):
        for j, v in enumerate(row):
            table.cell(i, j).text = v
    path = tmp_path / "t.docx"
    d.save(path)
    result = report_check_file(path=path)
    assert ("5", "甲局", "办结数", None) in cells(result)
    assert kinds(result) == ["sum_mismatch"]  # 办结数 5 + 6 ≠ 12


def test_pdf_ruled_table_is_read_cell_by_cell(tmp_path):
    path = tmp_path / "t.pdf"
    path.write_bytes(make_pdf(["二、行政应诉情况"], [["单位", "应诉数", "出庭数"], ["甲局", "30", "28"],
                                                   ["乙局", "20", "20"], ["合计", "50", "48"]]))
    result = report_check_file(path=path)
    assert ("28", "甲局", "出庭数", None) in cells(result)
    held = [r.detail for r in result.relations if r.holds]
    assert "50 = 30 + 20" in held and "48 = 28 + 20" in held


def test_share_column_wrong_and_forced_rounding():
    wrong = "类别 件数 占比\n简易程序\n120\n60.2%\n普通程序\n80\n40.2%\n合计\n200\n100%\n"
    result = report_check(text=wrong)
    assert kinds(result) == ["rate_mismatch", "rate_mismatch", "sum_mismatch"]
    forced = "类别 件数 占比\n甲类\n1\n33.4%\n乙类\n1\n33.3%\n丙类\n1\n33.3%\n"
    result = report_check(text=forced)
    [finding] = result.findings
    assert finding.kind is FindingKind.FORCED_ROUNDING and "33.4%" in finding.message
    assert result.text[finding.spans[0][0]:finding.spans[0][1]] == "33.4%"
    honest = "类别 件数 占比\n甲类\n1\n33.3%\n乙类\n1\n33.3%\n丙类\n1\n33.3%\n"
    assert not report_check(text=honest).findings  # 99.9 % is within the rounding of three shares


def test_truncated_shares_hold():
    text = "类别\t件数\t占比\n甲类\t2\t66.6%\n乙类\t1\t33.3%\n"
    result = report_check(text=text)
    assert not result.findings
    assert any("截断" in r.detail for r in result.relations)


def test_share_on_another_denominator_names_it():
    text = ("| 单位 | 收案数 | 受理数 | 占比 |\n|---|---|---|---|\n| 市本级 | 60 | 50 | 60.0% |\n"
            "| 县区 | 40 | 35 | 47.1% |\n| 合计 | 100 | 85 | 100% |\n")
    result = report_check(text=text)
    rate = [f for f in result.findings if f.kind is FindingKind.RATE_MISMATCH]
    assert len(rate) == 1 and "“合计”受理数85" in rate[0].message and "用错了分母" in rate[0].message


def test_rate_column_within_each_row_and_row_totals():
    rates = "项目\t收案\t结案\t结案率\n甲\t100\t90\t90%\n乙\t50\t45\t90%\n丙\t20\t15\t80%\n"
    [finding] = report_check(text=rates).findings
    assert finding.kind is FindingKind.RATE_MISMATCH and "丙" in finding.message
    totals = "单位\t一审\t二审\t合计\n甲\t10\t5\t15\n乙\t7\t3\t10\n丙\t4\t4\t9\n"
    [finding] = report_check(text=totals).findings
    assert finding.kind is FindingKind.SUM_MISMATCH and "丙" in finding.message


def test_rows_without_label_column_and_total_column():
    text = "表一\n行政处罚实施数量(宗) | ||||\n警告 | 罚款 | 没收 | 合计(宗) | 罚没金额(万元) |\n12 | 90 | 5 | 107 | 17.5 |\n说明：\n"
    result = report_check(text=text)
    assert ("17.5", "", "罚没金额(万元)", "万元") in cells(result)
    assert [r.detail for r in result.relations] == ["107 = 12 + 90 + 5"]


def test_one_cell_a_line_with_trailing_pipes_single_row():
    text = "表\n|\n警告 |\n罚款 |\n吊销 |\n合计(宗) |\n|\n1 |\n2 |\n0 |\n4 |\n说明:\n"
    result = report_check(text=text)
    assert [c[:3] for c in cells(result)] == [("1", "", "警告"), ("2", "", "罚款"), ("0", "", "吊销"),
                                             ("4", "", "合计(宗)")]
    [finding] = result.findings
    assert finding.kind is FindingKind.SUM_MISMATCH and "合计(宗)" in finding.message


def test_transposed_table_rows_are_measures():
    text = ("事项 |\n处罚 |\n许可 |\n其他 |\n总计 |\n数量 |\n30 |\n50 |\n20 |\n100 |\n"
            "占比 |\n30% |\n50% |\n20% |\n100% |\n")
    result = report_check(text=text)
    assert ("50", "数量", "许可", None) in cells(result) and ("50%", "占比", "许可", "%") in cells(result)
    assert not result.findings
