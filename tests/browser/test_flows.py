"""The flows of issue 13's browser scope not covered by the working day: the 驾驶舱 figure moving after a case
is concluded, a data-set error shown at its cell, a filtered list exported and read back, the checker page,
another town's record refused by URL, and the public page without a login."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import textwrap
import uuid
from urllib.parse import urlsplit

import openpyxl
import pytest

from tests.serving import REPO

YEAR = dt.date.today().year
PUBLISHED_YEAR = YEAR - 2  # a closed year: the pages that default to the latest year with data stay on this one


def in_site(site, code: str) -> str:
    """Run `code` against the served database, as a second process of the server would; returns its output."""
    script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], env={**site.env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"},
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


_RECORDS = """
import datetime as dt
from fazhi.core.models import OrgUnit
from fazhi.registers.registry import register_definition
from fazhi.registers.services import record_create, record_transition
from tests.registers.driving import sample_value

def case(unit_name, opened, number, outcome=None):
    unit = OrgUnit.objects.get(name=unit_name)
    definition = register_definition("people_mediation")
    data = {f.code: sample_value(f, unit=unit, on_date=opened) for f in definition.fields if f.required}
    data.update(organization_type="village")
    record = record_create(acting_user=None, register="people_mediation", org_unit=unit, external_id=number,
                           payload=data, opened_on=opened)
    if outcome:
        record = record_transition(acting_user=None, record=record, transition="conclude", on_date=opened,
                                   outcome=outcome, fields={"mediator_name": "甲"})
    return record
"""


def register_case(page, *, unit: str = "哈达镇", summary: str = "邻里因排水沟发生纠纷。") -> str:
    """A new 人民调解 case through the form; returns its generated case number."""
    page.goto("/registers/people_mediation/new/")
    page.get_by_label("承办单位").select_option(label=unit)
    page.get_by_label("受理日期").fill(dt.date.today().isoformat())
    page.get_by_label("调解组织类型").select_option(label="村（居）人民调解委员会")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷简要情况").fill(summary)
    page.get_by_label("申请人姓名").fill("张三")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    return heading.split("·")[-1].strip()


def conclude_case(page) -> None:
    """On a record's page: 开始调解, then 结案 with 调解成功."""
    page.get_by_role("link", name="开始调解").click()
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    page.get_by_role("link", name="结案").click()
    page.get_by_label("日期").fill(dt.date.today().isoformat())
    page.get_by_label("结果").select_option(label="调解成功")
    page.get_by_label("调解员").fill("李四")
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    assert "调解成功" in page.locator(".card").first.inner_text()


def _cases_card(page) -> str:
    page.goto(f"/cockpit/?period={YEAR}")
    return page.locator(".kpi[data-code=mediation_cases] .big").inner_text()


def test_the_cockpit_figure_counts_a_case_concluded_in_the_browser(open_page):
    """受理纠纷案件, the line's key figure on the 驾驶舱, moves by one."""
    leader = open_page("leader")
    before = _cases_card(leader)
    mediator = open_page("mediator")
    register_case(mediator)
    conclude_case(mediator)
    after = _cases_card(leader)
    count = int(re.match(r"\d+", after).group()) if after != "暂无数据" else None  # type: ignore[union-attr]
    earlier = int(re.match(r"\d+", before).group()) if before != "暂无数据" else 0  # type: ignore[union-attr]
    assert count == earlier + 1


def _legal_publicity_entry(page) -> str:
    page.goto("/datasets/")
    page.locator("section", has_text="普法宣传").get_by_role("link", name="填报").click()
    page.wait_for_url(re.compile(r"/datasets/legal_publicity/\d+/"))
    return urlsplit(page.url).path


