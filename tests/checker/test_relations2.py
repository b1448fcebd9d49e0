"""Relations added for the second edition: shares in 其中 lists, the denominator a wrong rate fits,
the ratio of two growth rates; numeral forms 倍/翻番; glued list markers before counted nouns."""

from decimal import Decimal

from fazhi.checker.findings import FindingKind
from fazhi.checker.relations import RelationKind
from fazhi.checker.service import report_check


def claims(text):
    return [(c.text, c.value, c.unit, str(c.qualifier)) for c in report_check(text=text).claims]


def test_share_in_qizhong_list_is_checked_against_its_total():
    ok = report_check(text="全年办理行政复议案件480件，其中维持312件，占比65%；撤销24件，占比5%。")
    rates = [r for r in ok.relations if r.kind is RelationKind.RATE]
    assert [r.holds for r in rates] == [True, True] and rates[0].detail.startswith("312 / 480")
    bad = report_check(text="全年办理行政复议案件480件，其中维持312件，占比65%；撤销24件，占比5.4%。")
    [finding] = [f for f in bad.findings if f.kind is FindingKind.RATE_MISMATCH]
    assert "占比5.4%" in finding.message and "24件/480件" in finding.message


def test_rate_on_another_denominator_says_which():
    text = "全年收到行政复议申请620件，受理580件，审结551件，审结率为88.9%。"
    [finding] = report_check(text=text).findings
    assert finding.kind is FindingKind.RATE_MISMATCH
    assert "551件/620件" in finding.message and "应以“580件”为分母" in finding.message


def test_rate_that_fits_no_denominator_is_plain_mismatch():
    [finding] = report_check(text="全年受理纠纷300件，调解成功270件，调解成功率为85%。").findings
    assert finding.kind is FindingKind.RATE_MISMATCH and "分母" not in finding.message


def test_ratio_of_two_growth_rates():
    ok = report_check(text="行政应诉案件同比增长36%，是上年增幅12%的3倍。")
    assert [r.holds for r in ok.relations if r.kind is RelationKind.GROWTH_RATIO] == [True]
    bad = report_check(text="行政应诉案件同比增长36%，是上年增幅12%的2倍。")
    [finding] = bad.findings
    assert finding.kind is FindingKind.YOY_MISMATCH and "2倍" in finding.message
    at_least = report_check(text="公证业务量同比增长48%，是上年增幅10%的4倍以上。")
    assert not at_least.findings
    unstated = report_check(text="案件同比增长20%，其中刑事案件同比增长10%，增幅是民事案件的2倍。")
    assert not [r for r in unstated.relations if r.kind is RelationKind.GROWTH_RATIO]


def test_numeral_forms_and_qualifiers():
    got = claims("群众满意度超六成，办件量增幅超3.6倍，约三分之一的案件当场办结，调解数量翻一番，近五成。")
    assert ("超六成", Decimal(6), "成", "at_least") in got
    assert ("超3.6倍", Decimal("3.6"), "倍", "at_least") in got
    assert ("翻一番", Decimal(1), "番", "exact") in got
    assert ("近五成", Decimal(5), "成", "approx") in got
    assert any(t == "约三分之一" and u == "分之" and q == "approx" for t, _v, u, q in got)
    assert claims("经过一番努力，倍增计划完成。") == []


def test_glued_list_markers_before_counted_nouns():
    text = ("1全面推进法治政府示范创建。\n2各地积极开展自查。\n313个市州全部完成评估。\n"
            "4103个县级政府开展述法。\n全省共有120个乡镇。")
    got = [(t, v) for t, v, _u, _q in claims(text)]
    assert got == [("13个", 13), ("103个", 103), ("120个", 120)]


def test_a_number_at_line_start_without_a_list_is_kept():
    got = [(t, v) for t, v, _u, _q in claims("313个村（社区）建立法律顾问制度。\n新增调解组织12个。")]
    assert got == [("313个", 313), ("12个", 12)]


def test_glued_marker_with_qualifier_after_it():
    text = "1深化改革。\n2加强监督。\n3120个以上单位完成整改。"
    got = claims(text)
    assert got == [("120个以上", Decimal(120), "个", "at_least")]
