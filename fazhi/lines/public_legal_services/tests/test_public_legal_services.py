"""公证办理 (register notarizations of the line public_legal_services): the definition, the 15-working-day
clock of 公证法 第三十条 (started at 受理, suspended for 补充证明材料, overdue, stopped at the final
statuses), who may do what (the 司法所's liaison registers, the notary office decides), the applicant's
masked 身份证号 and the demo's figures (开展公证协办18次, 建立巡回办证点3个)."""

import datetime as dt
from decimal import Decimal

import pytest
import yaml
from django.db.models import F
from django.urls import reverse

from fazhi.core import access
from fazhi.core.errors import CoreErrorCode
from fazhi.core.roles import role_codes
from fazhi.core.services import CoreError, person_create
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import ClockState, Record, RecordClock, RecordEventKind
from fazhi.registers.registry import definition_parse
from fazhi.registers.selectors import (
    clocks_overdue,
    overdue_by_unit,
    record_clocks,
    record_replay,
    record_timeline,
)
from fazhi.registers.services import (
    record_create,
    record_resume,
    record_state,
    record_suspend,
    record_transition,
)
from tests.lines.support import (
    LINES_DIR,
    check_indicator_values,
    check_personas_access,
    demo_build_alone,
    line_officer,
)

LINE = "public_legal_services"
REGISTER = "notarizations"
D = dt.date
ID_NUMBER = "11010519491231002X"
ACCEPTED = D(2024, 9, 27)  # a Friday before the National Day holiday


@pytest.fixture
def notary(personas):
    """Stands for the notary office's staff (office_staff over the district: no role of roles.yaml is the 公证处)."""
    return line_officer(personas)


def _application(personas, *, number="GZ-1", applied=ACCEPTED, **extra):
    """An application taken at 哈达镇司法所's 巡回办证点 by the town's liaison, in 公证协办."""
    applicant = person_create(acting_user=personas.town_clerk, org_unit=personas.town_office, name="赵秀英",
                              id_number=ID_NUMBER)
    payload = {"applied_on": applied, "applicant": applicant.pk, "matter": "inheritance", "channel": "circuit",
               "service_point": personas.town_office.pk, "assisted": True, **extra}
    return record_create(acting_user=personas.town_clerk, register=REGISTER, org_unit=personas.town_office,
                         external_id=number, payload=payload, opened_on=applied)


def _go(user, record, transition, on, **kw):
    return record_transition(acting_user=user, record=record, transition=transition, on_date=on, **kw)


def _accepted(personas, notary, on=ACCEPTED, **kw):
    record = _go(notary, _application(personas, applied=on, **kw), "accept", on)
    return _go(notary, record, "review", on)


def _clock(record):
    return RecordClock.objects.get(record=record, code="certificate")


def _state(record, today):
    return {c.code: c for c in record_clocks(record, today=today)}["certificate"].state


# The definition --------------------------------------------------------------------------------------------


def test_definition_is_valid_and_names_only_shipped_roles():
    loaded, errors = definition_parse(LINES_DIR / LINE / "register.yaml")
    assert errors == [] and loaded is not None
    definition = loaded.definition
    assert (definition.code, definition.name) == (REGISTER, "公证办理")
    roles = set(definition.create_roles) | {r for t in definition.transitions for r in t.roles}
    assert roles == {"office_staff", "clerk"} and roles <= role_codes()
    assert definition.rollup_dimensions == ["channel", "assisted"]
    assert set(definition.field("channel").choices) == {"window", "circuit", "home_visit", "online"}
    assert definition.field("applicant").type == "person"
    assert definition.field("service_point").type == "org_unit"
    clock = definition.clock("certificate")
    assert (clock.length, clock.unit, clock.start.event, clock.start.transition, clock.suspendable) == (
        15, "working_days", "transition", "accept", True)
    assert clock.basis == "《中华人民共和国公证法》第三十条"
    assert set(clock.stop_statuses) == {s.code for s in definition.statuses if s.final} - {"rejected"}
    # The YAML comment quotes the article.
    assert "应当自受理\n    # 公证申请之日起十五个工作日内向当事人出具公证书" in (
        LINES_DIR / LINE / "register.yaml").read_text(encoding="utf-8")


