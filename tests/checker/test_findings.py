from fazhi.checker.findings import FindingKind, Severity
from fazhi.checker.relations import RelationKind
from fazhi.checker.service import report_check


def kinds(text, **kw):
    return [f.kind for f in report_check(text=text, **kw).findings]


def held(text):
    return [r.detail for r in report_check(text=text).relations if r.holds]


def test_total_and_parts_hold_with_brackets_and_qizhong():
    text = "受理行政复议案件86件，其中涉及市场监管42件（其中食品安全15件、价格监管27件），涉及自然资源30件，涉及人力社保14件。"
    assert kinds(text) == []
    assert "86 = 42 + 30 + 14" in held(text) and "42 = 15 + 27" in held(text)


def test_sum_mismatch_parts_exceed_total_is_an_error():
    result = report_check(text="组织普法活动96场（进社区40场、进学校25场、进企业33场）。")
    (finding,) = result.findings
    assert finding.kind is FindingKind.SUM_MISMATCH and finding.severity is Severity.ERROR
    assert [result.text[a:b] for a, b in finding.spans] == ["96场", "40场", "25场", "33场"]


def test_enumeration_after_total():
    assert kinds("开展宣讲共320场，进社区120场、进乡村95场、进企业60场、进学校35场。") == [FindingKind.SUM_MISMATCH]
    assert kinds("开展宣讲共310场，进社区120场、进乡村95场、进企业60场、进学校35场。") == []


def test_rate_rounding_truncation_and_mismatch():
    ok = report_check(text="受理4801件，办结4799件，办结率99.9%。")
    (rel,) = [r for r in ok.relations if r.kind is RelationKind.RATE]
    assert rel.holds and "截断" in rel.detail
    assert kinds("受理640件，调解成功598件，调解成功率95.6%。") == [FindingKind.RATE_MISMATCH]


def test_flow():
    assert kinds("年初在册社区矫正对象142人，全年新接收61人，解除矫正58人，收监执行2人，年末在册145人。") == [
        FindingKind.FLOW_MISMATCH]
    assert kinds("期初在矫人员80人，本年度接收35人，解除矫正30人，期末在矫85人。") == []


def test_yoy():
    assert kinds("办理法律援助案件315件，上年同期为280件，同比增长12.5%。") == []
    assert kinds("办理公证事项1040件，上年为1300件，同比下降25%。") == [FindingKind.YOY_MISMATCH]


def test_same_subject_different_value():
    text = "全年办理行政复议案件48件。\n另有说明。\n全年办理行政复议案件52件。"
    assert kinds(text) == [FindingKind.SAME_SUBJECT_DIFFERENT_VALUE]


def test_contradiction_and_unrelated_negation():
    text = "全区实现村（社区）法律顾问全覆盖。\n部分村（社区）法律顾问未实现全覆盖。"
    assert kinds(text) == [FindingKind.CONTRADICTION]
    assert kinds("实现执法全过程记录全覆盖。\n综合执法未实现全覆盖。") == []


def test_numbering_duplicate_and_skip():
    text = "一、主要举措和成效\n（一）甲。\n（三）乙。\n二、存在的不足和原因\n丙。\n二、下一年度主要安排\n丁。"
    found = [f for f in report_check(text=text).findings if f.kind is FindingKind.NUMBERING]
    assert len(found) == 2


def test_missing_parts_lenient_keywords():
    text = ("一、2024年工作开展情况\n略。\n二、存在的问题\n略。\n三、党政主要负责人履行第一责任人职责情况\n略。\n"
            "四、下一步打算\n略。\n五、其他事项\n略。")
    assert FindingKind.MISSING_PART not in kinds(text)
    text2 = "一、主要举措和成效\n略。\n二、存在的不足和原因\n略。\n三、明年工作计划\n略。"
    assert kinds(text2).count(FindingKind.MISSING_PART) == 2


def test_partial_period():
    assert kinds("截至11月底，全区共受理行政处罚案件1532件。", year=2024) == [FindingKind.PARTIAL_PERIOD]
    assert kinds("截至2024年底，累计建成法治文化阵地46个。", year=2024) == []


def test_excerpt_is_not_judged_for_mandated_parts_or_first_number():
    excerpt = "三、存在的不足和原因\n基层力量薄弱。\n四、下一年度主要安排\n加强培训。"
    assert kinds(excerpt) == []
    assert FindingKind.MISSING_PART in kinds(excerpt, whole_report=True)
    assert FindingKind.NUMBERING in kinds(excerpt, whole_report=True)
    titled = "某区2024年度法治政府建设工作报告\n一、主要举措和成效\n略。\n二、存在的不足和原因\n略。"
    assert kinds(titled).count(FindingKind.MISSING_PART) == 3


def test_flow_with_change_from_start_of_year():
    assert kinds("全年新增社区矫正对象47名，解除矫正52名，期末在册社区矫正对象133名，较年初减少5名。") == []
    assert kinds("全年新增社区矫正对象47名，解除矫正52名，期末在册社区矫正对象133名，较年初减少9名。") == [
        FindingKind.FLOW_MISMATCH]


def test_table_caption_unit_and_chinese_decimal_rate():
    result = report_check(text="表2 行政复议案件情况（单位：件）\n收到申请\t受理\t审结\n112\t104\t97")
    assert [(c.text, c.unit) for c in result.claims] == [("112", "件"), ("104", "件"), ("97", "件")]
    text = "调解民间纠纷三千一百二十六件，调解成功三千零九十八件，调解成功率百分之九十九点一。"
    assert kinds(text) == [] and any(r.holds for r in report_check(text=text).relations)


def test_column_header_units():
    text = "单位\t案件数（件）\t金额（万元）\t占比（%）\n甲街道\t12\t3.5\t40\n乙街道\t18\t6.25\t60"
    result = report_check(text=text)
    assert [(c.text, c.unit) for c in result.claims] == [
        ("12", "件"), ("3.5", "万元"), ("40", "%"), ("18", "件"), ("6.25", "万元"), ("60", "%")]


def test_out_of_order_parts_are_reported_once_each():
    text = ("一、主要举措和成效\n略。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n略。\n"
            "二、存在的不足和原因\n略。\n四、下一年度主要安排\n略。\n五、其他需要报告的情况\n略。")
    found = [f for f in report_check(text=text).findings if f.kind is FindingKind.NUMBERING]
    assert len(found) == 2
