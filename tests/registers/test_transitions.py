"""Every allowed and every forbidden transition of every register, by service call."""

import datetime as dt

import pytest

from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.services import record_transition
from tests.lines.support import line_officer

from .driving import DAY, check_role_refusals, check_transition_from_status, create_sample, drive_to, path_to

# Who acts for each register, and in which unit its records live: a persona, or "role:<code>" for a user
# given that role over the district (the personas hold no office_staff, procurator or court_staff role).
ACTORS = {
    "people_mediation": ("mediator", "town"),
    "administrative_review": ("review_officer", "justice_bureau"),
    "legal_aid": ("legal_aid_staff", "justice_bureau"),
    "notarizations": ("role:office_staff", "town_office"),
    "community_correction": ("correction_officer", "town_office"),
    "pretrial_assessment": ("correction_officer", "town_office"),
    "resettlement": ("correction_officer", "town_office"),
    "normative_documents": ("district_admin", "justice_bureau"),
    "enforcement_case_review": ("district_admin", "justice_bureau"),
    "major_penalty_filing": ("district_admin", "justice_bureau"),
    "inspection_plans": ("role:office_staff", "justice_bureau"),
    "enterprise_inspections": ("role:office_staff", "justice_bureau"),
    "enforcement_permits": ("role:office_staff", "justice_bureau"),
    "penalty_cases": ("role:office_staff", "justice_bureau"),
    "hotline_12345": ("role:office_staff", "town"),
    "special_cleanup": ("role:office_staff", "town"),
    "inspection_findings": ("role:office_staff", "town"),
    "business_supervision_letter": ("role:office_staff", "town"),
    "business_supervision_clue": ("role:office_staff", "town"),
    "business_commitment": ("role:office_staff", "town"),
    "business_manager_matches": ("role:office_staff", "town"),
    "business_manager_services": ("role:office_staff", "town"),
    "public_interest_litigation": ("role:procurator", "town"),
    "pre_litigation_mediation": ("role:court_staff", "town"),
    "administrative_litigation": ("review_officer", "justice_bureau"),
    "major_decisions": ("role:office_staff", "justice_bureau"),
}

CASES = [
    (d.code, t.code, s.code)
    for d in register_definitions()
    if d.code in ACTORS
    for t in d.transitions
    for s in d.statuses
]


def actor(personas, register: str):
    who, unit_name = ACTORS[register]
    user = line_officer(personas, who.removeprefix("role:")) if who.startswith("role:") else getattr(personas, who)
    return user, getattr(personas, unit_name)


def test_every_register_is_covered():
    assert set(ACTORS) == {d.code for d in register_definitions()}


@pytest.mark.parametrize("register", sorted(ACTORS))
def test_every_status_is_reachable(register):
    definition = register_definition(register)
    for status in definition.statuses:
        assert path_to(definition, status.code) is not None, status.code


@pytest.mark.parametrize(("register", "transition", "status"), CASES)
def test_transition_from_status(personas, register, transition, status):
    user, unit = actor(personas, register)
    check_transition_from_status(register, transition, status, user=user, unit=unit)


@pytest.mark.parametrize(("register", "transition"), sorted({(d, t) for d, t, _ in CASES}))
def test_transition_refused_for_personas_without_the_role(personas, register, transition):
    user, unit = actor(personas, register)
    check_role_refusals(personas, register, transition, user=user, unit=unit)


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
