import json
from decimal import Decimal

from fazhi.checker.compare import IndicatorSource, IndicatorValue
from fazhi.checker.findings import FindingKind
from fazhi.checker.render import render_html, render_json, render_table
from fazhi.checker.service import report_check

TEXT = ("一、主要举措和成效\n全年受理纠纷案件1,240件，调解成功1180件，调解成功率95.2%，约3.6万人受益。\n"
        "截至11月底，办理法律援助案件300件，其中民事案件200件，刑事案件90件。")


def test_json_contract_shape_and_offsets():
    result = report_check(text=TEXT)
    data = json.loads(render_json(result))
    assert set(data) == {"claims", "relations", "findings"}
    for c in data["claims"]:
        assert set(c) - {"table_row", "table_column"} == {
            "id", "start", "end", "text", "value", "unit", "qualifier", "subject", "period", "section"}
        assert result.text[c["start"]:c["end"]] == c["text"]
        assert isinstance(c["value"], int | float) and not isinstance(c["value"], bool)
        assert c["qualifier"] in ("exact", "approx", "at_least", "at_most")
    ids = {c["id"] for c in data["claims"]}
    for r in data["relations"]:
        assert set(r) == {"kind", "claims", "holds", "detail"}
        assert set(r["claims"]) <= ids and isinstance(r["holds"], bool)
    for f in data["findings"]:
        assert set(f) == {"kind", "severity", "message", "spans"}
        assert f["kind"] in {str(k) for k in FindingKind}
        assert all(isinstance(a, int) and isinstance(b, int) and a <= b for a, b in f["spans"])
    by_text = {c["text"]: c for c in data["claims"]}
    assert by_text["95.2%"]["value"] == 95.2 and by_text["95.2%"]["unit"] == "%"
    assert by_text["1,240件"]["value"] == 1240
    assert by_text["约3.6万人"]["value"] == 36000 and by_text["约3.6万人"]["qualifier"] == "approx"
    assert by_text["300件"]["period"] == "截至11月底"
    assert by_text["1,240件"]["section"] == "一、"
    kinds = {f["kind"] for f in data["findings"]}
    assert kinds == {"sum_mismatch", "partial_period"}


def test_streamed_json_equals_rendered_json():
    import io

    from fazhi.checker.render import stream_json

    buf = io.StringIO()
    has_errors, _ = stream_json(buf, text=TEXT)
    streamed, rendered = json.loads(buf.getvalue()), json.loads(render_json(report_check(text=TEXT)))
    assert streamed["claims"] == rendered["claims"] and streamed["relations"] == rendered["relations"]
    key = lambda f: (f["spans"], f["kind"])  # noqa: E731
    assert sorted(streamed["findings"], key=key) == sorted(rendered["findings"], key=key)
    assert has_errors is False


def test_html_marks_claims_and_links_findings():
    result = report_check(text=TEXT)
    html = render_html(result)
    assert all(f'data-claim="{c.id}"' in html for c in result.claims)
    for i in range(len(result.findings)):
        assert f'id="f{i}-0"' in html and f'href="#f{i}-0"' in html
    assert "<script>" in html and "&lt;" not in TEXT


def test_html_escapes_text():
    html = render_html(report_check(text="<script>alert(1)</script>受理12件。"))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_table():
    out = render_table(report_check(text=TEXT))
    assert "合计不符" in out and "非全年数据" in out and "问题 2 个" in out


class FakeSource:
    def __init__(self):
        self.calls = []

    def indicator_values(self, unit, year):
        self.calls.append((unit, year))
        return [
            IndicatorValue("tj.mediation.accepted", "受理纠纷案件", Decimal(1240), "件"),
            IndicatorValue("tj.mediation.rate", "调解成功率", Decimal("93.1"), "%"),
            IndicatorValue("fy.aid.cases", "办理法律援助案件", Decimal(300), "件"),
        ]


def test_indicator_source_seam():
    source = FakeSource()
    assert isinstance(source, IndicatorSource)
    result = report_check(text=TEXT, unit="东洲区", year=2024, indicator_source=source)
    assert source.calls == [("东洲区", 2024)]
    mismatches = [f for f in result.findings if f.kind is FindingKind.DATA_MISMATCH]
    assert len(mismatches) == 1 and "调解成功率" in mismatches[0].message
    indicator_relations = [r for r in result.relations if r.kind == "indicator"]
    assert sorted(r.holds for r in indicator_relations) == [False, True, True]


def test_without_source_unit_year_only_notes():
    result = report_check(text=TEXT, unit="东洲区", year=2024)
    assert not [f for f in result.findings if f.kind is FindingKind.DATA_MISMATCH]
    assert result.notes


class ListSource:
    def __init__(self, *values):
        self.values = list(values)

    def indicator_values(self, unit, year):
        return self.values


def _mismatches(text, *values):
    result = report_check(text=text, unit="东洲区", year=2024, indicator_source=ListSource(*values))
    return [f.message for f in result.findings if f.kind is FindingKind.DATA_MISMATCH]


def test_a_negated_indicator_is_not_the_claims_figure():
    rejected = IndicatorValue("review_rejected", "不予受理复议申请", Decimal(9), "件")
    assert _mismatches("一、主要举措和成效\n收到复议申请15件，受理6件。\n", rejected) == []
    assert _mismatches("一、主要举措和成效\n收到复议申请15件，不予受理6件。\n", rejected) != []


def test_a_difference_is_reported_only_against_a_figure_the_text_is_about():
    cleanup = IndicatorValue("cleanup_rate", "万件清理办结率", Decimal(100), "%")
    # The rate of the hotline is not the clean-up's: fazhi cannot tell which figure it is, so no finding.
    assert _mismatches("一、主要举措和成效\n热线平台全年受理诉求800件，办结率97%。\n", cleanup) == []
    # Named just before, the clean-up's rate is checked and differs.
    found = _mismatches("一、主要举措和成效\n万件清理交办案件30件，办结率97%。\n", cleanup)
    assert len(found) == 1 and "cleanup_rate" in found[0]
    # A claim that agrees with a candidate holds whatever the context.
    assert _mismatches("一、主要举措和成效\n热线平台全年受理诉求800件，办结率100%。\n", cleanup) == []


def test_table_cells_carry_row_and_column_in_json():
    text = "单位\t收案数\t受理数\n甲镇\t12\t10\n乙镇\t8\t8\n"
    data = json.loads(render_json(report_check(text=text)))
    cell = next(c for c in data["claims"] if c["text"] == "10")
    assert cell["table_row"] == "甲镇" and cell["table_column"] == "受理数"
    assert text[cell["start"]:cell["end"]] == "10"
