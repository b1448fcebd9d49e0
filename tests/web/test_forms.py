"""Forms that keep work: ISO dates pre-filled, no future dates, numbers that refuse words, errors at the field."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample


@pytest.fixture
def record(personas):
    today = timezone.localdate()
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=today - dt.timedelta(days=10))


NEW = {"org_unit": None, "opened_on": "2024-06-03", "organization_type": "traffic", "dispute_type": "traffic",
       "summary": "剐蹭"}


def _new(personas, **extra):
    return {**NEW, "org_unit": personas.town.pk, **extra}


def test_the_transition_date_is_prefilled_in_iso_form(client, personas, record):
    client.force_login(personas.mediator)
    page = client.get(reverse("web:record_transition", args=[record.pk, "start"])).content.decode()
    today = timezone.localdate().isoformat()
    assert f'type="date" name="on_date" value="{today}"' in page
    assert f'max="{today}"' in page
    assert "/" not in today


def test_a_conclusion_dated_after_today_is_refused_at_the_field(client, personas, record):
    client.force_login(personas.mediator)
    ahead = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("web:record_transition", args=[record.pk, "conclude"]),
                           {"on_date": ahead, "mediator_name": "甲", "outcome": "success"})
    assert response.status_code == 200
    assert "晚于今天" in " ".join(response.context["form"].errors["on_date"])
    record.refresh_from_db()
    assert record.status == "registered"


def test_words_in_a_money_field_are_refused_at_the_field_not_dropped(client, personas):
    client.force_login(personas.mediator)
    url = reverse("web:record_new", args=["people_mediation"])
    form = client.get(url).content.decode()
    assert 'name="subsidy"' in form and 'inputmode="decimal"' in form and 'type="number"' not in form
    response = client.post(url, _new(personas, external_id="N-1", subsidy="两百元"))
    assert response.status_code == 200
    assert "须填写数字" in " ".join(response.context["form"].errors["subsidy"])
    assert 'value="两百元"' in response.content.decode()  # what was typed stays in the form
    assert not Record.objects.exists()
    assert client.post(url, _new(personas, external_id="N-1", subsidy="1,200.5")).status_code == 302
    assert Record.objects.get().amount == 1200.5


def _field_block(page: str, name: str) -> str:
    """The <p class="field…"> holding the input named `name`."""
    at = page.index(f'name="{name}"')
    start = page.rindex('<p class="field', 0, at)
    return page[start:page.index("</p>", at)]


def test_errors_are_shown_at_their_field_with_required_marks(client, personas):
    client.force_login(personas.mediator)
    url = reverse("web:record_new", args=["people_mediation"])
    page = client.post(url, _new(personas, external_id="N-2", subsidy="两百元", summary="")).content.decode()
    subsidy = _field_block(page, "subsidy")
    assert "has-error" in subsidy and "须填写数字" in subsidy
    summary = _field_block(page, "summary")
    assert "has-error" in summary and 'class="required"' in summary  # 纠纷简要情况 is required
    assert 'class="required"' not in _field_block(page, "mediator_name")
    assert "has-error" not in _field_block(page, "dispute_type")


def test_a_service_error_naming_a_field_is_shown_at_that_field(client, personas, record):
    client.force_login(personas.mediator)
    before = (record.opened_on - dt.timedelta(days=1)).isoformat()
    page = client.post(reverse("web:record_transition", args=[record.pk, "start"]),
                       {"on_date": before}).content.decode()
    assert "不能早于受理日期" in _field_block(page, "on_date")


def test_help_text_comes_from_the_definition(client, personas):
    client.force_login(personas.superuser)
    page = client.get(reverse("web:record_new", args=["inspection_findings"])).content.decode()
    assert "反馈意见或整改方案规定的完成日期" in _field_block(page, "due_by")
    assert 'max="' not in _field_block(page, "due_by")  # a deadline may lie ahead
