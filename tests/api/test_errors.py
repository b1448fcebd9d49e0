"""Every API error is {"code", "message", "field"}: fazhi's own errors and DRF's alike, in Chinese."""

import datetime as dt
import re

from django.test import RequestFactory
from django.urls import reverse
from rest_framework.views import APIView

from fazhi.api.errors import NOT_FOUND_MESSAGE, ApiErrorCode, api_exception_handler
from fazhi.core.errors import CoreErrorCode
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.registry import UnknownRegister, register_definition
from fazhi.reports.errors import ReportErrorCode
from tests.registers.driving import create_sample

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _assigned_section(personas):
    from fazhi.reports.services import report_open, section_assign

    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    return section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                          org_unit=personas.town)


def _shape(response) -> dict:
    body = response.json()
    assert set(body) == {"code", "message", "field"}, body
    assert CHINESE.search(body["message"]), body  # a message for people, in Chinese
    return body


def test_forbidden_is_403_with_the_access_message(client, personas):
    a = _assigned_section(personas)
    client.force_login(personas.town_clerk)
    url = reverse("api:section", args=[a.pk])
    client.post(url, {"action": "save", "text": "调解日。"}, content_type="application/json")
    client.post(url, {"action": "submit"}, content_type="application/json")
    denied = client.post(url, {"action": "accept"}, content_type="application/json")  # only the office accepts
    assert denied.status_code == 403
    assert _shape(denied)["code"] == CoreErrorCode.FORBIDDEN


def test_not_found_is_one_answer_for_missing_and_outside_the_jurisdiction(client, personas):
    mediation = register_definition("people_mediation")
    other = create_sample(mediation, user=personas.other_mediator, unit=personas.street, opened_on=dt.date(2024, 1, 2))
    client.force_login(personas.town_clerk)
    outside = client.get(reverse("api:record", args=[other.pk]))
    missing = client.get(reverse("api:record", args=[other.pk + 10_000]))
    assert outside.status_code == missing.status_code == 404
    assert _shape(outside) == _shape(missing) == {"code": CoreErrorCode.NOT_FOUND, "message": NOT_FOUND_MESSAGE,
                                                  "field": None}


def test_drf_validation_errors_name_the_field(client, personas):
    a = _assigned_section(personas)
    client.force_login(personas.town_clerk)
    url = reverse("api:section", args=[a.pk])
    wrong = client.post(url, {"action": "publish"}, content_type="application/json")
    assert wrong.status_code == 400
    assert (_shape(wrong)["code"], wrong.json()["field"]) == (ApiErrorCode.FIELD_INVALID, "action")
    missing = client.post(url, {}, content_type="application/json")
    assert (_shape(missing)["code"], missing.json()["field"]) == (ApiErrorCode.FIELD_REQUIRED, "action")
    broken = client.post(url, "{not json", content_type="application/json")
    assert broken.status_code == 400 and _shape(broken)["code"] == ApiErrorCode.PARSE_ERROR
    not_allowed = client.delete(url)
    assert not_allowed.status_code == 405 and _shape(not_allowed)["code"] == ApiErrorCode.METHOD_NOT_ALLOWED


def test_domain_errors_keep_their_code_and_field(client, personas):
    a = _assigned_section(personas)
    client.force_login(personas.town_clerk)
    empty = client.post(reverse("api:section", args=[a.pk]), {"action": "submit"}, content_type="application/json")
    assert empty.status_code == 400
    assert (_shape(empty)["code"], empty.json()["field"]) == (ReportErrorCode.EMPTY_TEXT, "text")
    client.force_login(personas.leader)
    period = client.get(reverse("api:indicators"), {"unit": personas.district.pk, "period": "2024-13"})
    assert period.status_code == 400
    assert (_shape(period)["code"], period.json()["field"]) == (CoreErrorCode.PERIOD_INVALID, "period")


def test_not_signed_in(client, db):
    response = client.get(reverse("api:records"))
    assert response.status_code in (401, 403) and _shape(response)["code"] == ApiErrorCode.NOT_AUTHENTICATED


def test_handler_uses_each_errors_status():
    request = APIView().initialize_request(RequestFactory().get("/api/records/"))
    context = {"request": request, "view": None}
    refused = api_exception_handler(RecordError(RecordErrorCode.FIELD_REQUIRED, "请填写受理日期", field="received_on"),
                                    context)
    assert (refused.status_code, refused.data) == (400, {"code": "field_required", "message": "请填写受理日期",
                                                         "field": "received_on"})
    unknown = api_exception_handler(UnknownRegister("没有代码为 x 的登记簿"), context)
    assert (unknown.status_code, unknown.data["code"]) == (404, RecordErrorCode.UNKNOWN_REGISTER)
    assert api_exception_handler(ZeroDivisionError(), context) is None  # a bug stays a 500, and is logged


def test_save_without_text_is_field_required_and_keeps_the_text(client, personas):
    a = _assigned_section(personas)
    client.force_login(personas.town_clerk)
    url = reverse("api:section", args=[a.pk])
    assert client.post(url, {"action": "save", "text": "调解日。"}, content_type="application/json").status_code == 200
    response = client.post(url, {"action": "save"}, content_type="application/json")
    assert response.status_code == 400
    body = _shape(response)
    assert (body["code"], body["field"]) == (ApiErrorCode.FIELD_REQUIRED, "text")
    a.refresh_from_db()
    assert a.text == "调解日。"
