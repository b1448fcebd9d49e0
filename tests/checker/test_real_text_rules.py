"""Rules learnt from real published text (each with a text written for the test)."""

from decimal import Decimal

from fazhi.checker.findings import FindingKind
from fazhi.checker.service import report_check


def texts(text):
    return [c.text for c in report_check(text=text).claims]


def kinds(text, **kw):
    return [f.kind for f in report_check(text=text, **kw).findings]


def test_dates_times_page_chrome_and_issues_are_not_figures():
    text = ("发布时间:2023-05-06 10:21:09 来源:某区司法局\n更新时间:2022/11/30\n"
            "（《某某日报》2024年03月02日 05 版）\n法治研究 2021年4期\n共 1 条记录 1/1 页\n全年受理案件35件。")
    assert texts(text) == ["35件"]


def test_traditional_characters_are_read_like_simplified():
    result = report_check(text="全區調解組織達12萬多個，調解員超過3.5萬人，涉案金額約2.4億元，兩種以上處罰8項。")
    got = {(c.text, c.value, c.unit, str(c.qualifier)) for c in result.claims}
    assert ("12萬多個", Decimal(120000), "个", "approx") in got
    assert ("超過3.5萬人", Decimal(35000), "人", "at_least") in got
    assert ("約2.4億元", Decimal("2.4"), "亿元", "approx") in got
    assert ("兩種以上", Decimal(2), "种", "at_least") in got and ("8項", Decimal(8), "项", "exact") in got
    assert result.text[result.claims[0].start:result.claims[0].end] == "12萬多個"


def test_slash_fraction_and_money_words():
    result = report_check(text="收案占全省的1/3左右；GDP达到5.6万亿人民币；利用外资2.5亿美元。")
    got = {(c.text, c.unit) for c in result.claims}
    assert ("1/3左右", "分之") in got and ("5.6万亿", None) in got and ("2.5亿美元", "亿美元") in got


def test_count_before_case_examples():
    assert texts("全市有6个案例入选，推行个案指导。") == ["6个"]


def test_share_above_hundred_percent_and_missing_percent_sign():
    assert kinds("全区办案补贴发放比例达到10230%。") == [FindingKind.RATE_MISMATCH]
    assert kinds("年度任务完成率为120%，办件量同比增长135%。") == []
    assert kinds("共办理案件500件，其中社会律师办案占97.4，诉讼案件占比96%。") == [FindingKind.MISSING_UNIT]


def test_numbering_may_run_on_across_parents():
    text = ("一、主要举措和成效\n（一）加强领导\n1.健全机制。完成。\n2.压实责任。完成。\n"
            "（二）履行职能\n3.深化改革。完成。\n4.优化服务。完成。\n")
    assert FindingKind.NUMBERING not in kinds(text)
    skipped = "一、主要举措\n（一）加强领导\n1.健全机制。\n2.压实责任。\n（二）履行职能\n5.深化改革。\n"
    assert FindingKind.NUMBERING in kinds(skipped)


def test_partial_qizhong_list_is_not_a_shortfall():
    assert kinds("全市建立法律援助工作站2160个，其中，看守所工作站98个、法院工作站121个已全部建立。") == []
    assert kinds("全市共有调委会1203个，其中村（居）调委会1050个、乡镇调委会61个、行业调委会70个。") == [
        FindingKind.SUM_MISMATCH]


def test_parallel_values_after_fenbie_are_not_parts():
    text = "全年受理调解案件31.2万件，调解成功18.6万件；调解、排查和预防纠纷量分别为12.4万件、20.1万件和1.8万件。"
    assert kinds(text) == []


def test_stock_at_a_date_and_news_items_are_not_partial_periods():
    assert kinds("截至目前，全区人民调解委员会已发展到265个。") == []
    assert kinds("截至11月底，全区办理法律援助案件803件。") == [FindingKind.PARTIAL_PERIOD]
    news = "全省上半年调解纠纷2.1万件\n记者获悉，今年上半年，全省调解纠纷2.1万件，调解成功率97%。"
    assert kinds(news) == []


def test_carry_over_written_as_shang_nian_wei_jie_zhuan():
    text = "全年新受理复议案件86件，其中上年未结转。\n全年共审结复议案件80件（含上年度结转）。"
    assert kinds(text) == [FindingKind.CONTRADICTION]


def test_rate_numerator_named_before_a_bracket():
    text = "全年共审结复议申请120件（含上年度结转），其中纠错（含撤销、确认违法）30件，纠错率约21%。"
    [finding] = report_check(text=text).findings
    assert finding.kind is FindingKind.RATE_MISMATCH and "30件/120件" in finding.message


def test_statistics_tables_are_not_judged_for_report_parts():
    text = ("2023年度行政执法统计年报\n一、行政处罚实施情况统计表\n略\n二、行政许可实施情况统计表\n略\n"
            "三、行政强制实施情况统计表\n略\n")
    assert FindingKind.MISSING_PART not in kinds(text)
