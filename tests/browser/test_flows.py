"""The flows of issue 13's browser scope not covered by the working day: the 驾驶舱 figure moving after a case
is concluded, a data-set error shown at its cell, a filtered list exported and read back, the checker page,
another town's record refused by URL, and the public page without a login."""

from __future__ import annotations

import datetime as dt
import re

YEAR = dt.date.today().year


def register_case(page, *, unit: str = "哈达镇") -> str:
    """A new 人民调解 case through the form; returns its generated case number."""
    page.goto("/registers/people_mediation/new/")
    page.get_by_label("承办单位").select_option(label=unit)
    page.get_by_label("受理日期").fill(dt.date.today().isoformat())
    page.get_by_label("调解组织类型").select_option(label="村（居）人民调解委员会")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷简要情况").fill("邻里因排水沟发生纠纷。")
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
