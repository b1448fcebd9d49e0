"""A working day in the browser: sign in, register a mediation case and move it on, enter and submit a
data set, open the annual report — through the production server, as the personas would."""

from __future__ import annotations

import datetime as dt
import re

from .conftest import login


def test_sign_in_shows_the_home_page_and_a_wrong_password_does_not(open_page):
    page = open_page()
    page.goto("/")
    assert "/login/" in page.url  # the home page asks for a login first
    page.get_by_label("用户名").fill("mediator")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.locator(".errorlist").inner_text() == "用户名或密码错误。"
    login(page, "mediator")
    assert page.locator("header a.who.nav-wide").inner_text() == "mediator"
    assert page.get_by_role("heading", level=1).first.is_visible()


def test_a_mediator_registers_a_case_and_starts_and_concludes_it(open_page):
    page = open_page("mediator")
    page.goto("/registers/people_mediation/")
    page.get_by_role("link", name="新登记").click()
    page.get_by_label("承办单位").select_option(label="哈达镇")
    page.get_by_label("受理日期").fill(dt.date.today().isoformat())  # the browser's own date input
    page.get_by_label("调解组织类型").select_option(label="村（居）人民调解委员会")
    page.get_by_label("纠纷类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷简要情况").fill("邻里因排水沟发生纠纷。")
    page.get_by_label("申请人姓名").fill("张三")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    assert re.search(r"\d", page.get_by_role("heading", level=1).inner_text())  # the generated case number
    assert "已受理" in page.locator(".card").first.inner_text()

    page.get_by_role("link", name="开始调解").click()
    date = page.get_by_label("日期")
    # The pre-filled date must be one the date input shows: an unreadable one is empty and blocks the form.
    assert date.input_value() == dt.date.today().isoformat()
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    assert "调解中" in page.locator(".card").first.inner_text()

    page.get_by_role("link", name="结案").click()
    page.get_by_label("日期").fill(dt.date.today().isoformat())
    page.get_by_label("结果").select_option(label="调解成功")
    page.get_by_label("调解员").fill("李四")
    page.get_by_role("button", name="确定").click()
    page.wait_for_url(re.compile(r"/records/\d+/$"))
    card = page.locator(".card").first.inner_text()
    assert "已结案" in card and "调解成功" in card
    assert "结案" in page.locator(".timeline").inner_text()


def test_a_town_clerk_saves_and_submits_a_data_set(open_page):
    page = open_page("town_clerk")
    page.goto("/datasets/")
    assert page.locator("input[name=period]").input_value() == ""  # it said "None" when no period was asked
    page.locator("section", has_text="普法宣传").get_by_role("link", name="填报").click()
    page.wait_for_url(re.compile(r"/datasets/legal_publicity/\d+/"))
    cells = page.locator("input.cell:not([disabled])")
    assert cells.count() > 0
    figures = {"普法宣传活动": "12", "发放宣传材料": "300", "受众人数": "1500"}
    for name, value in figures.items():
        page.get_by_label(name, exact=True).fill(value)
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() == 0
    assert {name: page.get_by_label(name, exact=True).input_value() for name in figures} == figures
    page.get_by_role("button", name="报送").click()
    page.wait_for_load_state()
    assert "已报送" in page.locator("main").inner_text()


def test_the_report_page_opens_for_the_district_office(open_page):
    page = open_page("district_admin")
    page.goto("/report/")
    assert page.get_by_role("heading", level=1).first.inner_text().startswith("年度报告 · 东洲区")
    main = page.locator("main").inner_text()
    assert "一、主要举措和成效" in main and "五、其他需要报告的情况" in main  # the mandated outline
    assert "尚未冻结指标快照" in main  # the personas' district has no snapshot yet: the page says so


def test_favicon_ico_answers_with_the_site_icon(open_page):
    """The admin's pages have no <link rel=icon>: /favicon.ico must answer, or the browser logs a 404."""
    page = open_page()
    response = page.goto("/favicon.ico")
    assert response.ok and response.url.endswith(".svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
