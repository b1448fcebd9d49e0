"""Forms are not offered to people who cannot save them: 403 and no link (a leader got the new-case form
with an empty list of units)."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample


@pytest.fixture
def record(personas):
    return create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                         opened_on=dt.date(2024, 6, 3))


def test_a_leader_gets_403_for_the_new_record_form_and_sees_no_link(client, personas):
    client.force_login(personas.leader)
    url = reverse("web:record_new", args=["people_mediation"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"org_unit": personas.town.pk}).status_code == 403
    listing = client.get(reverse("web:record_list", args=["people_mediation"])).content.decode()
    assert url not in listing
    assert not Record.objects.exists()


def test_a_leader_gets_403_for_a_transition_form_and_sees_no_button(client, personas, record):
    client.force_login(personas.leader)
    url = reverse("web:record_transition", args=[record.pk, "start"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"on_date": "2024-06-04"}).status_code == 403
    assert url not in client.get(reverse("web:record", args=[record.pk])).content.decode()
    record.refresh_from_db()
    assert record.status == "registered"


def test_a_clerk_may_register_but_not_take_the_mediators_steps(client, personas, record):
    client.force_login(personas.town_clerk)
    form = client.get(reverse("web:record_new", args=["people_mediation"]))
    assert form.status_code == 200
    # only units where the clerk may register 人民调解 are offered
    units = form.context["form"].fields["org_unit"].queryset
    assert personas.town in units and personas.street not in units
    assert client.get(reverse("web:record_transition", args=[record.pk, "start"])).status_code == 403


def test_a_record_out_of_reach_stays_404(client, personas, record):
    client.force_login(personas.other_mediator)
    assert client.get(reverse("web:record_transition", args=[record.pk, "start"])).status_code == 404


def test_the_mediator_gets_the_forms(client, personas, record):
    client.force_login(personas.mediator)
    assert client.get(reverse("web:record_new", args=["people_mediation"])).status_code == 200
    assert client.get(reverse("web:record_transition", args=[record.pk, "start"])).status_code == 200
