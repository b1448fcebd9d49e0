from decimal import Decimal

import pytest

from fazhi.checker.claims import Qualifier
from fazhi.checker.service import report_check


def claims_of(text):
    return [(c.text, c.value, c.unit, c.qualifier) for c in report_check(text=text).claims]


def texts_of(text):
    return [c.text for c in report_check(text=text).claims]


def test_units_qualifiers_and_wan():
    got = claims_of("全年接待群众1.5万余人，讨回工资60余万元，偿还拖欠账款5275.57万元，满意率98%以上，受理不足50件。")
    assert got == [
        ("1.5万余人", Decimal(15000), "人", Qualifier.APPROX),
        ("60余万元", Decimal(60), "万元", Qualifier.APPROX),
        ("5275.57万元", Decimal("5275.57"), "万元", Qualifier.EXACT),
        ("98%以上", Decimal(98), "%", Qualifier.AT_LEAST),
        ("不足50件", Decimal(50), "件", Qualifier.AT_MOST),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2024年3月15日召开会议。",
        "依据第三十条和第62条规定办理。",
        "按照区政府〔2024〕15号文件执行。",
        "学习贯彻党的二十届三中全会精神，对照十四五规划。",
        "推行“3+X”模式和6+1事项清单。",
        "落实“一件事一次办”，坚持“两个确立”。",
        "拨打12345政务服务热线。",
    ],
)
def test_no_claims_from_dates_numbers_and_names(text):
    assert texts_of(text) == []


def test_list_marker_glued_to_year():
    text = "12020年，全区办理案件35件。\n2.完善制度。新建调解室4个。"
    assert texts_of(text) == ["35件", "4个"]


def test_percent_split_by_converter_and_fullwidth():
    result = report_check(text="办结率９９.６９\n\n％，满意率98.8%。")
    assert [(c.value, c.unit) for c in result.claims] == [(Decimal("99.69"), "%"), (Decimal("98.8"), "%")]
    first = result.claims[0]
    assert result.text[first.start:first.end] == first.text


def test_subject_period_and_section():
    text = "一、主要举措和成效\n（一）化解矛盾纠纷\n截至12月5日，全区热线平台接收群众诉求6810件，按期办结率98.42%。"
    c = report_check(text=text).claims[0]
    assert c.subject == "热线平台接收群众诉求"
    assert c.period == "截至12月5日"
    assert c.section == "一、（一）"


def test_chinese_numerals_with_units():
    got = claims_of("召开推进会三场，印发文件十二份，发放补贴三万二千元，接到案件五批。")
    assert [(t, v, u) for t, v, u, _ in got] == [
        ("三场", 3, "场"), ("十二份", 12, "份"), ("三万二千元", 32000, "元"), ("五批", 5, "批"),
    ]


def test_clock_times_phone_numbers_versions_and_ranks_are_not_claims():
    text = "服务时间为9:00-17:00，咨询电话0413-7654321，系统升级到V2.0版本，综合排名位居全市第2位。"
    assert texts_of(text) == []


def test_quarter_periods():
    result = report_check(text="一季度调解纠纷210件。前三季度办理案件532件。")
    assert [c.period for c in result.claims] == ["一季度", "前三季度"]


def test_inline_list_markers_and_cheng_with_tenths():
    assert texts_of("主要做法：1）完善制度12项；2）开展培训8期。") == ["12项", "8期"]
    assert claims_of("八成五以上受访者表示满意。") == [("八成五以上", Decimal("8.5"), "成", Qualifier.AT_LEAST)]