def test_a_data_set_entry_meeting_a_rule_error_shows_it_at_the_cell_and_keeps_what_was_typed(open_page,
                                                                                            expected_http):
    """普法宣传活动 5 with 社区 3 + 乡村 4 breaks 分列之和 ≤ 合计: the error is on that row, every figure typed is
    still in its input, and nothing is saved. Corrected, then "两百" typed as a number: the error is at that cell."""
    page = open_page("town_clerk")
    entry = _legal_publicity_entry(page)
    expected_http.add((400, entry))  # a refused POST answers 400; what matters is what the user sees

    def enter(typed: dict[str, str]) -> None:
        for name, value in typed.items():
            page.locator(f'input[name="{name}"]').fill(value)
        page.get_by_role("button", name="保存", exact=True).click()
        page.wait_for_load_state()
        assert page.locator("p.errorlist").inner_text() == "未保存任何数据，请修改下面标出的单元格。"
        assert {name: page.locator(f'input[name="{name}"]').input_value() for name in typed} == typed
        assert page.locator("tr.has-error").count() == 1  # only the faulty row is marked

    typed = {"events|": "5", "events|venue=community": "3", "events|venue=village": "4",
             "materials|": "300", "people_reached|": "1500"}
    enter(typed)
    events_row = page.locator("tr.has-error", has=page.locator('input[name="events|"]'))
    assert "按活动场所分列之和 7 超过合计 5" in events_row.locator(".errorlist").inner_text()

    enter({**typed, "events|venue=village": "2", "materials|": "两百"})
    materials_cell = page.locator("tr.has-error td", has=page.locator('input[name="materials|"]'))
    assert materials_cell.locator(".errorlist").inner_text().strip() != ""
    assert "bad" in (page.locator('input[name="materials|"]').get_attribute("class") or "").split()

    # nothing was saved: the same entry opened afresh (a new tab, no draft) is still empty
    fresh = open_page("town_clerk")
    fresh.goto(entry)
    assert [fresh.locator(f'input[name="{name}"]').input_value() for name in typed] == [""] * len(typed)


def test_a_filtered_list_exported_to_xlsx_holds_exactly_the_filtered_records(open_page):
    page = open_page("mediator")
    token = "导出" + uuid.uuid4().hex[:8]
    wanted = {register_case(page, summary=f"{token}：邻里因围墙发生纠纷。") for _ in range(2)}
    other = register_case(page, summary="邻里因停车位发生纠纷。")
    page.goto("/registers/people_mediation/")
    page.get_by_label("搜索").fill(token)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"[?&]q="))
    shown = set(page.locator("table tr td:first-child a").all_inner_texts())
    assert shown == wanted and other not in shown
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    number = headers.index("编号")
    assert {row[number] for row in rows[1:]} == wanted
    assert len(rows) == 1 + len(wanted)  # no other record, and each once


def test_an_uploaded_report_shows_its_findings_on_the_checker_page(open_page):
    page = open_page("town_clerk")
    page.goto("/checker/")
    report = ("2025年哈达镇法治政府建设情况报告\n一、主要举措和成效\n"
              "全年共受理纠纷100件，其中调解成功60件、调解不成功30件。\n")
    page.get_by_label("报告文件").set_input_files(
        files=[{"name": "哈达镇报告.txt", "mimeType": "text/plain", "buffer": report.encode("utf-8")}])
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_load_state()
    result = page.locator(".checker-result")
    assert "哈达镇报告.txt" in result.get_by_role("heading", level=2).inner_text()
    row = page.locator("table.checker-findings tr", has_text="合计不符")
    assert row.count() == 1
    assert "100 ≠ 60 + 30" in row.inner_text()
    assert "第 3 行" in row.inner_text()
    # the text annotated: the figures the sum relates marked as disagreeing, the quoted places highlighted
    text = page.locator(".checker-text")
    assert text.inner_text().strip() == report.strip()
    assert text.locator("span.related-fails").all_inner_texts() == ["100件", "60件", "30件"]
    assert "flagged" in (text.locator("span", has_text="100件").get_attribute("class") or "")
    row.get_by_role("link", name="“60件”").click()
    page.wait_for_url(re.compile(r"#f\d+-1$"))  # the quote links to its place in the text
    assert page.locator(urlsplit(page.url).fragment.join(["[id='", "']"])).count() == 1
    with page.expect_download() as info:
        page.get_by_role("link", name="下载检查结果（.xlsx）").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(info.value.path().read_bytes()), read_only=True).active
    assert any("合计不符" in (row or ()) for row in sheet.iter_rows(values_only=True))


