"""A year run without a shell (issue 15): set up units and users by CLI from CSV, enter records, close
2024, refuse a plain 2024 write, accept a correction after close, approve by a second person, publish,
revise and publish again (a new version with its change list); the public page shows both versions."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from fazhi.core.access import AccessDenied
from fazhi.core.models import LateCorrection, OrgUnit
from fazhi.core.periods import period_parse
from fazhi.core.services import period_close
from fazhi.indicators.services import snapshot_freeze
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.registry import register_definition
from fazhi.registers.services import record_create, record_move, record_update
from fazhi.reports.services import (
    report_advance,
    report_approve,
    report_generate,
    report_publish,
    report_revise,
)
from tests.registers.driving import sample_value
from tests.reports.support import contribute, sections_complete

UNITS = ("名称,类型,上级单位,行政区划代码,常住人口\n南湖区,区县,,330402,350000\n七星街道,街道,南湖区,,52000\n"
         "城南街道,街道,南湖区,,48000\n")
USERS = ("用户名,姓名,初始密码,角色,单位,状态\n"
         "nh_admin,王主任,Nanhu-admin-2025,district_admin,南湖区,\n"
         "qx_mediator,李调解,Qixing-med-2025,mediator,南湖区/七星街道,\n"
         "nh_leader,赵区长,Nanhu-lead-2025,leader,南湖区,\n")


def test_a_year_set_up_by_csv_closed_corrected_approved_and_published_twice(db, tmp_path, client):
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
    # The next year stays open: a 2025 case is entered, corrected and handed over to another street.
    current = enter(dt.date(2025, 1, 6), "NH-2025-1")
    current = record_update(acting_user=mediator, record=current, changes={"mediator_name": "丁"},
                            version=current.version)
    current = record_move(acting_user=admin, record=current, org_unit=OrgUnit.objects.get(name="城南街道"),
                          note="当事人住所在城南街道", version=current.version)
    assert (current.org_unit.name, current.payload["mediator_name"]) == ("城南街道", "丁")
    # The administrator enters the forgotten December case as a correction after close.
    payload = {f.code: sample_value(f, unit=street, on_date=dt.date(2024, 12, 20))
               for f in definition.fields if f.required}
    corrected = record_create(acting_user=admin, register="people_mediation", org_unit=street,
                              external_id="NH-2024-2", payload=payload, opened_on=dt.date(2024, 12, 20),
                              correction_reason="调解委员会12月台账漏报")
    assert corrected.events.get().data["correction_after_close"]["reason"] == "调解委员会12月台账漏报"
    assert list(LateCorrection.objects.values_list("year", "label")) == [(2024, "NH-2024-2")]

    # The office drafts; the leader, another person, approves; the office publishes version 1.
    leader = User.objects.get(username="nh_leader")
    report = sections_complete(admin, unit=district, year=2024)
    contribute(admin, report=report, section="disputes", unit=district,
               text="七星街道人民调解委员会坚持抓早抓小，矛盾纠纷就地化解。")
    run = report_generate(acting_user=admin, org_unit=district, year=2024)
    assert run.gate["passed"], run.gate
    report = report_advance(acting_user=admin, report=run.report)
    with pytest.raises(AccessDenied):
        report_approve(acting_user=admin, report=report)
    report = report_approve(acting_user=leader, report=report)
    first = report_publish(acting_user=admin, report=report)
    # Another forgotten case: revise with a reason, correct after close, regenerate, approve, publish.
    report_revise(acting_user=admin, report=report, reason="补录七星街道漏报的调解案件")
    record_create(acting_user=admin, register="people_mediation", org_unit=street, external_id="NH-2024-3",
                  payload=payload, opened_on=dt.date(2024, 12, 20), correction_reason="补录漏报案件")
    snapshot_freeze(acting_user=admin, org_unit=district, period=period_parse("2024"))
    run = report_generate(acting_user=admin, org_unit=district, year=2024)
    report = report_approve(acting_user=leader, report=report_advance(acting_user=admin, report=run.report))
    second = report_publish(acting_user=admin, report=report)
    assert (first.number, second.number) == (1, 2)
    assert {c["code"]: (c["old"], c["new"]) for c in second.changes}["mediation_cases"] == ("2", "3")
    page = client.get(reverse("public_report", args=[report.pk])).content.decode()
    assert "第1版" in page and "第2版" in page and "补录七星街道漏报的调解案件" in page
