"""Random sequences of service calls by several personas, checking the engine's invariants:

- each record's timeline replays to its current state;
- no write outside the actor's jurisdiction (or role) succeeds;
- every successful write has exactly one audit event, and a refused write has none.
"""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.models import AuditEvent
from fazhi.registers.errors import RecordError
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import record_replay
from fazhi.registers.services import (
    record_create,
    record_extend_deadline,
    record_resume,
    record_state,
    record_suspend,
    record_transition,
    record_update,
)

from .driving import acts_as, sample_value, transition_inputs

PERSONAS = ["district_admin", "leader", "town_clerk", "mediator", "other_mediator", "review_officer",
            "legal_aid_staff", "outsider"]
UNITS = ["town", "town_office", "street", "justice_bureau", "other_street"]
REGISTERS = ["people_mediation", "administrative_review", "legal_aid"]
BASE = dt.date(2024, 1, 2)


def test_random_service_sequences_keep_the_invariants(personas):
    stats = {"ok": 0, "denied": 0, "invalid": 0}

    class EngineMachine(RuleBasedStateMachine):
        records = Bundle("records")

        def __init__(self):
            super().__init__()
            self.savepoint = transaction.savepoint()
            self.serial = 0
            self.day = BASE

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def _write(self, actor, unit, perm, allowed_roles, call):
            """Run one service call and check its audit footprint and its access decision."""
            before = AuditEvent.objects.count()
            may = acts_as(actor, unit, perm, allowed_roles)
            try:
                result = call()
            except access.AccessDenied:
                assert not may, "refused although the actor holds the role here"
                assert AuditEvent.objects.count() == before
                stats["denied"] += 1
                return None
            except RecordError:
                assert AuditEvent.objects.count() == before
                stats["invalid"] += 1
                return None
            assert may, "a write outside the actor's jurisdiction or role succeeded"
            assert AuditEvent.objects.count() == before + 1
            stats["ok"] += 1
            return result

        @initialize()
        def start(self):
            self.day = BASE

        @rule(target=records, persona=st.sampled_from(PERSONAS), unit=st.sampled_from(UNITS),
              register=st.sampled_from(REGISTERS))
        def create(self, persona, unit, register):
            actor, org_unit = getattr(personas, persona), getattr(personas, unit)
            definition = register_definition(register)
            self.serial += 1
            payload = {f.code: sample_value(f, unit=org_unit, on_date=self.day) for f in definition.fields if f.required}
            record = self._write(actor, org_unit, Perm.RECORD_CREATE, definition.create_roles, lambda: record_create(
                acting_user=actor, register=register, org_unit=org_unit, external_id=f"SM-{self.serial}",
                payload=payload, opened_on=self.day))
            return record.pk if record else None

        @rule(pk=records, persona=st.sampled_from(PERSONAS), choice=st.integers(0, 20))
        def transition(self, pk, persona, choice):
            if pk is None:
                return
            record = Record.objects.get(pk=pk)
            definition = register_definition(record.register)
            t = definition.transitions[choice % len(definition.transitions)]
            actor = getattr(personas, persona)
            self.day += dt.timedelta(days=choice % 4)
            inputs = transition_inputs(definition, t, unit=record.org_unit, on_date=self.day)
            self._write(actor, record.org_unit, Perm.RECORD_TRANSITION, t.roles, lambda: record_transition(
                acting_user=actor, record=record, transition=t.code, on_date=self.day, **inputs))

        @rule(pk=records, persona=st.sampled_from(PERSONAS), text=st.text(min_size=1, max_size=5))
        def update(self, pk, persona, text):
            if pk is None:
                return
            record = Record.objects.get(pk=pk)
            definition = register_definition(record.register)
            text_fields = [f.code for f in definition.fields if f.type == "text"]
            actor = getattr(personas, persona)
            self.serial += 1  # always a real change: a no-op update writes nothing, by design
            self._write(actor, record.org_unit, Perm.RECORD_EDIT, definition.editors, lambda: record_update(
                acting_user=actor, record=record, changes={text_fields[0]: f"{text}内容{self.serial}"}))

        @rule(pk=records, persona=st.sampled_from(PERSONAS), action=st.sampled_from(["extend", "suspend", "resume"]),
              length=st.integers(1, 40))
        def clock(self, pk, persona, action, length):
            if pk is None:
                return
            record = Record.objects.get(pk=pk)
            definition = register_definition(record.register)
            actor = getattr(personas, persona)
            code = definition.clocks[length % len(definition.clocks)].code
            if action == "extend":
                call = lambda: record_extend_deadline(  # noqa: E731
                    acting_user=actor, record=record, clock=code, length=length, reason="理由",
                    approver=personas.district_admin, on_date=self.day)
            elif action == "suspend":
                call = lambda: record_suspend(  # noqa: E731
                    acting_user=actor, record=record, clock=code, reason="理由", on_date=self.day)
            else:
                call = lambda: record_resume(acting_user=actor, record=record, clock=code, on_date=self.day)  # noqa: E731
            self._write(actor, record.org_unit, Perm.RECORD_EDIT, definition.editors, call)

        @invariant()
        def timelines_replay(self):
            for record in Record.objects.filter(external_id__startswith="SM-"):
                assert record_replay(record) == record_state(record), record.external_id

    run_state_machine_as_test(
        EngineMachine,
        settings=settings(max_examples=25, stateful_step_count=20, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]),
    )
    # The run must have exercised all three outcomes, or it proved nothing.
    assert min(stats.values()) > 0, stats
