"""行政执法: four registers (行政执法检查计划, 涉企行政检查备案, 行政执法证件, 行政处罚案件).

The definitions and the indicators moved from the law_enforcement_supervision data set; the 90-day clock of
行政处罚法 第六十条 (started on the 立案日期, due date, overdue, stopped by the decision, extension and
suspension under department rules); 法制审核 before the decision of a major case; every status reached
through the services by the roles that may take each step; personas' access; the holder's 身份证号
validated and masked; the demo's seed figures (38 departments, 71 permits, 409 filings)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from fazhi.core import access
from fazhi.core.errors import CoreErrorCode
from fazhi.core.identity import (
    credit_code_check_digit,
    credit_code_normalize,
    id_number_check_digit,
    id_number_normalize,
)
from fazhi.core.models import OrgUnit, OrgUnitKind, Person
from fazhi.core.periods import period_parse
from fazhi.core.services import CoreError, person_create
from fazhi.datasets.registry import dataset_definition
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.registry import indicator_registry
from fazhi.registers.clocks import clock_state
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import ClockState, Record, RecordClock
from fazhi.registers.registry import definition_parse, register_definition
from fazhi.registers.selectors import clocks_overdue, overdue_by_unit, record_clocks, record_replay
from fazhi.registers.services import (
    record_create,
    record_extend_deadline,
    record_resume,
    record_state,
    record_suspend,
    record_transition,
)
from tests.lines.support import (
    LINES_DIR,
    check_personas_access,
    demo_build_alone,
    line_officer,
)

LINE = "law_enforcement"
REGISTERS = ["inspection_plans", "enterprise_inspections", "enforcement_permits", "penalty_cases"]
MOVED = ["les_planning_departments", "les_permits_issued", "les_inspections_filed"]
D = dt.date
FILED = D(2024, 3, 4)  # 立案日期: day 90 is Sunday 2024-06-02, so the period ends on Monday 06-03


@pytest.fixture
def officer(personas):
    """司法局 staff (依法治区办) over the whole district: files plans, issues permits, may handle cases."""
    return line_officer(personas)


def _go(user, record, transition, on, **kw):
    return record_transition(acting_user=user, record=record, transition=transition, on_date=on, **kw)


def _case(user, unit, filed=FILED, number="CF-1", **extra):
    """A penalty case entered two days after its 立案日期 (the clock counts from the 立案日期)."""
    return record_create(
        acting_user=user, register="penalty_cases", org_unit=unit, external_id=number,
        opened_on=filed + dt.timedelta(days=2),
        payload={"filed_on": filed, "department": unit.pk, "case_number": f"东市监立字〔2024〕第{number}号",
                 "party_name": "东洲某食品有限公司", "cause": "销售超过保质期的食品", **extra})


def _clock(record) -> RecordClock:
    return RecordClock.objects.get(record=record, code="decision")


def _state(record, today):
    return next(c for c in record_clocks(record, today=today) if c.code == "decision").state


def _valid_id(first17="21040319850312123"):
    return first17 + id_number_check_digit(first17)


def _credit_code(first17="91210804MA0X0K2L3"):
    return credit_code_normalize(first17 + credit_code_check_digit(first17))


# Definitions --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["register_plans.yaml", "register_inspections.yaml", "register_permits.yaml",
                                  "register_cases.yaml"])
def test_definition_files_are_valid_and_every_clock_states_its_basis(name):
    loaded, errors = definition_parse(LINES_DIR / LINE / name)
    assert errors == [] and loaded is not None
    assert loaded.definition.code in REGISTERS
    assert all(clock.basis for clock in loaded.definition.clocks)


def test_the_moved_indicators_are_defined_once_in_this_line_and_the_data_set_lost_its_elements():
    registry = indicator_registry()
    ours = ("law_enforcement", "law_enforcement_supervision")
    # a code defined twice would be an error naming it, at the second definition
    assert [e for e in registry.errors if e.path.parent.name in ours or any(c in e.message for c in MOVED)] == []
    for code in MOVED:
        assert registry.indicators[code].path.parent.name == LINE
    elements = {e.code for e in dataset_definition("law_enforcement_supervision").elements}
    assert elements == {"enforcement_staff", "legal_review_staff"}
    assert registry.indicators["les_legal_review_ratio"].path.parent.name == "law_enforcement_supervision"
    for code in ("les_case_files_reviewed", "les_case_file_reviewers"):  # counted from the 案卷评查 register
        assert registry.indicators[code].path.parent.name == "enforcement_case_review"


def test_decision_clock_is_article_60_with_an_approval_based_extension_under_department_rules():
    clock = register_definition("penalty_cases").clock("decision")
    assert clock is not None and clock.extension is not None
    assert "第六十条" in clock.basis and (clock.length, str(clock.unit)) == (90, "days")
    assert (clock.start.event, clock.start.date_field) == ("create", "filed_on")
    assert set(clock.stop_statuses) == {"decided", "closed"}
    assert (clock.extension.max_length, clock.extension.max_count) == (30, 1)
    assert "另有规定" in clock.extension.basis and "负责人批准" in clock.extension.basis


# 行政处罚案件: the 90-day clock (行政处罚法 第六十条) ---------------------------------------------------------


def test_clock_starts_on_the_filing_date_and_is_overdue_after_day_90(personas, officer):
    record = _case(officer, personas.justice_bureau)
    assert record.opened_on == FILED  # the 立案日期 feeds the opening date, not the day of entry
    clock = _clock(record)
    assert (clock.started_on, clock.due_on) == (FILED, D(2024, 6, 3))
    assert _state(record, D(2024, 3, 20)) == ClockState.ON_TIME
    assert _state(record, D(2024, 6, 3)) == ClockState.DUE_SOON
    assert _state(record, D(2024, 6, 4)) == ClockState.OVERDUE
    assert clocks_overdue(personas.district_admin, today=D(2024, 6, 4), register="penalty_cases").get().record == record
    assert not clocks_overdue(personas.district_admin, today=D(2024, 6, 3)).exists()
    rows = {r["unit"].pk: r["overdue"] for r in overdue_by_unit(personas.district_admin, root=personas.district,
                                                                today=D(2024, 6, 4))}
    assert rows[personas.justice_bureau.pk] == 1


def test_a_period_ending_in_the_national_day_holiday_ends_on_the_next_working_day(personas, officer):
    record = _case(officer, personas.justice_bureau, filed=D(2024, 7, 3))  # day 90 is 2024-10-01
    assert _clock(record).due_on == D(2024, 10, 8)


@pytest.mark.parametrize(("decided", "state"), [(D(2024, 6, 3), ClockState.MET), (D(2024, 6, 4), ClockState.MISSED)])
def test_the_decision_stops_the_clock(personas, officer, decided, state):
    record = _go(officer, _case(officer, personas.justice_bureau), "investigate", D(2024, 3, 5))
    record = _go(officer, record, "notify", D(2024, 5, 6), fields={"penalty_kind": "fine", "fine_amount": 20000})
    # 补充调查 after the 陈述申辩 does not stop it: the 90 days run from the 立案日期.
    record = _go(officer, record, "reinvestigate", D(2024, 5, 10), note="当事人陈述申辩提出新的事实，需补充调查")
    assert _clock(record).stopped_on is None
    record = _go(officer, record, "notify", D(2024, 5, 20))
    record = _go(officer, record, "decide", decided, outcome="penalty",
                 fields={"representation": "statement", "decision_number": "东市监罚决字〔2024〕第1号"})
    assert (record.status, record.outcome, record.amount, record.category) == ("decided", "penalty", 20000, "fine")
    assert _clock(record).stopped_on == decided and _state(record, D(2024, 12, 31)) == state
    record = _go(officer, record, "close", D(2024, 6, 28), fields={"execution": "performed"})
    assert (record.status, record.closed_on, record.outcome) == ("closed", D(2024, 6, 28), "penalty")
    assert _clock(record).stopped_on == decided  # closing leaves the decision date as the stop
    assert record_replay(record) == record_state(record)


def test_withdrawing_the_case_stops_the_clock_too(personas, officer):
    record = _go(officer, _case(officer, personas.justice_bureau), "investigate", D(2024, 3, 5))
    with pytest.raises(RecordError) as err:
        _go(officer, record, "withdraw_case", D(2024, 4, 1), outcome="case_withdrawn")
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    record = _go(officer, record, "withdraw_case", D(2024, 4, 1), outcome="case_withdrawn", note="违法事实不能成立")
    assert (record.status, _clock(record).stopped_on) == ("decided", D(2024, 4, 1))
    record = _go(officer, record, "close", D(2024, 4, 1), fields={"execution": "not_applicable"})
    assert (record.status, record.outcome) == ("closed", "case_withdrawn")


def test_one_extension_of_at_most_30_days_with_reason_and_approver(personas, officer):
    record = _go(officer, _case(officer, personas.justice_bureau), "investigate", D(2024, 3, 5))

    def extend(length, approver=personas.district_admin, reason="案情复杂，需检验鉴定"):
        return record_extend_deadline(acting_user=officer, record=record, clock="decision", length=length,
                                      reason=reason, approver=approver, on_date=D(2024, 5, 20))

    with pytest.raises(RecordError) as err:
        extend(31)
    assert err.value.code == RecordErrorCode.EXTENSION_TOO_LONG
    with pytest.raises(RecordError) as err:
        extend(30, reason=" ")
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    with pytest.raises(access.AccessDenied):
        extend(30, approver=personas.outsider)
    clock = extend(30)
    assert (clock.base_due_on, clock.due_on, clock.extensions) == (D(2024, 6, 3), D(2024, 7, 3), 1)
    assert clock.extension_approver == personas.district_admin
    assert _state(record, D(2024, 6, 20)) == ClockState.ON_TIME  # past the 90 days, inside the extension
    with pytest.raises(RecordError) as err:
        extend(5)
    assert err.value.code == RecordErrorCode.EXTENSION_NOT_ALLOWED
    record = _go(officer, record, "notify", D(2024, 6, 10))
    record = _go(officer, record, "decide", D(2024, 7, 2), outcome="no_penalty",
                 fields={"representation": "waived", "decision_number": "东市监不罚字〔2024〕第1号"})
    assert _state(record, D(2024, 12, 31)) == ClockState.MET
    assert record_replay(record) == record_state(record)


def test_hearing_and_expert_periods_suspend_the_clock(personas, officer):
    record = _case(officer, personas.justice_bureau)
    record_suspend(acting_user=officer, record=record, clock="decision", reason="委托检验，检验期间不计入办案期限",
                   on_date=D(2024, 4, 1))
    assert _state(record, D(2024, 6, 10)) == ClockState.SUSPENDED
    assert not clocks_overdue(personas.district_admin, today=D(2024, 6, 10)).exists()
    clock = record_resume(acting_user=officer, record=record, clock="decision", on_date=D(2024, 4, 11))
    assert clock.due_on == D(2024, 6, 13)  # ten days later


# 行政处罚案件: 法制审核 of major cases (行政处罚法 第五十八条) --------------------------------------------------


def test_a_major_case_is_decided_only_after_its_legal_review(personas, officer):
    record = _go(officer, _case(officer, personas.justice_bureau), "investigate", D(2024, 3, 5))
    with pytest.raises(RecordError) as err:  # the step decides the class: it cannot be entered otherwise
        _go(officer, record, "notify", D(2024, 4, 8), fields={"major_case": "major"})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_INVALID, "major_case")
    record = _go(officer, record, "notify_major", D(2024, 4, 8),
                 fields={"penalty_kind": "licence", "fine_amount": 300000})
    assert (record.status, record.payload["major_case"]) == ("legal_review", "major")
    with pytest.raises(RecordError) as err:  # the ordinary decision step is not open to it
        _go(officer, record, "decide", D(2024, 5, 6), outcome="penalty",
            fields={"representation": "hearing", "decision_number": "东市监罚决字〔2024〕第2号"})
    assert err.value.code == RecordErrorCode.TRANSITION_NOT_ALLOWED
    with pytest.raises(RecordError) as err:
        _go(officer, record, "decide_after_review", D(2024, 5, 6), outcome="penalty",
            fields={"representation": "hearing", "decision_number": "东市监罚决字〔2024〕第2号"})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_REQUIRED, "legal_review_opinion")
    with pytest.raises(RecordError) as err:
        _go(officer, record, "decide_after_review", D(2024, 5, 6), outcome="penalty",
            fields={"representation": "hearing", "decision_number": "东市监罚决字〔2024〕第2号",
                    "legal_review_opinion": "同意", "legal_review": "not_done"})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_INVALID, "legal_review")
    record = _go(officer, record, "decide_after_review", D(2024, 5, 6), outcome="penalty",
                 fields={"representation": "hearing", "decision_number": "东市监罚决字〔2024〕第2号",
                         "legal_review_opinion": "事实清楚，证据确凿，程序合法，处罚适当。"})
    assert (record.status, record.payload["legal_review"], record.category) == ("decided", "done", "licence")
    assert record_replay(record) == record_state(record)


def test_a_failed_legal_review_sends_the_case_back_to_investigation(personas, officer):
    record = _go(officer, _case(officer, personas.justice_bureau), "investigate", D(2024, 3, 5))
    record = _go(officer, record, "notify_major", D(2024, 4, 8))
    record = _go(officer, record, "reinvestigate", D(2024, 4, 15), note="法制审核未通过：证据不足")
    assert record.status == "investigating" and _clock(record).stopped_on is None


# Every status through the services, by the roles that may take each step ------------------------------------


def test_plan_drafted_and_submitted_by_the_department_filed_by_the_office(personas, officer):
    clerk, unit = personas.town_clerk, personas.town  # 哈达镇's liaison: the town's 综合行政执法 plan
    start = D(2024, 1, 1)
    plan = record_create(acting_user=clerk, register="inspection_plans", org_unit=unit, external_id="JH-1",
                         opened_on=D(2023, 12, 20),
                         payload={"starts_on": start, "year": 2024, "department": unit.pk, "title": "2024年度涉企行政检查计划",
                                  "planned_inspections": 24, "scope": "enterprise"})
    assert (plan.opened_on, plan.amount, plan.category) == (start, 24, "enterprise")
    clock = RecordClock.objects.get(record=plan, code="submission")
    submission = register_definition("inspection_plans").clock("submission")
    assert submission is not None and "地方" in submission.basis
    assert (clock.started_on, clock.due_on) == (start, D(2024, 1, 31))
    plan = _go(clerk, plan, "submit", D(2024, 2, 5))
    assert next(c for c in record_clocks(plan, today=D(2024, 3, 1))).state == ClockState.MISSED
    for transition in ("file", "return"):
        with pytest.raises(access.AccessDenied):
            _go(clerk, plan, transition, D(2024, 2, 6), note="x", fields={"publication": "网站"})
    plan = _go(officer, plan, "return", D(2024, 2, 6), note="未列明检查依据和检查频次")
    plan = _go(clerk, plan, "submit", D(2024, 2, 12))
    with pytest.raises(RecordError) as err:
        _go(officer, plan, "file", D(2024, 2, 15))
    assert err.value.field == "publication"
    plan = _go(officer, plan, "file", D(2024, 2, 15), fields={"publication": "东洲区人民政府网站"})
    assert (plan.status, plan.closed_on) == ("filed", D(2024, 2, 15))
    assert record_replay(plan) == record_state(plan)


def test_enterprise_inspection_filed_conducted_and_concluded_or_cancelled(personas):
    clerk, unit = personas.town_clerk, personas.town

    def filing(number):
        return record_create(acting_user=clerk, register="enterprise_inspections", org_unit=unit, external_id=number,
                             opened_on=D(2025, 3, 3),
                             payload={"filed_on": D(2025, 3, 3), "department": unit.pk, "entity_name": "西市某建材有限公司",
                                      "credit_code": _credit_code(), "inspection_date": D(2025, 3, 6),
                                      "kind": "routine", "plan_reference": "2025年度涉企行政检查计划"})

    record = _go(clerk, filing("BA-1"), "conduct", D(2025, 3, 6))
    with pytest.raises(RecordError) as err:
        _go(clerk, record, "conclude", D(2025, 3, 10), outcome="rectification")
    assert err.value.field == "findings"
    with pytest.raises(RecordError) as err:
        _go(clerk, record, "cancel", D(2025, 3, 10), note="取消")
    assert err.value.code == RecordErrorCode.TRANSITION_NOT_ALLOWED  # carried out: no longer cancellable
    record = _go(clerk, record, "conclude", D(2025, 3, 10), outcome="rectification",
                 fields={"findings": "消防通道堆放杂物，已责令限期整改"})
    assert (record.status, record.outcome, record.category, record.closed_on) == (
        "concluded", "rectification", "routine", D(2025, 3, 10))
    cancelled = _go(clerk, filing("BA-2"), "cancel", D(2025, 3, 4), note="企业已停产")
    assert (cancelled.status, cancelled.outcome) == ("cancelled", "")




def test_permit_applied_reviewed_issued_and_cancelled_or_refused(personas, officer):
    clerk, unit = personas.town_clerk, personas.town
    wrong = _valid_id()[:17] + ("1" if _valid_id().endswith("0") else "0")
    with pytest.raises(CoreError) as core_err:  # the holder is a core Person: a wrong check digit is refused
        person_create(acting_user=clerk, org_unit=unit, name="王磊", id_number=wrong)
    assert core_err.value.code == CoreErrorCode.ID_NUMBER_CHECK_DIGIT_WRONG

    def application(number, kind="new"):
        holder = person_create(acting_user=clerk, org_unit=unit, name="王磊", id_number=_valid_id())
        return record_create(acting_user=clerk, register="enforcement_permits", org_unit=unit, external_id=number,
                             opened_on=D(2024, 4, 8),
                             payload={"applied_on": D(2024, 4, 8), "holder": holder.pk, "department": unit.pk,
                                      "kind": kind})

    record = application("ZFZ-1")
    with pytest.raises(access.AccessDenied):  # the liaison applies; only the 司法局 reviews and issues
        _go(clerk, record, "review", D(2024, 4, 10))
    record = _go(officer, record, "review", D(2024, 4, 10))
    with pytest.raises(RecordError) as err:
        _go(officer, record, "issue", D(2024, 5, 20), fields={"permit_number": "2104032024001"})
    assert err.value.field == "exam_passed"
    record = _go(officer, record, "issue", D(2024, 5, 20), fields={"exam_passed": True, "permit_number": "2104032024001"})
    assert (record.status, record.closed_on, record.category) == ("issued", D(2024, 5, 20), "new")
    with pytest.raises(RecordError) as err:
        _go(officer, record, "revoke", D(2025, 3, 1))
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    record = _go(officer, record, "revoke", D(2025, 3, 1), note="持证人已调离行政执法岗位")
    assert (record.status, record.closed_on) == ("revoked", D(2025, 3, 1))

    refused = _go(officer, application("ZFZ-2", kind="renewal"), "review", D(2024, 4, 10))
    with pytest.raises(RecordError) as err:
        _go(officer, refused, "refuse", D(2024, 5, 20))
    assert err.value.field == "refusal_reason"
    refused = _go(officer, refused, "refuse", D(2024, 5, 20),
                  fields={"exam_passed": False, "refusal_reason": "行政执法资格考试成绩不合格"})
    assert (refused.status, refused.category) == ("refused", "renewal")
    assert record_replay(refused) == record_state(refused)


def test_holder_id_number_is_masked_on_the_record_page(personas, officer, client):
    holder = person_create(acting_user=officer, org_unit=personas.justice_bureau, name="李静", id_number=_valid_id())
    record = record_create(acting_user=officer, register="enforcement_permits", org_unit=personas.justice_bureau,
                           external_id="ZFZ-9", opened_on=D(2024, 4, 8),
                           payload={"applied_on": D(2024, 4, 8), "holder": holder.pk,
                                    "department": personas.justice_bureau.pk, "kind": "new"})
    full, masked = holder.id_number, Person.objects.get(pk=holder.pk).masked_id_number
    assert masked == full[:6] + "*" * 8 + full[14:]
    client.force_login(officer)  # 依法治区办 staff: no right to personal data
    page = client.post(reverse("web:record", args=[record.pk]), {"reveal": "1"}).content.decode()
    assert masked in page and full not in page
    client.force_login(personas.district_admin)  # may reveal it, on an explicit request
    assert full not in client.get(reverse("web:record", args=[record.pk])).content.decode()
    assert full in client.post(reverse("web:record", args=[record.pk]), {"reveal": "1"}).content.decode()


# Personas and indicators -----------------------------------------------------------------------------------


@pytest.mark.parametrize("register", REGISTERS)
def test_personas_access(personas, officer, register):
    check_personas_access(personas, register, user=officer, unit=personas.justice_bureau)


def test_moved_indicators_count_the_registers(personas, officer):
    def plan(unit, number, *, scope="enterprise", steps=("submit",)):
        record = record_create(acting_user=officer, register="inspection_plans", org_unit=unit, external_id=number,
                               payload={"starts_on": D(2024, 1, 1), "year": 2024, "department": unit.pk,
                                        "title": "检查计划", "planned_inspections": 10, "scope": scope})
        for step in steps:
            record = _go(officer, record, step, D(2024, 1, 15), fields={"publication": "网站"})
        return record

    plan(personas.justice_bureau, "P-1")
    plan(personas.justice_bureau, "P-2", steps=("submit", "file"))  # the same department twice: one department
    plan(personas.town, "P-3", steps=())  # still being drafted
    plan(personas.street, "P-4", scope="other")  # not a 涉企 plan

    def permit(number, applied, steps):
        holder = person_create(acting_user=officer, org_unit=personas.town, name="张伟", id_number=_valid_id())
        record = record_create(acting_user=officer, register="enforcement_permits", org_unit=personas.town,
                               external_id=number, payload={"applied_on": applied, "holder": holder.pk,
                                                            "department": personas.town.pk, "kind": "renewal"})
        fields = {"review": {}, "issue": {"exam_passed": True, "permit_number": number},
                  "refuse": {"refusal_reason": "不符合换领条件"}, "revoke": {}}
        for step, on in steps:
            record = _go(officer, record, step, on, note="持证人已调离", fields=fields[step])
        return record

    permit("Z-1", D(2023, 12, 18), [("review", D(2023, 12, 19)), ("issue", D(2024, 1, 10))])  # issued in 2024
    permit("Z-2", D(2024, 3, 1), [("review", D(2024, 3, 2)), ("issue", D(2024, 4, 1)), ("revoke", D(2024, 9, 1))])
    permit("Z-3", D(2024, 3, 1), [("review", D(2024, 3, 2)), ("refuse", D(2024, 4, 1))])
    permit("Z-4", D(2024, 3, 1), [("review", D(2024, 3, 2))])

    values = indicators_compute(units=[personas.district], periods=[period_parse("2024"), period_parse("2023")],
                                codes=[*MOVED, "le_plans_submitted", "le_permits_revoked", "le_permits_refused"])

    def got(code, period="2024"):
        return values[(personas.district.pk, period, code)].value

    assert (got("les_planning_departments"), got("le_plans_submitted")) == (1, 3)
    assert (got("les_permits_issued"), got("les_permits_issued", "2023")) == (1, 0)
    assert (got("le_permits_revoked"), got("le_permits_refused"), got("les_inspections_filed")) == (1, 1, 0)


# The demo --------------------------------------------------------------------------------------------------


def test_demo_data(db):
    ctx, created = demo_build_alone(LINE)
    assert created > 0
    dz, xs = ctx.unit("东洲区"), ctx.unit("西市区")

    # 38 enforcement departments of 东洲区, the org tree's own five among them, one 2024 plan each.
    plans = Record.objects.filter(register="inspection_plans", external_id__startswith="DZ-")
    departments = OrgUnit.objects.filter(pk__in=[p.payload["department"] for p in plans])
    assert plans.count() == departments.count() == 38
    assert set(departments.values_list("kind", "parent")) == {(OrgUnitKind.DEPARTMENT, dz.pk)}
    assert {"区司法局", "区交通局", "公安东洲分局"} <= set(departments.values_list("name", flat=True))

    # Penalty cases: 40 in 东洲区 2024, three major ones reviewed, two decided late, one still open past its
    # 90 days, one extended and decided inside the extension.
    cases = Record.objects.filter(register="penalty_cases", external_id__startswith="DZ-")
    assert cases.count() == 40
    major = [c for c in cases if c.payload.get("major_case") == "major"]
    assert len(major) == 3 and all(c.payload["legal_review"] == "done" for c in major)
    clocks = RecordClock.objects.filter(record__in=cases)
    states = [clock_state(c, today=D(2026, 1, 1)) for c in clocks]
    assert (states.count(ClockState.MISSED), states.count(ClockState.OVERDUE)) == (2, 1)
    extended = clocks.get(extensions=1)
    assert clock_state(extended, today=D(2026, 1, 1)) == ClockState.MET
    assert extended.stopped_on is not None and extended.stopped_on > extended.base_due_on
    assert record_replay(extended.record) == record_state(extended.record)

    # Persons and entities are well-formed: valid 身份证号 of the district, valid 统一社会信用代码.
    holders = Person.objects.filter(pk__in=[r.payload["holder"] for r in Record.objects.filter(
        register="enforcement_permits", external_id__startswith="DZ-")])
    assert holders.count() == 103
    assert all(id_number_normalize(p.id_number).startswith("210403") for p in holders)
    filings = Record.objects.filter(register="enterprise_inspections", external_id__startswith="XS-")
    assert all(credit_code_normalize(r.payload["credit_code"]) for r in filings[:100])

    # 西市区 issued no permits in 2025 (its batches were 2024 and 2026), so the drafted 西市区 2025 report
    # still leaves out the sentence on plans and permits (tests/reports/golden).
    values = indicators_compute(units=[dz, xs], periods=[period_parse("2024"), period_parse("2025")],
                                codes=["les_permits_issued", "les_inspections_filed", "le_penalty_cases_opened",
                                       "le_penalty_major_cases", "le_permits_new", "le_permits_renewed"])
    assert values[(xs.pk, "2025", "les_permits_issued")].value == 0
    assert values[(xs.pk, "2025", "les_inspections_filed")].value == 409
    assert (values[(dz.pk, "2024", "le_permits_new")].value, values[(dz.pk, "2024", "le_permits_renewed")].value) == (
        44, 27)
    assert values[(xs.pk, "2025", "le_penalty_cases_opened")].value == 24
    assert values[(dz.pk, "2024", "le_penalty_major_cases")].value == Decimal(3)