def test_the_data_set_no_longer_holds_notary_assists():
    dataset = yaml.safe_load((LINES_DIR / LINE / "dataset.yaml").read_text(encoding="utf-8"))
    elements = {e["code"] for e in dataset["elements"]}
    assert "notary_points" in elements and "notary_assists" not in elements
    indicators = yaml.safe_load((LINES_DIR / LINE / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]
    formulas = {i["code"]: i.get("formula") for i in indicators}
    assert formulas["pls_notary_assists"] == "count(notarizations, assisted=true)"
    assert formulas["pls_notary_points"] == "value(public_legal_services.notary_points)"


# The clock: 15 working days from 受理 (公证法 第三十条) ---------------------------------------------------------


def test_no_clock_before_acceptance_and_none_for_a_rejected_application(personas, notary):
    record = _application(personas)
    assert not RecordClock.objects.filter(record=record).exists()
    with pytest.raises(RecordError) as err:
        record_suspend(acting_user=notary, record=record, clock="certificate", reason="补充证明材料",
                       on_date=D(2024, 9, 30))
    assert err.value.code == RecordErrorCode.CLOCK_UNKNOWN
    with pytest.raises(RecordError) as err:
        _go(notary, record, "reject", D(2024, 9, 30))
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_REQUIRED, "refusal_reason")
    record = _go(notary, record, "reject", D(2024, 9, 30), fields={"refusal_reason": "未提交身份证明"})
    assert (record.status, record.closed_on) == ("rejected", D(2024, 9, 30))
    assert not RecordClock.objects.filter(record=record).exists()


def test_fifteen_working_days_from_acceptance_across_national_day(personas, notary):
    """Accepted Friday 2024-09-27: 9-29 (调休 Sunday) and 9-30 are working days 1–2, 10-1..7 are off,
    10-8..11 days 3–6, 10-12 (调休 Saturday) day 7, …, 10-23 day 15."""
    record = _accepted(personas, notary, D(2024, 9, 27))
    clock = _clock(record)
    assert (clock.started_on, clock.due_on, clock.base_due_on) == (D(2024, 9, 27), D(2024, 10, 23), D(2024, 10, 23))
    assert _state(record, D(2024, 10, 8)) == ClockState.ON_TIME
    assert _state(record, D(2024, 10, 23)) == ClockState.DUE_SOON
    assert _state(record, D(2024, 10, 24)) == ClockState.OVERDUE
    assert clocks_overdue(personas.district_admin, today=D(2024, 10, 24), register=REGISTER).get().record == record
    assert not clocks_overdue(personas.district_admin, today=D(2024, 10, 23), register=REGISTER).exists()
    rows = {r["unit"].name: r["overdue"] for r in overdue_by_unit(personas.district_admin, root=personas.district,
                                                                     today=D(2024, 10, 24))}
    assert rows["哈达镇"] == 1 and rows["新屯街道"] == 0
    # The record is the 司法所's: the other town sees nothing of it, 西市区 neither.
    assert not clocks_overdue(personas.other_mediator, today=D(2024, 10, 24)).exists()
    assert not clocks_overdue(personas.outsider, today=D(2024, 10, 24)).exists()

    record = _go(notary, record, "issue", D(2024, 10, 24), fields={"certificate_number": "（2024）东洲证字第1号"},
                 outcome="missed")
    assert (record.status, record.outcome, record.closed_on) == ("issued", "missed", D(2024, 10, 24))
    assert _state(record, D(2024, 12, 31)) == ClockState.MISSED
    assert not clocks_overdue(personas.district_admin, today=D(2024, 12, 31)).exists()
    assert record_replay(record) == record_state(record)