def test_a_town_clerk_gets_the_same_404_for_another_towns_record_as_for_a_missing_one(open_page, site,
                                                                                     expected_http):
    pk = int(in_site(site, _RECORDS + """
record = case("新屯街道", dt.date.today(), "新屯-浏览器-1")
print(record.pk)
"""))
    page = open_page("town_clerk")
    other, missing = f"/records/{pk}/", f"/records/{pk + 100000}/"
    expected_http.update({(404, other), (404, missing)})
    refused = page.goto(other)
    refused_text = page.locator("main").inner_text()
    absent = page.goto(missing)
    assert refused.status == absent.status == 404
    assert page.locator("main").inner_text() == refused_text  # nothing tells the two apart
    assert "新屯" not in refused_text
    # the mediator of 新屯街道 itself opens it
    assert open_page("other_mediator").goto(other).status == 200


@pytest.fixture
def published_report(site) -> str:
    """A published annual report of 东洲区 for PUBLISHED_YEAR: 12 cases, 4 of them successful (a small count)."""
    return in_site(site, _RECORDS + f"""
from fazhi.core.models import OrgUnit
from fazhi.reports.models import AnnualReport, ReportStatus
from fazhi.reports.services import report_advance, report_generate
from django.contrib.auth import get_user_model
from tests.reports.support import sections_complete

year = {PUBLISHED_YEAR}
district = OrgUnit.objects.get(name="东洲区")
report = AnnualReport.objects.filter(org_unit=district, year=year).first()
if report is None or report.status != ReportStatus.PUBLISHED:
    users = get_user_model().objects
    office, leader = users.get(username="district_admin"), users.get(username="leader")
    for i, outcome in enumerate(["success"] * 4 + ["failure"] * 8):
        case("哈达镇", dt.date(year, 4, 1), f"公开-{{i}}", outcome)
    sections_complete(office, unit=district, year=year)
    report = report_generate(acting_user=office, org_unit=district, year=year).report
    while report.status != ReportStatus.PUBLISHED:
        report = report_advance(acting_user=leader if report.status == ReportStatus.REVIEWING else office,
                                report=report)
print(report.pk)
""").strip()


def test_the_public_page_without_login_lists_the_published_report_and_suppresses_small_counts(open_page,
                                                                                             published_report):
    page = open_page()  # nobody signed in
    response = page.goto("/public/")
    assert response.status == 200 and "/login/" not in page.url
    year = page.locator("section.public-year", has_text=f"{PUBLISHED_YEAR}年东洲区")
    assert year.count() == 1
    figures = dict(tuple(row.locator("td").all_inner_texts()) for row in year.locator("table.public-stats tr").all()
                   if row.locator("td").count() == 2)
    assert figures["受理纠纷案件"].startswith("12")
    assert figures["调解成功"] == "<5"  # 4 successful cases: a small count is not shown
    assert "4" not in figures["调解成功"]
    page.locator("main").get_by_role("link", name="年度报告", exact=True).click()
    page.get_by_role("link", name=f"{PUBLISHED_YEAR}年东洲区法治政府建设情况报告").click()
    page.wait_for_url(re.compile(f"/public/reports/{published_report}/$"))
    assert "一、主要举措和成效" in page.locator(".report-body").inner_text()


def test_the_checker_compares_a_report_with_the_units_snapshot(open_page, published_report):
    """The district office picks 东洲区's frozen snapshot of PUBLISHED_YEAR (12 cases): a report saying 15 is
    listed as 与平台数据不符; without the comparison it is not."""
    page = open_page("district_admin")
    page.goto("/checker/")
    report = f"{PUBLISHED_YEAR}年东洲区法治政府建设情况报告\n全年共受理纠纷案件15件。\n"
    page.get_by_label("或粘贴报告文字").fill(report)
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_load_state()
    assert page.locator("table.checker-findings tr", has_text="与平台数据不符").count() == 0
    option = page.locator("#checker-snapshot option", has_text=f"东洲区 · {PUBLISHED_YEAR}年")
    assert option.count() == 1
    page.get_by_label("与单位指标快照比对").select_option(option.get_attribute("value"))
    page.get_by_label("或粘贴报告文字").fill(report)
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_load_state()
    assert f"已与东洲区{PUBLISHED_YEAR}年指标快照" in page.locator(".checker-compared").inner_text()
    row = page.locator("table.checker-findings tr", has_text="与平台数据不符")
    assert row.count() == 1 and "15" in row.inner_text() and "12" in row.inner_text()
    assert row.get_by_role("link", name="“15件”").count() == 1
