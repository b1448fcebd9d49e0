"""社区矫正: clocks, grade history, flows and access."""

import datetime as dt

import pytest

from fazhi.core import access
from fazhi.core.periods import period_parse
from fazhi.indicators.engine import indicators_compute
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import record_timeline, records_visible
from fazhi.registers.services import record_transition
from tests.registers.driving import create_sample

D = dt.date


def correction(personas, *, effective, received, kind="probation", grade="ordinary"):
    return create_sample(register_definition("community_correction"), user=personas.correction_officer,
                         unit=personas.town_office, opened_on=received,
                         payload={"effective_on": effective, "received_on": received, "correction_type": kind,
                                  "grade": grade})


def test_report_in_clock_is_ten_days_from_the_judgment(personas):
    # Judgment effective Monday 5 Feb 2024: ten days is 15 Feb, inside 春节, so the period ends on
    # Sunday 18 Feb 2024, a 调休 working day (民法典 第二百零三条).
    record = correction(personas, effective=D(2024, 2, 5), received=D(2024, 2, 6))
    assert RecordClock.objects.get(record=record, code="report_in").due_on == D(2024, 2, 18)


def test_grade_changes_are_kept_in_the_timeline(personas):
    record = correction(personas, effective=D(2024, 3, 1), received=D(2024, 3, 4))
    officer = personas.correction_officer
    record = record_transition(acting_user=officer, record=record, transition="report_in", on_date=D(2024, 3, 4))
    record = record_transition(acting_user=officer, record=record, transition="change_grade", on_date=D(2024, 6, 1),
                               fields={"grade": "strict"}, note="违反报告规定")
    record = record_transition(acting_user=officer, record=record, transition="change_grade", on_date=D(2024, 9, 1),
                               fields={"grade": "ordinary"}, note="考核合格")
    grades = [e.data["set"]["payload.grade"] for e in record_timeline(record) if "payload.grade" in e.data["set"]]
    assert grades == ["ordinary", "strict", "ordinary"]
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=officer, record=record, transition="change_grade", on_date=D(2024, 10, 1),
                          fields={"grade": "lenient"})
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED


def test_electronic_tag_runs_three_months_and_each_extension_three_more(personas):
    from fazhi.registers.errors import RecordError
    from fazhi.registers.selectors import clocks_overdue
    from fazhi.registers.services import record_extend_deadline

    officer = personas.correction_officer
    record = correction(personas, effective=D(2024, 3, 1), received=D(2024, 3, 4))
    record = record_transition(acting_user=officer, record=record, transition="report_in", on_date=D(2024, 3, 4))
    with pytest.raises(RecordError):  # 社区矫正法 第二十九条: only on one of its grounds, approved by the head
        record_transition(acting_user=officer, record=record, transition="tag", on_date=D(2024, 5, 6))
    record = record_transition(acting_user=officer, record=record, transition="tag", on_date=D(2024, 5, 6),
                               fields={"e_tag_ground": "left_area", "e_tag_approver": "区司法局局长"})
    clock = RecordClock.objects.get(record=record, code="e_tag")
    assert clock.due_on == D(2024, 8, 6)  # three months
    assert clocks_overdue(officer, today=D(2024, 8, 7)).filter(record=record, code="e_tag").exists()
    approver = personas.district_admin  # the head of the district's 司法行政部门
    for expected in (D(2024, 11, 6), D(2025, 2, 6)):  # as many times as approved, three months each
        record_extend_deadline(acting_user=officer, record=record, clock="e_tag", length=3,
                               reason="经评估仍有必要继续使用", approver=approver, on_date=D(2024, 8, 5))
        clock.refresh_from_db()
        assert clock.due_on == expected
    with pytest.raises(RecordError):  # never more than three months at a time
        record_extend_deadline(acting_user=officer, record=record, clock="e_tag", length=4,
                               reason="过长", approver=approver, on_date=D(2024, 8, 5))
    record = record_transition(acting_user=officer, record=record, transition="untag", on_date=D(2024, 12, 2),
                               note="表现良好，不需要继续使用")
    clock.refresh_from_db()
    assert (record.status, clock.stopped_on) == ("under_correction", D(2024, 12, 2))


def test_register_flow_adds_up(personas):
    officer = personas.correction_officer
    before = [correction(personas, effective=D(2023, 5, 1), received=D(2023, 5, 3), kind=k)
              for k in ("probation", "probation", "parole")]
    for r in before:
        record_transition(acting_user=officer, record=r, transition="report_in", on_date=D(2023, 5, 3))
    record_transition(acting_user=officer, record=before[0], transition="release", on_date=D(2024, 4, 1))
    record_transition(acting_user=officer, record=before[1], transition="transfer", on_date=D(2024, 5, 1),
                      fields={"new_place": "外区"})
    new = correction(personas, effective=D(2024, 6, 1), received=D(2024, 6, 3), kind="medical_parole")
    record_transition(acting_user=officer, record=new, transition="report_in", on_date=D(2024, 6, 3))
    values = indicators_compute(units=[personas.district], periods=[period_parse("2024")])
    got = {code: values[(personas.district.pk, "2024", code)].value for code in (
        "correction_on_register_start", "correction_received", "correction_released", "correction_transferred",
        "correction_on_register", "correction_medical_parole", "correction_parole")}
    assert got == {"correction_on_register_start": 3, "correction_received": 1, "correction_released": 1,
                   "correction_transferred": 1, "correction_on_register": 2, "correction_medical_parole": 1,
                   "correction_parole": 1}
    from fazhi.indicators.rules import RuleOutcome, rules_check

    results = {r.code: r.outcome for r in rules_check(units=[personas.district], period=period_parse("2024"))}
    assert results["correction_flow"] == RuleOutcome.PASSED
    assert results["correction_types_add_up"] == RuleOutcome.PASSED


def test_personal_data_lines_are_closed_to_other_units(personas):
    record = correction(personas, effective=D(2024, 3, 1), received=D(2024, 3, 4))
    assert records_visible(personas.other_mediator, register="community_correction").count() == 0
    assert records_visible(personas.outsider, register="community_correction").count() == 0
    assert records_visible(personas.leader, register="community_correction").count() == 1
    for user in (personas.town_clerk, personas.leader, personas.outsider, personas.mediator):
        with pytest.raises(access.AccessDenied):
            record_transition(acting_user=user, record=record, transition="report_in", on_date=D(2024, 3, 4))
    assert access.may(personas.correction_officer, access.Perm.PERSONAL_DATA_VIEW, personas.town_office)
    assert not access.may(personas.mediator, access.Perm.PERSONAL_DATA_VIEW, personas.town_office)