def test_suspension_for_supplementary_evidence_moves_the_due_date(personas, notary):
    """Suspended 10-10 to 10-17 for 补充证明材料: 6 working days (10-11, 10-12 调休, 10-14..17) are not
    counted, so the certificate is due on 10-31 instead of 10-23."""
    record = _accepted(personas, notary, D(2024, 9, 27))
    with pytest.raises(RecordError) as err:
        record_suspend(acting_user=notary, record=record, clock="certificate", reason=" ", on_date=D(2024, 10, 10))
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    record_suspend(acting_user=notary, record=record, clock="certificate",
                   reason="补充证明材料：申请人需补充被继承人的死亡证明", on_date=D(2024, 10, 10))
    assert _state(record, D(2024, 10, 25)) == ClockState.SUSPENDED
    assert not clocks_overdue(personas.district_admin, today=D(2024, 10, 25)).exists()
    # Only the notary office's side decides; the leader reads and cannot resume.
    with pytest.raises(access.AccessDenied):
        record_resume(acting_user=personas.leader, record=record, clock="certificate", on_date=D(2024, 10, 17))
    clock = record_resume(acting_user=notary, record=record, clock="certificate", on_date=D(2024, 10, 17))
    assert (clock.base_due_on, clock.due_on, clock.suspended_on) == (D(2024, 10, 23), D(2024, 10, 31), None)
    assert _state(record, D(2024, 10, 31)) == ClockState.DUE_SOON
    assert _state(record, D(2024, 11, 1)) == ClockState.OVERDUE
    record = _go(notary, record, "issue", D(2024, 10, 31), fields={"certificate_number": "（2024）东洲证字第2号"},
                 outcome="met")
    assert _state(record, D(2024, 12, 31)) == ClockState.MET
    kinds = [e.kind for e in record_timeline(record)]
    assert kinds == ["created", "transition", "transition", "suspended", "resumed", "transition"]
    suspended = next(e for e in record_timeline(record) if e.kind == RecordEventKind.SUSPENDED)
    assert suspended.note.startswith("补充证明材料") and suspended.happened_on == D(2024, 10, 10)
    assert record_replay(record) == record_state(record)


@pytest.mark.parametrize(("transition", "kw", "status"), [
    ("refuse", {"fields": {"refusal_reason": "继承人之间对遗产分割有争议"}}, "refused"),
    ("withdraw", {"note": "申请人撤回公证申请"}, "withdrawn"),
    ("issue", {"fields": {"certificate_number": "（2024）东洲证字第3号"}, "outcome": "met"}, "issued"),
])
def test_the_clock_stops_at_the_final_statuses(personas, notary, transition, kw, status):
    record = _accepted(personas, notary, D(2024, 9, 27))
    record = _go(notary, record, transition, D(2024, 10, 15), **kw)
    assert (record.status, record.closed_on) == (status, D(2024, 10, 15))
    assert _clock(record).stopped_on == D(2024, 10, 15)
    assert _state(record, D(2025, 1, 1)) == ClockState.MET
    assert not clocks_overdue(personas.district_admin, today=D(2025, 1, 1)).exists()
    with pytest.raises(RecordError) as err:
        record_suspend(acting_user=notary, record=record, clock="certificate", reason="补充证明材料",
                       on_date=D(2024, 10, 16))
    assert err.value.code == RecordErrorCode.CLOCK_NOT_RUNNING


def test_issuing_needs_the_certificate_number_and_the_clock_decides_whether_it_was_in_time(personas, notary):
    record = _accepted(personas, notary)
    with pytest.raises(RecordError) as err:
        _go(notary, record, "issue", D(2024, 10, 9), outcome="met")
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_REQUIRED, "certificate_number")
    number = {"certificate_number": "（2024）东洲证字第4号"}
    with pytest.raises(RecordError) as err:  # within the 15 working days: "超期" cannot be entered
        _go(notary, record, "issue", D(2024, 10, 9), fields=number, outcome="missed")
    assert err.value.code == RecordErrorCode.OUTCOME_INVALID
    record = _go(notary, record, "issue", D(2024, 10, 9), fields=number)  # no outcome given: the clock's
    assert record.outcome == "met"


# Roles and personas --------------------------------------------------------------------------------------------


def test_personas_access(personas, notary):
    check_personas_access(personas, REGISTER, user=notary, unit=personas.justice_bureau)


