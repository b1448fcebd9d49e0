import datetime as dt

import pytest

from fazhi.core import access
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import ClockState, RecordClock
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import clocks_overdue, overdue_by_unit, record_clocks, record_timeline
from fazhi.registers.services import (
    record_extend_deadline,
    record_resume,
    record_suspend,
    record_transition,
)

from .driving import create_sample

D = dt.date


def clock(record, code):
    return RecordClock.objects.get(record=record, code=code)


@pytest.fixture
def review(personas):
    """An administrative review application received on Thursday 8 Feb 2024, just before 春节."""
    definition = register_definition("administrative_review")
    return create_sample(definition, user=personas.review_officer, unit=personas.justice_bureau,
                         opened_on=D(2024, 2, 8), payload={"received_on": D(2024, 2, 8)})


def test_acceptance_review_counts_five_working_days_across_spring_festival(review):
    # 9 Feb, 18 Feb (调休 Sunday), 19, 20, 21 Feb.
    assert clock(review, "acceptance_review").due_on == D(2024, 2, 21)
    assert review.opened_on == D(2024, 2, 8)  # the received_on field feeds the opened_on column


def test_decision_clock_starts_at_acceptance_and_stops_the_review_clock(personas, review):
    review = record_transition(acting_user=personas.review_officer, record=review, transition="accept",
                               on_date=D(2024, 2, 20))
    assert clock(review, "acceptance_review").stopped_on == D(2024, 2, 20)
    decision = clock(review, "decision")
    # 60 calendar days from 20 Feb is Saturday 20 Apr 2024: the period ends on Monday 22 Apr.
    assert (decision.started_on, decision.due_on) == (D(2024, 2, 20), D(2024, 4, 22))
    states = {c.code: c.state for c in record_clocks(review, today=D(2024, 3, 1))}
    assert states == {"acceptance_review": ClockState.MET, "decision": ClockState.ON_TIME}


def test_one_extension_of_at_most_thirty_days_with_reason_and_approver(personas, review):
    review = record_transition(acting_user=personas.review_officer, record=review, transition="accept",
                               on_date=D(2024, 2, 20))
    officer, approver = personas.review_officer, personas.district_admin
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=officer, record=review, clock="decision", length=31, reason="复杂",
                               approver=approver)
    assert err.value.code == RecordErrorCode.EXTENSION_TOO_LONG
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=officer, record=review, clock="decision", length=30, reason=" ",
                               approver=approver)
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    with pytest.raises(access.AccessDenied):
        record_extend_deadline(acting_user=officer, record=review, clock="decision", length=30, reason="复杂",
                               approver=personas.leader)  # read-only: cannot approve
    rc = record_extend_deadline(acting_user=officer, record=review, clock="decision", length=30,
                                reason="案情复杂", approver=approver, on_date=D(2024, 4, 10))
    assert rc.due_on == D(2024, 5, 22) and rc.base_due_on == D(2024, 4, 22)
    assert rc.extension_approver == approver
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=officer, record=review, clock="decision", length=5, reason="再延",
                               approver=approver)
    assert err.value.code == RecordErrorCode.EXTENSION_NOT_ALLOWED
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=officer, record=review, clock="acceptance_review", length=1,
                               reason="x", approver=approver)
    assert err.value.code == RecordErrorCode.CLOCK_NOT_RUNNING


def test_clock_without_extension_rule_cannot_be_extended(personas):
    definition = register_definition("people_mediation")
    record = create_sample(definition, user=personas.mediator, unit=personas.town, opened_on=D(2024, 3, 1))
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=personas.mediator, record=record, clock="conclude", length=5,
                               reason="x", approver=personas.district_admin)
    assert err.value.code == RecordErrorCode.EXTENSION_NOT_ALLOWED


def test_suspension_pushes_the_deadline_by_the_suspended_days(personas, review):
    officer = personas.review_officer
    review = record_transition(acting_user=officer, record=review, transition="accept", on_date=D(2024, 2, 20))
    record_suspend(acting_user=officer, record=review, clock="decision", reason="申请人下落不明", on_date=D(2024, 3, 1))
    assert record_clocks(review, today=D(2024, 6, 1))[-1].state == ClockState.SUSPENDED
    assert not clocks_overdue(personas.district_admin, today=D(2024, 6, 1)).filter(record=review).exists()
    with pytest.raises(RecordError) as err:
        record_suspend(acting_user=officer, record=review, clock="decision", reason="again", on_date=D(2024, 3, 2))
    assert err.value.code == RecordErrorCode.ALREADY_SUSPENDED
    rc = record_resume(acting_user=officer, record=review, clock="decision", on_date=D(2024, 3, 11))
    # 22 Apr + 10 days = 2 May, inside 劳动节 (1–5 May): the period ends on Monday 6 May.
    assert rc.due_on == D(2024, 5, 6)
    with pytest.raises(RecordError) as err:
        record_resume(acting_user=officer, record=review, clock="decision", on_date=D(2024, 3, 12))
    assert err.value.code == RecordErrorCode.NOT_SUSPENDED
    kinds = [e.kind for e in record_timeline(review)]
    assert kinds == ["created", "transition", "suspended", "resumed"]


def test_acceptance_review_cannot_be_suspended(personas, review):
    with pytest.raises(RecordError) as err:
        record_suspend(acting_user=personas.review_officer, record=review, clock="acceptance_review", reason="x")
    assert err.value.code == RecordErrorCode.SUSPENSION_NOT_ALLOWED


