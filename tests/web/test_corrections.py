"""Correction pages of a record: edit with reason, move, delete, clock actions, and a closed year."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import LateCorrection
from fazhi.core.services import period_close
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date(2025, 6, 3)


@pytest.fixture
def record(personas):
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=D)


def url(record, action):
    return reverse("web:record_correct", args=[record.pk, action])


def test_a_mediator_corrects_a_field_with_a_reason_shown_on_the_timeline(client, personas, record):
    client.force_login(personas.mediator)
    assert "更正字段" in client.get(reverse("web:record", args=[record.pk])).content.decode()
    response = client.post(url(record, "edit"), {"field": "mediator_name", "value": "张更正", "note": "录入笔误"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.payload["mediator_name"] == "张更正"
    event = record.events.order_by("-seq").first()
    assert (event.kind, event.note) == ("updated", "录入笔误")
    assert "录入笔误" in client.get(reverse("web:record", args=[record.pk])).content.decode()
    # No reason, no correction.
    assert client.post(url(record, "edit"), {"field": "mediator_name", "value": "x", "note": ""}).status_code == 200


def test_move_delete_and_clock_refusals(client, personas, record):
    client.force_login(personas.mediator)
    # The mediator works only in 哈达镇: there is no other unit to hand over to, and no delete.
    assert client.post(url(record, "move"), {"org_unit": personas.street.pk, "note": "转交"}).status_code == 200
    page = client.post(url(record, "delete"), {"note": "重复登记"}).content.decode()
    assert "无权在“哈达镇”执行“删除记录”" in page and Record.objects.filter(pk=record.pk).exists()
    # 人民调解's clock cannot be suspended: the register's refusal is shown, nothing changes.
    page = client.post(url(record, "suspend"), {"clock": "conclude", "on_date": "2025-06-10",
                                                "note": "当事人住院"}).content.decode()
    assert "“调解期限”不能中止" in page
    assert not record.clocks.filter(suspended_on__isnull=False).exists()
    client.force_login(personas.district_admin)
    assert client.post(url(record, "move"), {"org_unit": personas.street.pk, "note": "纠纷发生地在新屯"}).status_code == 302
    record.refresh_from_db()
    assert record.org_unit == personas.street
    assert client.post(url(record, "delete"), {"note": "重复登记"}).status_code == 302
    assert not Record.objects.filter(pk=record.pk).exists()


def test_outside_the_jurisdiction_is_404_and_unknown_action_too(client, personas, record):
    client.force_login(personas.other_mediator)
    assert client.get(url(record, "edit")).status_code == 404
    client.force_login(personas.mediator)
    assert client.get(reverse("web:record_correct", args=[record.pk, "explode"])).status_code == 404


def test_a_closed_year_needs_a_correction_after_close(client, personas):
    old = create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                        opened_on=dt.date(2024, 5, 6))
    period_close(acting_user=None, org_unit=personas.district, year=2024)
    client.force_login(personas.mediator)
    page = client.post(url(old, "edit"), {"field": "mediator_name", "value": "李", "note": "笔误"}).content.decode()
    assert "已关账" in page
    page = client.post(url(old, "edit"), {"field": "mediator_name", "value": "李", "note": "笔误",
                                          "correction_reason": "台账核对"}).content.decode()
    assert "无权在“哈达镇”执行“2024年关账后更正”" in page  # the mediator may not correct a closed year
    client.force_login(personas.district_admin)
    response = client.post(url(old, "edit"), {"field": "mediator_name", "value": "李", "note": "笔误",
                                              "correction_reason": "台账核对"})
    assert response.status_code == 302
    assert LateCorrection.objects.filter(object_id=str(old.pk), reason="台账核对").exists()