def test_the_liaison_registers_and_records_a_withdrawal_but_the_notary_office_decides(personas, notary):
    record = _application(personas)  # registered by 哈达镇's liaison at the 司法所
    for transition, kw in (("accept", {}), ("reject", {"fields": {"refusal_reason": "材料不全"}})):
        with pytest.raises(access.AccessDenied):
            _go(personas.town_clerk, record, transition, D(2024, 9, 30), **kw)
    record = _accepted(personas, notary, number="GZ-2")
    for transition, step_kw in (("issue", {"fields": {"certificate_number": "证1"}, "outcome": "met"}),
                                ("refuse", {"fields": {"refusal_reason": "有争议"}})):
        with pytest.raises(access.AccessDenied):
            _go(personas.town_clerk, record, transition, D(2024, 10, 8), **step_kw)
    with pytest.raises(access.AccessDenied):
        record_suspend(acting_user=personas.other_mediator, record=record, clock="certificate", reason="补充证明材料")
    record = _go(personas.town_clerk, record, "withdraw", D(2024, 10, 8), note="申请人到司法所撤回申请")
    assert record.status == "withdrawn"


def test_the_applicant_is_a_person_with_a_validated_and_masked_id_number(client, personas, notary):
    with pytest.raises(CoreError) as err:
        person_create(acting_user=personas.town_clerk, org_unit=personas.town_office, name="赵秀英",
                      id_number="110105194912310021")  # wrong check digit
    assert (err.value.code, err.value.field) == (CoreErrorCode.ID_NUMBER_CHECK_DIGIT_WRONG, "id_number")
    record = _application(personas)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("web:record", args=[record.pk])).content.decode()
    assert "赵秀英（110105********002X）" in page and ID_NUMBER not in page
    assert "巡回办" in page


# The demo ---------------------------------------------------------------------------------------------------


EXPECTED = {
    ("东洲区", "2024"): {"pls_notarizations_accepted": 83, "pls_certificates_issued": 79, "pls_certificates_met": 78,
                        "pls_certificates_met_rate": Decimal("98.7"), "pls_certificates_missed": 1,
                        "pls_notarizations_circuit": 15, "pls_notarizations_home_visit": 5, "pls_notary_assists": 18,
                        "pls_notary_points": 3, "pls_circuit_points_active": 3, "pls_notarizations_pending_at_end": 1},
    ("西市区", "2025"): {"pls_notarizations_accepted": 55, "pls_certificates_issued": 54, "pls_certificates_met": 53,
                        "pls_certificates_met_rate": Decimal("98.1"), "pls_certificates_missed": 1,
                        "pls_notarizations_circuit": 0, "pls_notarizations_home_visit": 6, "pls_notary_assists": 3,
                        "pls_circuit_points_active": 0, "pls_notarizations_pending_at_end": 0},
}


def test_demo_figures_clocks_and_circuit_points(db):
    ctx, created = demo_build_alone(LINE)
    assert created > 0
    assert Record.objects.filter(register=REGISTER).count() == 85 + 56
    check_indicator_values(EXPECTED)

    # The 18 协办 are at the three 巡回办证点, each held by its 司法所, whose town sees them.
    assisted = Record.objects.filter(register=REGISTER, opened_on__year=2024, payload__assisted=True)
    points = {r.org_unit.name for r in assisted.select_related("org_unit")}
    assert assisted.count() == 18 and points == {"章党镇司法所", "哈达镇司法所", "搭连街道司法所"}
    assert all(r.payload["service_point"] == r.org_unit_id for r in assisted)

    # The outcome recorded at issuance agrees with the clock; suspensions moved two deadlines in 东洲区.
    for record in Record.objects.filter(register=REGISTER, status="issued"):
        view = record_clocks(record, today=D(2026, 1, 1))[0]
        assert (view.state == ClockState.MET) == (record.outcome == "met"), record.external_id
        assert record_replay(record) == record_state(record)
    moved = RecordClock.objects.filter(record__register=REGISTER, due_on__gt=F("base_due_on"))
    assert moved.count() == 3  # two in 东洲区 2024, one in 西市区 2025
    assert all(c.stopped_on == c.due_on and c.stopped_on > c.base_due_on for c in moved)
    # One 东洲区 application, accepted in November 2024, is still under review and overdue.
    admin = ctx.users["dz_admin"]
    overdue = clocks_overdue(admin, today=D(2024, 12, 31), register=REGISTER)
    assert [c.record.status for c in overdue] == ["reviewing"]
    assert not clocks_overdue(ctx.users["xs_admin"], today=D(2025, 12, 31), register=REGISTER).exists()
