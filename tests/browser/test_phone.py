"""The phone layout at 390×844: the navigation folds behind 菜单 and no page is wider than the screen
(a wide table scrolls inside its own box). Before: the header was 163–269 px tall with one character a line,
the report page 485 px and the data entry page 490 px wide."""

from __future__ import annotations

from .conftest import DESKTOP, PHONE

HEADER_MAX_PX = 120
MEASURE = "({width: document.documentElement.scrollWidth, screen: innerWidth,"\
          " header: document.querySelector('header').getBoundingClientRect().height})"


def _entry_url(page) -> str:
    page.goto("/datasets/")
    row = page.locator("section", has_text="普法宣传").locator("tr", has_text="哈达镇")
    return row.get_by_role("link").first.get_attribute("href")


def test_no_main_page_is_wider_than_a_phone_and_the_header_stays_short(open_page):
    page = open_page("district_admin", viewport=PHONE)
    pages = {
        "home": "/",
        "record list": "/registers/people_mediation/",
        "record form": "/registers/people_mediation/new/",
        "data-set entry": _entry_url(page),
        "report": "/report/",
        "indicators": "/indicators/",
        "checker": "/checker/",
        "public": "/public/",
        "exports": "/imports/exports/",
    }
    measured = {}
    for name, url in pages.items():
        page.goto(url)
        measured[name] = page.evaluate(MEASURE)
    # the checker's result: the findings table and the annotated text of a long unbroken line
    page.goto("/checker/")
    page.get_by_label("或粘贴报告文字").fill("全年共受理纠纷100件，其中调解成功60件、调解不成功30件。" * 20
                                              + "https://example.invalid/" + "x" * 300)
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_load_state()
    assert page.locator(".checker-text span.flagged").count() > 0
    measured["checker result"] = page.evaluate(MEASURE)
    too_wide = {name: m["width"] for name, m in measured.items() if m["width"] > m["screen"]}
    too_tall = {name: m["header"] for name, m in measured.items() if m["header"] > HEADER_MAX_PX}
    assert too_wide == {}
    assert too_tall == {}


def test_the_phone_navigation_opens_behind_the_menu_button(open_page):
    page = open_page("town_clerk", viewport=PHONE)
    page.goto("/")
    link = page.locator("header details.menu").get_by_role("link", name="数据报送")
    assert not link.is_visible()
    assert not page.locator("header nav.nav-wide").is_visible()
    page.get_by_text("菜单", exact=True).click()
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/datasets/")
    assert page.get_by_role("heading", level=1).inner_text() == "数据报送"


def test_a_wide_screen_shows_the_navigation_in_a_row_without_the_menu_button(open_page):
    page = open_page("town_clerk", viewport=DESKTOP)
    page.goto("/")
    wide = page.locator("header nav.nav-wide")
    assert wide.get_by_role("link", name="数据报送").is_visible()
    assert not page.get_by_text("菜单", exact=True).is_visible()
    assert page.locator("header").bounding_box()["height"] <= 60