def test_clock_states_over_time(personas):
    definition = register_definition("people_mediation")
    record = create_sample(definition, user=personas.mediator, unit=personas.town, opened_on=D(2024, 1, 20))
    # One month from 20 Jan is Tuesday 20 Feb 2024, after 春节.
    assert clock(record, "conclude").due_on == D(2024, 2, 20)
    state = {t: record_clocks(record, today=t)[0].state for t in (D(2024, 2, 1), D(2024, 2, 18), D(2024, 2, 21))}
    assert state == {D(2024, 2, 1): ClockState.ON_TIME, D(2024, 2, 18): ClockState.DUE_SOON,
                     D(2024, 2, 21): ClockState.OVERDUE}
    record_transition(acting_user=personas.mediator, record=record, transition="conclude", on_date=D(2024, 2, 22),
                      outcome="failure", fields={"mediator_name": "调解员甲"})
    assert record_clocks(record, today=D(2024, 3, 1))[0].state == ClockState.MISSED


def test_reopening_a_concluded_mediation_clears_its_outcome_and_restarts_its_clock(personas):
    definition = register_definition("people_mediation")
    record = create_sample(definition, user=personas.mediator, unit=personas.town, opened_on=D(2024, 3, 1))
    record = record_transition(acting_user=personas.mediator, record=record, transition="conclude",
                               on_date=D(2024, 3, 5), outcome="success", fields={"mediator_name": "甲"})
    assert (record.outcome, record.closed_on) == ("success", D(2024, 3, 5))
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.mediator, record=record, transition="reopen", on_date=D(2024, 3, 6))
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    record = record_transition(acting_user=personas.mediator, record=record, transition="reopen",
                               on_date=D(2024, 3, 6), note="当事人反悔")
    assert (record.status, record.outcome, record.closed_on) == ("mediating", "", None)
    assert clock(record, "conclude").stopped_on is None


def test_legal_aid_clocks_depend_on_the_source(personas):
    definition = register_definition("legal_aid")
    staff, unit = personas.legal_aid_staff, personas.justice_bureau
    application = create_sample(definition, user=staff, unit=unit, opened_on=D(2024, 2, 6),
                                payload={"applied_on": D(2024, 2, 6), "source": "application"})
    # 7 days from 6 Feb 2024 is 13 Feb, inside 春节: ends on Sunday 18 Feb, a 调休 working day.
    assert clock(application, "review").due_on == D(2024, 2, 18)
    assert not RecordClock.objects.filter(record=application, code="notice_assignment").exists()
    record_transition(acting_user=staff, record=application, transition="grant", on_date=D(2024, 2, 19))
    assert clock(application, "assignment").due_on == D(2024, 2, 22)
    notice = create_sample(definition, user=staff, unit=unit, opened_on=D(2024, 3, 1),
                           payload={"applied_on": D(2024, 3, 1), "source": "notice"})
    assert {c.code for c in RecordClock.objects.filter(record=notice)} == {"notice_assignment"}
    assert clock(notice, "notice_assignment").due_on == D(2024, 3, 4)  # 3 days ends on a Monday


def test_legal_aid_assignment_history_is_kept(personas):
    definition = register_definition("legal_aid")
    staff = personas.legal_aid_staff
    record = create_sample(definition, user=staff, unit=personas.justice_bureau, opened_on=D(2024, 3, 1),
                           payload={"applied_on": D(2024, 3, 1), "source": "application"})
    record = record_transition(acting_user=staff, record=record, transition="grant", on_date=D(2024, 3, 2))
    record = record_transition(acting_user=staff, record=record, transition="assign", on_date=D(2024, 3, 3),
                               fields={"lawyer": "甲律师"})
    record = record_transition(acting_user=staff, record=record, transition="reassign", on_date=D(2024, 3, 9),
                               fields={"lawyer": "乙律师"}, note="回避")
    lawyers = [e.data["set"].get("payload.lawyer") for e in record_timeline(record) if "payload.lawyer" in e.data["set"]]
    assert lawyers == ["甲律师", "乙律师"]
    assert record.payload["lawyer"] == "乙律师"


def test_overdue_by_unit_counts_each_child_subtree(personas):
    definition = register_definition("people_mediation")
    for opened in (D(2024, 1, 2), D(2024, 1, 3), D(2024, 3, 20)):
        create_sample(definition, user=personas.mediator, unit=personas.town_office, opened_on=opened)
    create_sample(definition, user=personas.other_mediator, unit=personas.street, opened_on=D(2024, 1, 5))
    rows = {r["unit"].name: r for r in overdue_by_unit(personas.district_admin, root=personas.district,
                                                        today=D(2024, 4, 1))}
    assert rows["哈达镇"]["overdue"] == 2  # the office's records count for its town
    assert rows["新屯街道"]["overdue"] == 1
    assert rows["区司法局"]["overdue"] == 0
    assert clocks_overdue(personas.town_clerk, today=D(2024, 4, 1)).count() == 2
    assert clocks_overdue(personas.outsider, today=D(2024, 4, 1)).count() == 0
    with pytest.raises(access.AccessDenied):
        overdue_by_unit(personas.outsider, root=personas.district, today=D(2024, 4, 1))
