"""Record corrections and steps through the API carry the version they were read at: a stale one is a 409
record_conflict and nothing is written (two personas editing one record)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.api.errors import ApiErrorCode
from fazhi.core.errors import CoreErrorCode
from fazhi.registers.errors import RecordErrorCode
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date(2025, 6, 3)


@pytest.fixture
def record(personas):
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=D)


def _logged_in(user) -> Client:
    """A second browser: the other persona's session beside the first one."""
    other = Client()
    other.force_login(user)
    return other


def _patch(client, record, body):
    return client.patch(reverse("api:record", args=[record.pk]), body, content_type="application/json")


def test_two_personas_patch_one_record_the_stale_one_gets_409(client, personas, record):
    client.force_login(personas.mediator)
    read_at = client.get(reverse("api:record", args=[record.pk])).json()["version"]
    other = _logged_in(personas.district_admin)
    saved = _patch(other, record, {"version": read_at, "changes": {"mediator_name": "管理员"}, "note": "核对"})
    assert saved.status_code == 200 and saved.json()["version"] == read_at + 1
    stale = _patch(client, record, {"version": read_at, "changes": {"mediator_name": "调解员"}})
    assert stale.status_code == 409
    assert stale.json() == {"code": RecordErrorCode.RECORD_CONFLICT, "message": stale.json()["message"],
                            "field": "version"}
    assert Record.objects.get(pk=record.pk).payload["mediator_name"] == "管理员"
    fresh = _patch(client, record, {"version": read_at + 1, "changes": {"mediator_name": "调解员"}})
    assert fresh.status_code == 200 and Record.objects.get(pk=record.pk).payload["mediator_name"] == "调解员"


def test_patch_needs_the_version_and_refuses_bad_values_with_codes(client, personas, record):
    client.force_login(personas.mediator)
    missing = _patch(client, record, {"changes": {"mediator_name": "x"}})
    assert (missing.status_code, missing.json()["code"], missing.json()["field"]) == (
        400, ApiErrorCode.FIELD_REQUIRED, "version")
    nested = _patch(client, record, {"version": 0, "changes": {"mediator_name": {"a": 1}}})
    assert (nested.status_code, nested.json()["code"]) == (400, ApiErrorCode.FIELD_INVALID)
    huge = _patch(client, record, {"version": 0, "changes": {"subsidy": "1e30"}})
    assert (huge.status_code, huge.json()["code"], huge.json()["field"]) == (400, RecordErrorCode.FIELD_INVALID,
                                                                             "subsidy")
    unknown = _patch(client, record, {"version": 0, "changes": {"no_such": 1}})
    assert unknown.json()["code"] == RecordErrorCode.UNKNOWN_FIELD


def test_a_transition_by_api_and_a_stale_one(client, personas, record):
    url = reverse("api:record_transition", args=[record.pk])
    client.force_login(personas.mediator)
    started = client.post(url, {"transition": "start", "version": 0, "on_date": "2025-06-04"},
                          content_type="application/json")
    assert started.status_code == 200 and started.json()["status"] == "mediating"
    stale = _logged_in(personas.district_admin).post(
        url, {"transition": "conclude", "version": 0, "outcome": "success", "payload": {"mediator_name": "李"}},
        content_type="application/json")
    assert (stale.status_code, stale.json()["code"]) == (409, RecordErrorCode.RECORD_CONFLICT)
    assert Record.objects.get(pk=record.pk).status == "mediating"


def test_a_record_outside_the_jurisdiction_is_404_for_writes_too(client, personas):
    other = create_sample(register_definition("people_mediation"), user=personas.other_mediator,
                          unit=personas.street, opened_on=D)
    client.force_login(personas.mediator)
    response = _patch(client, other, {"version": 0, "changes": {"mediator_name": "x"}})
    assert (response.status_code, response.json()["code"]) == (404, CoreErrorCode.NOT_FOUND)
    # A leader reads but may not correct: refused at the record's unit.
    client.force_login(personas.leader)
    record = Record.objects.get(pk=other.pk)
    response = _patch(client, record, {"version": 0, "changes": {"mediator_name": "x"}})
    assert response.status_code in (403, 404)
    assert Record.objects.get(pk=other.pk).payload.get("mediator_name") != "x"
