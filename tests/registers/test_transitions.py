"""Every allowed and every forbidden transition of every register, by service call."""

import datetime as dt

import pytest

from fazhi.core import access
from fazhi.core.models import AuditEvent
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordEvent
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.selectors import record_replay
from fazhi.registers.services import record_state, record_transition

from .driving import create_sample, drive_to, path_to, transition_inputs

DAY = dt.date(2024, 3, 4)

# Which persona acts for each register, and in which unit its records live.
ACTORS = {
    "people_mediation": ("mediator", "town"),
    "administrative_review": ("review_officer", "justice_bureau"),
    "legal_aid": ("legal_aid_staff", "justice_bureau"),
    "community_correction": ("correction_officer", "town_office"),
    "pretrial_assessment": ("correction_officer", "town_office"),
    "resettlement": ("correction_officer", "town_office"),
    "normative_documents": ("district_admin", "justice_bureau"),
    "enforcement_case_review": ("district_admin", "justice_bureau"),
    "major_penalty_filing": ("district_admin", "justice_bureau"),
}

CASES = [
    (d.code, t.code, s.code)
    for d in register_definitions()
    if d.code in ACTORS
    for t in d.transitions
    for s in d.statuses
]


def test_every_register_of_the_engine_is_covered():
    assert set(ACTORS) <= {d.code for d in register_definitions()}


@pytest.mark.parametrize("register", sorted(ACTORS))
def test_every_status_is_reachable(register):
    definition = register_definition(register)
    for status in definition.statuses:
        assert path_to(definition, status.code) is not None, status.code


@pytest.mark.parametrize(("register", "transition", "status"), CASES)
def test_transition_from_status(personas, register, transition, status):
    definition = register_definition(register)
    persona, unit_name = ACTORS[register]
    user, unit = getattr(personas, persona), getattr(personas, unit_name)
    record = create_sample(definition, user=user, unit=unit, opened_on=DAY)
    record = drive_to(definition, record, status, user=user, on_date=DAY)
    t = definition.transition(transition)
    inputs = transition_inputs(definition, t, unit=unit, on_date=DAY)
    events_before = RecordEvent.objects.filter(record=record).count()
    audits_before = AuditEvent.objects.count()
    if status in t.from_:
        record = record_transition(acting_user=user, record=record, transition=transition, on_date=DAY, **inputs)
        assert record.status == t.to
        assert RecordEvent.objects.filter(record=record).count() == events_before + 1
        assert AuditEvent.objects.count() == audits_before + 1
        assert record_replay(record) == record_state(record)
        assert (record.closed_on is not None) == definition.status(t.to).final
    else:
        with pytest.raises(RecordError) as err:
            record_transition(acting_user=user, record=record, transition=transition, on_date=DAY, **inputs)
        assert err.value.code == RecordErrorCode.TRANSITION_NOT_ALLOWED
        record.refresh_from_db()
        assert record.status == status
        assert RecordEvent.objects.filter(record=record).count() == events_before
        assert AuditEvent.objects.count() == audits_before


@pytest.mark.parametrize(("register", "transition"), sorted({(d, t) for d, t, _ in CASES}))
def test_transition_refused_for_personas_without_the_role(personas, register, transition):
    definition = register_definition(register)
    persona, unit_name = ACTORS[register]
    user, unit = getattr(personas, persona), getattr(personas, unit_name)
    t = definition.transition(transition)
    record = create_sample(definition, user=user, unit=unit, opened_on=DAY)
    record = drive_to(definition, record, t.from_[0], user=user, on_date=DAY)
    inputs = transition_inputs(definition, t, unit=unit, on_date=DAY)
    for name, other in personas.all_users().items():
        if access.can_act_as(other, unit, t.roles):
            continue
        with pytest.raises(access.AccessDenied):
            record_transition(acting_user=other, record=record, transition=transition, on_date=DAY, **inputs)
        record.refresh_from_db()
        assert record.status == t.from_[0], name


def test_transition_requires_its_fields_and_outcome(personas):
    definition = register_definition("administrative_review")
    record = create_sample(definition, user=personas.review_officer, unit=personas.justice_bureau, opened_on=DAY)
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.review_officer, record=record, transition="reject", on_date=DAY)
    assert err.value.code == RecordErrorCode.FIELD_REQUIRED and err.value.field == "rejection_reason"
    record = drive_to(definition, record, "hearing", user=personas.review_officer, on_date=DAY)
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.review_officer, record=record, transition="decide", on_date=DAY,
                          fields={"decision_number": "东复决〔2024〕1号"})
    assert err.value.code == RecordErrorCode.OUTCOME_REQUIRED
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.review_officer, record=record, transition="decide", on_date=DAY,
                          fields={"decision_number": "东复决〔2024〕1号"}, outcome="success")
    assert err.value.code == RecordErrorCode.OUTCOME_INVALID
    record = record_transition(acting_user=personas.review_officer, record=record, transition="decide", on_date=DAY,
                               fields={"decision_number": "东复决〔2024〕1号"}, outcome="revoked")
    assert (record.status, record.outcome) == ("decided", "revoked")


def test_transition_date_cannot_precede_opening(personas):
    definition = register_definition("people_mediation")
    record = create_sample(definition, user=personas.mediator, unit=personas.town, opened_on=DAY)
    with pytest.raises(RecordError) as err:
        record_transition(acting_user=personas.mediator, record=record, transition="start",
                          on_date=DAY - dt.timedelta(days=1))
    assert err.value.code == RecordErrorCode.DATE_INVALID
