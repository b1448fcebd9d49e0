"""A year run without a shell (issue 15, the part built so far): set up units and users by CLI from CSV,
enter records, close 2024, refuse a plain 2024 write, accept a correction after close."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from fazhi.core.models import LateCorrection, OrgUnit
from fazhi.core.services import period_close
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.registry import register_definition
from fazhi.registers.services import record_create, record_update
from tests.registers.driving import sample_value

UNITS = "名称,类型,上级单位,行政区划代码,常住人口\n南湖区,区县,,330402,350000\n七星街道,街道,南湖区,,52000\n"
USERS = ("用户名,姓名,初始密码,角色,单位,状态\n"
         "nh_admin,王主任,Nanhu-admin-2025,district_admin,南湖区,\n"
         "qx_mediator,李调解,Qixing-med-2025,mediator,南湖区/七星街道,\n")


def test_a_year_set_up_by_csv_closed_and_corrected(db, tmp_path):
    (tmp_path / "units.csv").write_bytes(UNITS.encode("gb18030"))
    (tmp_path / "users.csv").write_bytes(USERS.encode("utf-8-sig"))
    call_command("units", "import", str(tmp_path / "units.csv"))
    call_command("users", "import", str(tmp_path / "users.csv"))
    User = get_user_model()
    admin, mediator = User.objects.get(username="nh_admin"), User.objects.get(username="qx_mediator")
    district, street = OrgUnit.objects.get(name="南湖区"), OrgUnit.objects.get(name="七星街道")

    definition = register_definition("people_mediation")

    def enter(day: dt.date, external_id: str, **extra):
        payload = {f.code: sample_value(f, unit=street, on_date=day) for f in definition.fields if f.required}
        return record_create(acting_user=mediator, register="people_mediation", org_unit=street,
                             external_id=external_id, payload=payload, opened_on=day, **extra)

    record = enter(dt.date(2024, 11, 5), "NH-2024-1")
    period_close(acting_user=admin, org_unit=district, year=2024)
    with pytest.raises(RecordError) as refused:
        enter(dt.date(2024, 12, 20), "NH-2024-2")
    assert refused.value.code == RecordErrorCode.PERIOD_CLOSED
    with pytest.raises(RecordError):
        record_update(acting_user=mediator, record=record, changes={"mediator_name": "丙"})
    enter(dt.date(2025, 1, 6), "NH-2025-1")  # the next year stays open
    # The administrator enters the forgotten December case as a correction after close.
    payload = {f.code: sample_value(f, unit=street, on_date=dt.date(2024, 12, 20))
               for f in definition.fields if f.required}
    corrected = record_create(acting_user=admin, register="people_mediation", org_unit=street,
                              external_id="NH-2024-2", payload=payload, opened_on=dt.date(2024, 12, 20),
                              correction_reason="调解委员会12月台账漏报")
    assert corrected.events.get().data["correction_after_close"]["reason"] == "调解委员会12月台账漏报"
    assert list(LateCorrection.objects.values_list("year", "label")) == [(2024, "NH-2024-2")]
