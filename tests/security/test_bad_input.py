"""Issue 12, item 5: every query parameter of every page and API view is validated — a malformed or
out-of-range value is a coded 400 naming the parameter, never a 500; API pages are at most 500 rows."""

import pytest
from django.urls import reverse

from fazhi.api.pagination import MAX_PAGE_SIZE
from fazhi.core.errors import CoreErrorCode
from fazhi.core.params import ParamErrorCode
from fazhi.datasets.registry import dataset_definitions
from fazhi.registers.registry import register_definitions

HUGE = "9" * 40


def _api_400(response, field):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    expected = CoreErrorCode.PERIOD_INVALID if field == "period" else ParamErrorCode.PARAM_INVALID
    assert body["code"] == expected, body
    assert body["field"] == field, body


def _page_400(response, field):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    text = response.content.decode()
    assert "请求有误" in text and f"参数“{field}”无效" in text, text[:500]


@pytest.fixture
def admin_client(client, personas):
    client.force_login(personas.district_admin)
    return client


@pytest.mark.parametrize(("query", "field"), [
    ("unit=abc&period=2024", "unit"),
    (f"unit={HUGE}&period=2024", "unit"),
    ("unit=-1&period=2024", "unit"),
    ("unit=１&period=2024", "unit"),  # a full-width digit: str.isdigit() alone would let it through
    ("unit=1&period=xyz", "period"),
    ("unit=1&period=99999999999", "period"),
    ("unit=1&period=0000", "period"),
    ("unit=1", "period"),
    ("period=2024", "unit"),
])
def test_api_indicators_parameters(admin_client, personas, query, field):
    query = query.replace("unit=1&", f"unit={personas.district.pk}&")
    _api_400(admin_client.get(reverse("api:indicators") + "?" + query), field)


def test_api_indicators_good_parameters_still_answer(admin_client, personas):
    response = admin_client.get(reverse("api:indicators") + f"?unit={personas.district.pk}&period=2024")
    assert response.status_code == 200
    assert isinstance(response.json(), list)


@pytest.mark.parametrize(("query", "field"), [
    (f"limit={HUGE}", "limit"), (f"offset={HUGE}", "offset"), ("limit=abc", "limit"), ("limit=0", "limit"),
    (f"limit={MAX_PAGE_SIZE + 1}", "limit"), ("offset=-5", "offset"), ("register=no-such-register", "register"),
])
def test_api_records_parameters(admin_client, query, field):
    _api_400(admin_client.get(reverse("api:records") + "?" + query), field)


def test_api_records_page_size_is_capped(admin_client):
    ok = admin_client.get(reverse("api:records") + f"?limit={MAX_PAGE_SIZE}")
    assert ok.status_code == 200 and "results" in ok.json()
    code = register_definitions()[0].code
    assert admin_client.get(reverse("api:records") + f"?register={code}&limit=10").status_code == 200


def test_api_path_integer_too_large_is_404_not_500(admin_client):
    assert admin_client.get(f"/api/records/{HUGE}/").status_code == 404
    assert admin_client.get(f"/api/report-sections/{HUGE}/").status_code == 404


@pytest.mark.parametrize(("query", "field"), [
    ("unit=abc", "unit"), (f"unit={HUGE}", "unit"), ("period=xyz", "period"), ("period=99999999999", "period"),
    ("period=0000", "period"),
])
def test_indicator_page_parameters(admin_client, query, field):
    _page_400(admin_client.get(reverse("web:indicators") + "?" + query), field)


def test_indicator_detail_per_parameter(admin_client):
    from fazhi.indicators.registry import indicator_registry

    code = next(iter(indicator_registry().indicators))
    _page_400(admin_client.get(reverse("web:indicator", args=[code]) + "?per=xyz"), "per")
    assert admin_client.get(reverse("web:indicator", args=[code]) + "?per=100k").status_code == 200


@pytest.mark.parametrize(("query", "field"), [
    (f"page={HUGE}", "page"), ("page=abc", "page"), ("page=0", "page"), ("status=nonsense", "status"),
    ("q=" + "x" * 201, "q"), ("q=a%00b", "q"),
])
def test_record_list_parameters(admin_client, query, field):
    code = register_definitions()[0].code
    _page_400(admin_client.get(reverse("web:record_list", args=[code]) + "?" + query), field)


def test_record_list_good_parameters_still_answer(admin_client):
    definition = register_definitions()[0]
    url = reverse("web:record_list", args=[definition.code])
    assert admin_client.get(url + f"?page=2&q=abc&status={definition.statuses[0].code}").status_code == 200


def test_record_page_integer_too_large_is_404_not_500(admin_client):
    assert admin_client.get(f"/records/{HUGE}/").status_code == 404


@pytest.mark.parametrize(("query", "field"), [("period=xyz", "period"), ("period=99999999999", "period")])
def test_dataset_index_parameters(admin_client, query, field):
    _page_400(admin_client.get(reverse("datasets:index") + "?" + query), field)


@pytest.mark.parametrize(("query", "field"), [("unit=abc", "unit"), (f"unit={HUGE}", "unit")])
def test_dataset_completeness_parameters(admin_client, query, field):
    definition = dataset_definitions()[0]
    from fazhi.datasets.views import default_period

    url = reverse("datasets:completeness", args=[definition.code, default_period(definition).code])
    _page_400(admin_client.get(url + "?" + query), field)


def test_next_parameter_is_not_a_500(client):
    assert client.get("/login/?next=" + "%00" * 3).status_code < 500
