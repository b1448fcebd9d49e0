"""The 驾驶舱 and the readable indicator pages (issue 13): charts fed by the engine's own values, 暂无数据
instead of a misleading 0, the latest year with data by default, no formula or audit code on screen."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from fazhi.core.periods import period_parse
from fazhi.indicators.cockpit import key_indicator_codes
from fazhi.indicators.engine import indicators_compute

Y2024 = period_parse("2024")


def _chart_data(html: str) -> dict:
    match = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the charts' data are passed with json_script"
    return json.loads(match.group(1))


@pytest.fixture
def cases(personas, mediation):
    """Mediation cases of 2024 only: 3 in 哈达镇 (2 successful), 1 in 新屯街道."""
    for day in (1, 2):
        mediation(personas.town, dt.date(2024, 3, day), outcome="success", closed=dt.date(2024, 3, 20))
    mediation(personas.town, dt.date(2024, 5, 1))
    mediation(personas.street, dt.date(2024, 6, 1))


@pytest.mark.parametrize("who", ["leader", "district_admin", "town_clerk", "mediator"])
def test_every_reader_reaches_the_cockpit_of_their_own_units(client, personas, cases, who):
    client.force_login(getattr(personas, who))
    response = client.get(reverse("web:cockpit"), {"period": "2024"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "驾驶舱" in html and 'src="/static/vendor/echarts.min.js"' in html
    assert "/static/web/cockpit.js" in html and "<script>" not in html  # no inline script (CSP)


def test_the_cockpit_keeps_other_units_out(client, personas, cases):
    client.force_login(personas.town_clerk)
    assert client.get(reverse("web:cockpit"), {"unit": personas.district.pk}).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(reverse("web:cockpit"), {"unit": personas.town.pk}).status_code == 404
    client.logout()
    assert client.get(reverse("web:cockpit")).status_code == 302  # to the login page


def test_cockpit_figures_are_the_engines_and_link_to_the_indicator(client, personas, cases):
    client.force_login(personas.leader)
    html = client.get(reverse("web:cockpit"), {"unit": personas.district.pk, "period": "2024",
                                               "indicator": "mediation_cases"}).content.decode()
    engine = indicators_compute(units=[personas.district], periods=[Y2024], codes=["mediation_cases"])
    assert engine[(personas.district.pk, "2024", "mediation_cases")].value == 4
    card = re.search(r'<a class="card card-link kpi" href="([^"]+)" data-code="mediation_cases">(.*?)</a>', html, re.S)
    assert card, "the key indicator is a card linking to its indicator page"
    assert card.group(1) == f"{reverse('web:indicator', args=['mediation_cases'])}?unit={personas.district.pk}&period=2024"
    assert re.search(r'class="big">4<span class="kpi-unit">件', card.group(2))
    assert "同比 —" in card.group(2) and "100" not in card.group(2)  # 2023 has no case: no −100%, no +∞
    data = _chart_data(html)
    assert data["trend"]["labels"][-1] == "2024年" and data["trend"]["values"][-1] == 4.0
    assert data["trend"]["values"][:-1] == [None] * 4  # years without any case: 暂无数据, not 0
    # Units compared: the towns and streets with their engine values, largest first, each linked.
    assert data["compare"]["labels"] == ["哈达镇", "新屯街道"] and data["compare"]["values"] == [3.0, 1.0]
    assert data["compare"]["links"][0].endswith(f"?unit={personas.town.pk}&period=2024")
    assert "区司法局" not in data["compare"]["labels"]  # no department among the towns, none at 0


def test_cards_without_data_say_so(client, personas, cases):
    client.force_login(personas.leader)
    html = client.get(reverse("web:cockpit"), {"unit": personas.district.pk, "period": "2024"}).content.decode()
    empty = re.findall(r'<a class="card card-link kpi kpi-empty"[^>]*>(.*?)</a>', html, re.S)
    assert len(empty) >= len(key_indicator_codes()) - 5  # only mediation has records here
    assert all("暂无数据" in card and ">0<" not in card for card in empty)


def test_overdue_chart_counts_clocks_per_register_and_links_to_the_list(client, personas, mediation):
    mediation(personas.town, dt.date(2024, 1, 5))  # never concluded: its deadline has long passed
    client.force_login(personas.leader)
    data = _chart_data(client.get(reverse("web:cockpit"), {"unit": personas.district.pk}).content.decode())
    assert data["overdue"]["labels"] == ["人民调解"] and data["overdue"]["values"] == [1]
    assert data["overdue"]["links"] == [reverse("web:record_list", args=["people_mediation"])]


def test_cockpit_parameters_are_checked(client, personas, cases):
    client.force_login(personas.leader)
    assert client.get(reverse("web:cockpit"), {"indicator": "count(people_mediation)"}).status_code == 400
    assert client.get(reverse("web:cockpit"), {"kind": "planet"}).status_code == 400
    assert client.get(reverse("web:cockpit"), {"period": "20x4"}).status_code == 400


def test_indicator_pages_default_to_the_latest_year_with_data(client, personas, cases):
    client.force_login(personas.leader)
    page = client.get(reverse("web:indicators"), {"unit": personas.district.pk}).content.decode()
    assert "东洲区 2024年" in page  # not last year, which has nothing
    cockpit = client.get(reverse("web:cockpit"), {"unit": personas.district.pk}).content.decode()
    assert "东洲区 2024年" in cockpit
    # 2025: nothing at all, so no 同比下降100% on any row
    page = client.get(reverse("web:indicators"), {"unit": personas.district.pk, "period": "2025"}).content.decode()
    assert "下降100" not in page and "暂无数据" in page


def test_no_formula_or_audit_code_on_screen(client, personas, cases):
    from fazhi.core.auditactions import AuditAction
    from fazhi.core.models import LateCorrection, PeriodCloseScope

    client.force_login(personas.district_admin)
    pages = [
        client.get(reverse("web:indicators"), {"unit": personas.district.pk, "period": "2024"}),
        client.get(reverse("web:indicator", args=["mediation_success_rate"]), {"unit": personas.district.pk}),
        client.get(reverse("web:indicator", args=["mediation_cases"]), {"unit": personas.district.pk}),
        client.get(reverse("web:indicator_records", args=["mediation_success_rate"]), {"unit": personas.district.pk}),
        client.get(reverse("web:cockpit"), {"unit": personas.district.pk}),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        for code in ("count(", "sum(", "stock(", "value(", "basis=", "people_mediation,", "左边", "右边"):
            assert code not in html, (code, response.request["PATH_INFO"])
    drill = pages[3].content.decode()
    assert "人民调解" in drill and "调解成功" in drill  # the terms in words
    LateCorrection.objects.create(year=2024, org_unit=personas.town, scope=PeriodCloseScope.REGISTER,
                                  code="people_mediation", object_type="registers.record", object_id="1",
                                  label="IND-1", action=AuditAction.RECORD_TRANSITION.value, reason="补录",
                                  actor=personas.district_admin)
    html = client.get(reverse("web:manage_corrections")).content.decode()
    assert AuditAction.RECORD_TRANSITION.label in html and "record.transition" not in html


def test_every_audit_action_has_a_chinese_label():
    from fazhi.core.auditactions import AuditAction

    for action in AuditAction:
        assert action.label and re.search(r"[\u4e00-\u9fff]", action.label), action
