"""Helpers that drive any register's records through its transitions with plausible inputs."""

from __future__ import annotations

import datetime as dt
from collections import deque
from itertools import count

import pytest

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.identity import credit_code_check_digit
from fazhi.core.models import AuditEvent, Membership, OrgUnitClosure
from fazhi.core.roles import role_grants
from fazhi.core.services import entity_create, person_create
from fazhi.registers.definitions import FieldDef, FieldType, RegisterDefinition, TransitionDef
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import RecordClock, RecordEvent
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import record_replay
from fazhi.registers.services import record_create, record_state, record_transition

_serial = count(1)
DAY = dt.date(2024, 3, 4)


def sample_value(field: FieldDef, *, unit, on_date: dt.date):
    if field.type == FieldType.PERSON:
        return person_create(acting_user=None, org_unit=unit, name="测试人").pk
    if field.type == FieldType.CHOICE:
        assert field.choices, f"{field.code}: a choice field without choices"
        return next(iter(field.choices))
    if field.type == FieldType.DATE:
        return on_date
    if field.type == FieldType.BOOL:
        return True
    if field.type == FieldType.INT:
        return 1
    if field.type in (FieldType.MONEY, FieldType.DECIMAL):
        return "100.00"
    if field.type == FieldType.ORG_UNIT:
        return unit.pk
    if field.type == FieldType.ENTITY:
        serial = next(_serial)
        first17 = f"91210403MA{serial:07d}"
        return entity_create(acting_user=None, org_unit=unit, name=f"测试企业{serial}",
                             credit_code=first17 + credit_code_check_digit(first17)).pk
    return "测试内容"


def create_sample(definition: RegisterDefinition, *, user, unit, opened_on: dt.date, payload=None):
    data = {f.code: sample_value(f, unit=unit, on_date=opened_on) for f in definition.fields if f.required}
    data.update(payload or {})
    return record_create(acting_user=user, register=definition.code, org_unit=unit,
                         external_id=f"T-{next(_serial)}", payload=data, opened_on=opened_on)


def transition_inputs(definition: RegisterDefinition, t: TransitionDef, *, unit, on_date: dt.date) -> dict:
    fields = {}
    for code in t.requires:
        field = definition.field(code)
        assert field is not None, f"{definition.code}.{t.code} requires unknown field {code}"
        fields[code] = sample_value(field, unit=unit, on_date=on_date)
    return {
        "fields": fields,
        "outcome": t.outcomes[0] if t.outcomes else None,
        "note": "测试理由" if t.note_required else "",
    }


def path_to(definition: RegisterDefinition, status: str) -> list[TransitionDef] | None:
    """Shortest sequence of transitions from the initial status to `status` (None if unreachable)."""
    start = definition.initial_status.code
    queue: deque[tuple[str, list[TransitionDef]]] = deque([(start, [])])
    seen = {start}
    while queue:
        current, path = queue.popleft()
        if current == status:
            return path
        for t in definition.transitions:
            if current in t.from_ and t.to not in seen:
                seen.add(t.to)
                queue.append((t.to, [*path, t]))
    return None


def step_date(definition: RegisterDefinition, record, t: TransitionDef, on_date: dt.date) -> dt.date:
    """`on_date`, or a later day: not before the record's last event, and not before the running minimum
    clocks (e.g. 公开征求意见不少于30日) that block `t` have elapsed. Registers without minimum clocks
    always get `on_date` back (their helpers drive every step on DAY)."""
    day = on_date
    blocking = [c.code for c in definition.clocks if c.is_minimum and t.code in c.blocks]
    if blocking:
        for clock in RecordClock.objects.filter(record=record, code__in=blocking, stopped_on__isnull=True):
            day = max(day, clock.due_on)
    if any(c.is_minimum for c in definition.clocks):
        last = RecordEvent.objects.filter(record=record).order_by("-seq").values_list("happened_on", flat=True).first()
        day = max(day, last or day)
    return day


def drive_to(definition: RegisterDefinition, record, status: str, *, user, on_date: dt.date):
    path = path_to(definition, status)
    assert path is not None, f"{definition.code}: status {status} is unreachable"
    for t in path:
        day = step_date(definition, record, t, on_date)
        record = record_transition(acting_user=user, record=record, transition=t.code, on_date=day,
                                   **transition_inputs(definition, t, unit=record.org_unit, on_date=day))
    return record


def check_transition_from_status(register: str, transition: str, status: str, *, user, unit, payload=None) -> None:
    """Allowed from `status`: it happens, with one timeline event that replays; else it is refused."""
    definition = register_definition(register)
    record = create_sample(definition, user=user, unit=unit, opened_on=DAY, payload=payload)
    record = drive_to(definition, record, status, user=user, on_date=DAY)
    t = definition.transition(transition)
    assert t is not None, f"{register}: no transition {transition}"
    day = step_date(definition, record, t, DAY)
    inputs = transition_inputs(definition, t, unit=unit, on_date=day)
    events_before = RecordEvent.objects.filter(record=record).count()
    audits_before = AuditEvent.objects.count()
    if status in t.from_:
        record = record_transition(acting_user=user, record=record, transition=transition, on_date=day, **inputs)
        assert record.status == t.to
        assert RecordEvent.objects.filter(record=record).count() == events_before + 1
        assert AuditEvent.objects.count() == audits_before + 1
        assert record_replay(record) == record_state(record)
        to_status = definition.status(t.to)
        assert to_status is not None
        assert (record.closed_on is not None) == to_status.final
    else:
        with pytest.raises(RecordError) as err:
            record_transition(acting_user=user, record=record, transition=transition, on_date=day, **inputs)
        assert err.value.code == RecordErrorCode.TRANSITION_NOT_ALLOWED
        record.refresh_from_db()
        assert record.status == status
        assert RecordEvent.objects.filter(record=record).count() == events_before
        assert AuditEvent.objects.count() == audits_before


def acts_as(user, unit, perm: Perm, roles) -> bool:
    """The expected decision, worked out apart from core.access: a membership over the unit (or an
    ancestor) whose role is named by the definition and not read-only, or whose role file grants `perm`."""
    if user.is_superuser:
        return True
    over = Membership.objects.filter(
        user=user, org_unit_id__in=OrgUnitClosure.objects.filter(descendant=unit).values("ancestor_id"))
    return any(perm in role_grants(m.role.code) or (m.role.code in roles and Perm.UNIT_WRITE in role_grants(m.role.code))
               for m in over.select_related("role"))


def check_role_refusals(personas, register: str, transition: str, *, user, unit, payload=None) -> None:
    """Every persona without one of the transition's roles over the unit is refused."""
    definition = register_definition(register)
    t = definition.transition(transition)
    assert t is not None, f"{register}: no transition {transition}"
    record = create_sample(definition, user=user, unit=unit, opened_on=DAY, payload=payload)
    record = drive_to(definition, record, t.from_[0], user=user, on_date=DAY)
    inputs = transition_inputs(definition, t, unit=unit, on_date=DAY)
    for name, other in personas.all_users().items():
        if acts_as(other, unit, Perm.RECORD_TRANSITION, t.roles):
            continue
        with pytest.raises(access.AccessDenied):
            record_transition(acting_user=other, record=record, transition=transition, on_date=DAY, **inputs)
        record.refresh_from_db()
        assert record.status == t.from_[0], name
