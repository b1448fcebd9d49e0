import datetime as dt

from django.urls import reverse

from fazhi.core.errors import CoreErrorCode
from fazhi.registers.registry import register_definition
from fazhi.reports.errors import ReportErrorCode
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


def test_indicators_api_gives_the_cli_json_for_units_in_jurisdiction(client, personas, mediation):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    mediation(personas.town, dt.date(2024, 5, 1), outcome="failure")
    client.force_login(personas.leader)
    rows = client.get(reverse("api:indicators"), {"unit": personas.district.pk, "period": "2024"}).json()
    rate = next(r for r in rows if r["code"] == "mediation_success_rate")
    assert (rate["value"], rate["numerator"], rate["denominator"], rate["unit"]) == (50.0, 1.0, 2.0, "%")
    assert rate["period"] == "2024" and rate["unit_name"] == "东洲区"
    bad = client.get(reverse("api:indicators"), {"unit": personas.district.pk, "period": "2024-13"})
    assert bad.status_code == 400 and bad.json()["code"] == CoreErrorCode.PERIOD_INVALID
    client.force_login(personas.outsider)
    assert client.get(reverse("api:indicators"), {"unit": personas.district.pk, "period": "2024"}).status_code == 404


def test_report_sections_api_writes_through_the_services(client, personas):
    from fazhi.reports.services import report_open, section_assign

    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    a = section_assign(acting_user=personas.district_admin, report=report, section="disputes", org_unit=personas.town)
    client.force_login(personas.town_clerk)
    assert [r["id"] for r in client.get(reverse("api:sections")).json()] == [a.pk]
    url = reverse("api:section", args=[a.pk])
    empty = client.post(url, {"action": "submit"}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["code"] == ReportErrorCode.EMPTY_TEXT
    client.post(url, {"action": "save", "text": "调解日。"}, content_type="application/json")
    done = client.post(url, {"action": "submit"}, content_type="application/json").json()
    assert done["status"] == "submitted" and done["text"] == "调解日。"
    assert client.post(url, {"action": "accept"}, content_type="application/json").status_code == 403
    client.force_login(personas.other_mediator)
    assert client.get(url).status_code == 404
    client.force_login(personas.district_admin)
    assert client.post(url, {"action": "accept"}, content_type="application/json").json()["status"] == "accepted"


def test_the_docs_groups_are_named_in_chinese(client, personas):
    import yaml

    client.force_login(personas.leader)
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)
    tags = {t for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)
            for t in op.get("tags", [])}
    assert {"登记记录", "指标", "报告分工", "导入"} <= tags
    assert not {t for t in tags if t.isascii()}  # no group left under its path segment (records, default …)
    assert {t["name"] for t in schema["tags"]} == tags and all(t.get("description") for t in schema["tags"])
