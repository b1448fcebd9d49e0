"""Two people edit one record in the browser: the second save is refused with both values on the page, and
what the second person typed is still in the form."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date(2025, 6, 3)


@pytest.fixture
def record(personas):
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=D, payload={"mediator_name": "原调解员"})


def _version_shown(page: str) -> int:
    match = re.search(r'name="version" value="(\d+)"', page) or re.search(r'value="(\d+)" name="version"', page)
    assert match, "the form carries the version it was read at"
    return int(match.group(1))


def test_the_second_correction_is_refused_and_keeps_what_was_typed(client, personas, record):
    edit = reverse("web:record_correct", args=[record.pk, "edit"])
    client.force_login(personas.mediator)
    read_at = _version_shown(client.get(edit).content.decode())
    # Meanwhile the district administrator corrects the same field from the same version.
    client.force_login(personas.district_admin)
    assert client.post(edit, {"field": "mediator_name", "value": "管理员填的", "note": "核对",
                              "version": read_at}).status_code == 302
    client.force_login(personas.mediator)
    response = client.post(edit, {"field": "mediator_name", "value": "调解员填的", "note": "笔误",
                                  "version": read_at})
    assert response.status_code == 409
    page = response.content.decode()
    assert "别人已修改了这条记录" in page
    assert re.search(r'conflict-current">管理员填的<', page) and re.search(r'conflict-yours">调解员填的<', page)
    assert 'value="调解员填的"' in page and "笔误" in page  # typed values kept in the form
    stored = Record.objects.get(pk=record.pk)
    assert stored.payload["mediator_name"] == "管理员填的"
    # The re-shown form carries the stored version: submitting it again is a decision, and it saves.
    assert _version_shown(page) == stored.version
    assert client.post(edit, {"field": "mediator_name", "value": "调解员填的", "note": "笔误",
                              "version": stored.version}).status_code == 302
    assert Record.objects.get(pk=record.pk).payload["mediator_name"] == "调解员填的"


def test_a_transition_on_a_record_changed_meanwhile_is_refused(client, personas, record):
    conclude = reverse("web:record_transition", args=[record.pk, "conclude"])
    client.force_login(personas.mediator)
    read_at = _version_shown(client.get(conclude).content.decode())
    client.force_login(personas.district_admin)
    assert client.post(reverse("web:record_transition", args=[record.pk, "start"]),
                       {"on_date": "2025-06-04", "version": read_at}).status_code == 302
    client.force_login(personas.mediator)
    response = client.post(conclude, {"on_date": "2025-06-05", "outcome": "success", "mediator_name": "李四",
                                      "note": "达成协议", "version": read_at})
    assert response.status_code == 409
    page = response.content.decode()
    assert "调解中" in page and "李四" in page and "达成协议" in page
    assert Record.objects.get(pk=record.pk).status == "mediating"
