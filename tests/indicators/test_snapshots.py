import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from fazhi.core import access
from fazhi.core.models import AuditEvent
from fazhi.core.periods import period_parse
from fazhi.indicators.selectors import snapshot_latest, snapshot_values
from fazhi.indicators.services import snapshot_freeze

Y2024 = period_parse("2024")


def test_freeze_keeps_values_when_records_change_later(personas, mediation):
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success")
    before = AuditEvent.objects.count()
    snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=Y2024)
    assert AuditEvent.objects.count() == before + 1
    mediation(personas.town, dt.date(2024, 4, 1))
    values = snapshot_values(snapshot_latest(personas.leader, org_unit=personas.district, period=Y2024))
    assert values["mediation_cases"].value == 1
    assert values["mediation_success_rate"].numerator == 1
    assert values["mediation_cases"].version.startswith("v1:")


def test_only_office_roles_may_freeze_and_outsiders_cannot_read(personas):
    for user in (personas.leader, personas.town_clerk, personas.outsider):
        with pytest.raises(access.AccessDenied):
            snapshot_freeze(acting_user=user, org_unit=personas.district, period=Y2024)
    with pytest.raises(access.AccessDenied):
        snapshot_latest(personas.outsider, org_unit=personas.district, period=Y2024)


def test_cli_json_has_the_contract_fields(personas, mediation):
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success")
    out = io.StringIO()
    call_command("indicators", "--unit", "东洲区", "--period", "2024", "--format", "json", stdout=out)
    rows = {r["code"]: r for r in json.loads(out.getvalue())}
    row = rows["mediation_success_rate"]
    assert {"code", "name", "value", "unit", "numerator", "denominator", "period", "unit_name"} <= set(row)
    assert (row["value"], row["numerator"], row["denominator"], row["unit_name"]) == (100.0, 1.0, 1.0, "东洲区")
    assert rows["mediation_cases"]["numerator"] is None


def test_cli_refuses_unknown_unit_and_bad_period(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="没有名为"):
        call_command("indicators", "--unit", "火星区", "--period", "2024")
    with pytest.raises(CommandError, match="无法识别"):
        call_command("indicators", "--unit", "东洲区", "--period", "去年")
