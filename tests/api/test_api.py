import datetime as dt

from django.urls import reverse

from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample


def test_records_api_is_scoped(client, personas):
    mediation = register_definition("people_mediation")
    own = create_sample(mediation, user=personas.mediator, unit=personas.town, opened_on=dt.date(2024, 1, 2))
    other = create_sample(mediation, user=personas.other_mediator, unit=personas.street, opened_on=dt.date(2024, 1, 2))
    client.force_login(personas.town_clerk)
    rows = client.get(reverse("api:records")).json()["results"]
    assert [r["external_id"] for r in rows] == [own.external_id]
    assert client.get(reverse("api:record", args=[other.pk])).status_code == 404


def test_api_needs_login(client, personas):
    assert client.get(reverse("api:records")).status_code in (401, 403)


def test_openapi_schema_and_definitions(client, personas):
    client.force_login(personas.leader)
    schema = client.get(reverse("api:schema"))
    assert schema.status_code == 200 and b"/api/records/" in schema.content
    codes = {d["code"] for d in client.get(reverse("api:definitions")).json()}
    assert {"people_mediation", "legal_aid", "administrative_review"} <= codes
