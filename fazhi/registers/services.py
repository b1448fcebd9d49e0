"""Every write to a record: one transaction, one timeline event, one audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import ActingUser, Perm
from fazhi.core.audit import (
    audit_diff,
    audit_event_build,
    audit_event_write,
    audit_events_write_many,
    history_masked,
)
from fazhi.core.auditactions import AuditAction
from fazhi.core.closing import ClosingError, closed_write_check, late_correction_write
from fazhi.core.errors import FazhiError
from fazhi.core.history import history_append_many
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.core.services import entity_for_credit_code, person_create

from .clocks import UNIT_NAMES, clock_started, extended_due, minimum_periods_check, resumed_due
from .definitions import FieldType, RecordColumn, RegisterDefinition, TransitionDef
from .errors import RecordConflict, RecordError, RecordErrorCode
from .models import Record, RecordClock, RecordEvent, RecordEventKind
from .numbers import record_number_next
from .payloads import (
    JsonObject,
    ReferenceScope,
    date_not_future,
    payload_clean,
    payload_columns,
    payload_future_dates_refuse,
    payload_references,
    payload_require,
)
from .registry import register_definition
from .rollups import rollup_apply, rollup_contributions

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def record_state(record: Record) -> dict[str, Any]:
    """The replayable state of a record: what its timeline must reproduce."""
    state: dict[str, Any] = {
        "status": record.status,
        "outcome": record.outcome,
        "category": record.category,
        "amount": None if record.amount is None else str(Decimal(record.amount).quantize(Decimal("0.01"))),
        "opened_on": record.opened_on.isoformat() if record.opened_on else None,
        "closed_on": record.closed_on.isoformat() if record.closed_on else None,
        "org_unit": record.org_unit_id,
    }
    for key, value in sorted(record.payload.items()):
        state[f"payload.{key}"] = value
    return state


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The keys of `after` that differ from `before`, plus removed keys set to None."""
    keys = set(before) | set(after)
    return {k: after.get(k) for k in sorted(keys) if before.get(k) != after.get(k)}


# The audit action of each timeline event kind.
EVENT_AUDIT_ACTIONS = {
    RecordEventKind.CREATED: AuditAction.RECORD_CREATED, RecordEventKind.UPDATED: AuditAction.RECORD_UPDATED,
    RecordEventKind.TRANSITION: AuditAction.RECORD_TRANSITION, RecordEventKind.EXTENDED: AuditAction.RECORD_EXTENDED,
    RecordEventKind.SUSPENDED: AuditAction.RECORD_SUSPENDED, RecordEventKind.RESUMED: AuditAction.RECORD_RESUMED,
    RecordEventKind.MOVED: AuditAction.RECORD_MOVED,
}


def _event_write(
    *, record: Record, kind: str, actor: ActingUser, on_date: dt.date, before: JsonObject,
    data: JsonObject | None = None, late: tuple[list[int], str] | None = None, **fields: str
) -> RecordEvent:
    after = record_state(record)
    # A new record's first event needs no look-up of the last sequence number.
    seq = 1 if kind == RecordEventKind.CREATED else (
        RecordEvent.objects.filter(record=record).aggregate(m=Max("seq"))["m"] or 0) + 1
    # A creation stores the whole initial state, so the timeline alone can replay the record.
    payload = {"set": after if kind == RecordEventKind.CREATED else _changes(before, after)}
    if data:
        payload.update(data)
    if late and late[0]:
        # A correction after close is flagged on the timeline and listed for the office.
        years, reason = late
        payload["correction_after_close"] = {"years": years, "reason": reason.strip()}
    if "note" in fields:
        fields["note"] = history_masked(fields["note"])
    event = RecordEvent(
        record=record, seq=seq, kind=kind, actor=access.recorded_actor(actor),
        happened_on=on_date, data=history_masked(payload), **fields,
    )
    audit = audit_event_build(
        actor=actor,
        action=EVENT_AUDIT_ACTIONS[RecordEventKind(kind)],
        obj=record,
        org_unit=record.org_unit,
        diff={**audit_diff(before, after), **({"clock": data} if data else {}),
              **({"correction_after_close": payload["correction_after_close"]} if late and late[0] else {})},
    )
    # The event and its audit row: both chain heads locked and moved in one statement each.
    history_append_many([(RecordEvent, [event]), (AuditEvent, [audit])])
    if late and late[0]:
        late_correction_write(acting_user=actor, years=late[0], unit=record.org_unit, scope="register",
                              code=record.register, obj=record, label=f"{record.external_id}",
                              action=f"record.{kind}", reason=late[1])
    return event


def _record_years(record: Record) -> set[int]:
    """The years whose figures a change of the record moves: the years it was opened and closed in."""
    return {d.year for d in (record.opened_on, record.closed_on) if d}


def _closed_check(acting_user: ActingUser, *, unit: OrgUnit, definition: RegisterDefinition, years: set[int],
                  correction_reason: str) -> tuple[list[int], str]:
    """A write dated in a closed year is refused (code period_closed) unless it is a correction after close."""
    try:
        closed = closed_write_check(acting_user=acting_user, unit=unit, years=years, scope="register",
                                    code=definition.code, correction_reason=correction_reason)
    except ClosingError as exc:
        raise RecordError(RecordErrorCode.PERIOD_CLOSED, exc.message) from exc
    return closed, correction_reason


def _today() -> dt.date:
    return timezone.localdate()


def _apply_columns(record: Record, definition: RegisterDefinition) -> None:
    for key, value in payload_columns(definition, record.payload).items():
        setattr(record, key, value)


def _clocks_started(record: Record, definition: RegisterDefinition, clocks: dict[str, RecordClock], *, on: str,
                    transition: str | None, on_date: dt.date) -> set[str]:
    """Start the clocks triggered by creation or by a transition; returns the codes started."""
    started = set()
    for clock in definition.clocks:
        if clock.start.event != on or (on == "transition" and clock.start.transition != transition):
            continue
        if any(record.payload.get(f) != v for f, v in clock.start.when.items()):
            continue
        start = on_date
        if clock.start.date_field and record.payload.get(clock.start.date_field):
            start = dt.date.fromisoformat(record.payload[clock.start.date_field])
        clocks[clock.code] = clock_started(clocks.get(clock.code), record=record, definition=clock, started_on=start)
        started.add(clock.code)
    return started


def _record_new(definition: RegisterDefinition, *, org_unit: OrgUnit, external_id: str, payload: dict[str, Any],
                opened_on: dt.date, scope: ReferenceScope, today: dt.date) -> Record:
    """A validated, unsaved record in the register's initial status."""
    cleaned = payload_clean(definition, payload)
    payload_future_dates_refuse(definition, cleaned, today=today)
    scope.check(definition, cleaned)
    payload_require(definition, cleaned, [f.code for f in definition.fields if f.required])
    external_id = (external_id or "").strip()
    if not external_id and not definition.number_pattern:  # with a pattern, record_create gives the number
        raise RecordError(RecordErrorCode.FIELD_REQUIRED, "“编号”不能为空", field="external_id")
    record = Record(
        register=definition.code,
        definition_version=definition.version,
        org_unit=org_unit,
        external_id=external_id,
        status=definition.initial_status.code,
        opened_on=opened_on,
        payload={k: v for k, v in cleaned.items() if v is not None},
    )
    _apply_columns(record, definition)
    opened_field = definition.column_field(RecordColumn.OPENED_ON)
    if opened_field is None:  # a date field feeding opened_on was checked with the payload
        date_not_future(record.opened_on, today=today, name="受理", field="opened_on")
    return record


def _transition_apply(record: Record, definition: RegisterDefinition, t: TransitionDef, clocks: dict[str, RecordClock], *,
                      on_date: dt.date, fields: dict[str, Any], outcome: str | None, note: str,
                      scope: ReferenceScope, today: dt.date) -> set[str]:
    """Check and apply one transition to a record and its clocks in memory; returns the clock codes changed.

    Shared by record_transition and record_bulk_import, so both refuse and accept exactly the same steps.
    """
    if record.status not in t.from_:
        raise RecordError(
            RecordErrorCode.TRANSITION_NOT_ALLOWED,
            f"当前状态为“{definition.status_name(record.status)}”，不能执行“{t.name}”",
        )
    date_not_future(on_date, today=today, name=t.name, field="on_date")
    if on_date < record.opened_on:
        raise RecordError(RecordErrorCode.DATE_INVALID, f"“{t.name}”的日期不能早于受理日期 {record.opened_on}",
                          field="on_date")
    minimum_periods_check(definition, t, clocks, on_date=on_date)
    if t.note_required and not note.strip():
        raise RecordError(RecordErrorCode.NOTE_REQUIRED, f"“{t.name}”须填写理由")
    cleaned = payload_clean(definition, fields)
    payload_future_dates_refuse(definition, cleaned, today=today)
    scope.check(definition, cleaned, held=record.payload)
    for code, value in t.sets.items():
        if cleaned.get(code) not in (None, value):
            field = definition.field(code)
            assert field is not None  # a transition's `sets` names defined fields (checked when loading)
            raise RecordError(RecordErrorCode.FIELD_INVALID,
                              f"“{t.name}”时“{field.name}”只能是“{(field.choices or {})[value]}”", field=code)
        cleaned[code] = value
    payload = {k: v for k, v in {**record.payload, **cleaned}.items() if v is not None}
    payload_require(definition, payload, t.requires)
    target = definition.status(t.to)
    assert target is not None  # the schema checks every transition's target
    outcome = _outcome_from_clock(definition, t, clocks, on_date=on_date, given=outcome)
    if t.outcomes:
        if not outcome:
            raise RecordError(RecordErrorCode.OUTCOME_REQUIRED, f"“{t.name}”须选择办理结果")
        if outcome not in t.outcomes:
            names = "、".join(definition.outcome_name(o) for o in t.outcomes)
            raise RecordError(RecordErrorCode.OUTCOME_INVALID, f"“{t.name}”的结果只能是：{names}")
        record.outcome = outcome
    elif outcome:
        raise RecordError(RecordErrorCode.OUTCOME_INVALID, f"“{t.name}”不记录办理结果")
    elif not target.final:
        record.outcome = ""  # reopening a concluded case clears its outcome
    record.payload = payload
    _apply_columns(record, definition)
    record.status = target.code
    record.closed_on = on_date if target.final else None
    changed = set()
    for clock_def in definition.clocks:
        clock = clocks.get(clock_def.code)
        if clock is None:
            continue
        if target.code in clock_def.stop_statuses and clock.stopped_on is None:
            clock.stopped_on = on_date
            changed.add(clock_def.code)
        elif target.code not in clock_def.stop_statuses and clock.stopped_on is not None:
            clock.stopped_on = None  # the case is open again: its clock runs on
            changed.add(clock_def.code)
    return changed | _clocks_started(record, definition, clocks, on="transition", transition=t.code, on_date=on_date)


def _outcome_from_clock(definition: RegisterDefinition, t: TransitionDef, clocks: dict[str, RecordClock], *, on_date: dt.date,
                        given: str | None) -> str | None:
    """The outcome a step's clock decides (期限内 / 超期), refusing a different one; `given` otherwise."""
    rule = t.outcome_from_clock
    clock = clocks.get(rule.clock) if rule else None
    if rule is None or clock is None or clock.stopped_on is not None:
        return given
    # While suspended the time does not count (e.g. 公证法 第三十条), so the step is within the period.
    decided = rule.met if clock.suspended_on is not None or on_date <= clock.due_on else rule.missed
    if given and given != decided:
        deciding = definition.clock(rule.clock)
        assert deciding is not None  # outcome_from_clock names a defined clock (checked when loading)
        raise RecordError(RecordErrorCode.OUTCOME_INVALID,
                          f"“{t.name}”的结果由“{deciding.name}”（{clock.due_on}到期）决定，"
                          f"应为“{definition.outcome_name(decided)}”")
    return decided


def _transition_def(definition: RegisterDefinition, code: str) -> TransitionDef:
    t = definition.transition(code)
    if t is None:
        raise RecordError(RecordErrorCode.TRANSITION_UNKNOWN, f"“{definition.name}”没有“{code}”这一步")
    return t


def record_create(
    *,
    acting_user: ActingUser,
    register: str,
    org_unit: OrgUnit,
    external_id: str,
    payload: dict[str, Any] | None = None,
    opened_on: dt.date | None = None,
    correction_reason: str = "",
) -> Record:
    definition = register_definition(register)
    access.require(acting_user, Perm.RECORD_CREATE, org_unit, definition=definition, action=f"登记{definition.name}")
    try:
        return _record_create(acting_user=acting_user, definition=definition, org_unit=org_unit,
                              external_id=external_id, payload=payload, opened_on=opened_on,
                              correction_reason=correction_reason, savepoint=True)
    except IntegrityError as exc:
        _duplicate_refuse(definition, exc)
        raise


def _record_create(*, acting_user: ActingUser, definition: RegisterDefinition, org_unit: OrgUnit, external_id: str,
                   payload: dict[str, Any] | None, opened_on: dt.date | None, correction_reason: str,
                   savepoint: bool) -> Record:
    """record_create once its access check has passed. savepoint=False inside a caller's transaction
    (record_register): a duplicate number then fails that transaction, and the caller refuses it once the
    transaction has rolled back (`_duplicate_refuse`)."""
    record = _record_new(definition, org_unit=org_unit, external_id=external_id, payload=payload or {},
                         opened_on=opened_on or _today(), scope=ReferenceScope(acting_user), today=_today())
    late = _closed_check(acting_user, unit=org_unit, definition=definition, years=_record_years(record),
                         correction_reason=correction_reason)
    try:
        with transaction.atomic(savepoint=savepoint):
            if not record.external_id:
                # In the create transaction: the counter row stays locked until the record is committed.
                record.external_id = record_number_next(definition, org_unit=org_unit, year=record.opened_on.year)
            record.save()
            rollup_apply(before=[], after=rollup_contributions(record, definition))
            clocks: dict[str, RecordClock] = {}
            _clocks_started(record, definition, clocks, on="create", transition=None, on_date=record.opened_on)
            RecordClock.objects.bulk_create(clocks.values())
            _event_write(record=record, kind=RecordEventKind.CREATED, actor=acting_user,
                         on_date=record.opened_on, before={}, late=late, to_status=record.status)
    except IntegrityError as exc:
        exc.fazhi_external_id = record.external_id  # type: ignore[attr-defined]  # read by _duplicate_refuse
        raise
    return record


def _duplicate_refuse(definition: RegisterDefinition, exc: IntegrityError) -> None:
    """After a failed create has rolled back: DUPLICATE_EXTERNAL_ID if its number is taken (else the caller
    re-raises the IntegrityError)."""
    number = getattr(exc, "fazhi_external_id", None)
    if number and Record.objects.filter(register=definition.code, external_id=number).exists():
        raise RecordError(
            RecordErrorCode.DUPLICATE_EXTERNAL_ID,
            f"“{definition.name}”已有编号为 {number} 的记录",
            field="external_id",
        ) from None


@dataclass(frozen=True)
class NewPerson:
    """A party typed in by name (and 身份证号): registered as a new person of the record's unit."""

    name: str
    id_number: str = ""


@dataclass(frozen=True)
class EntityByCreditCode:
    """A market entity named by its 统一社会信用代码: the registered one, or a new one of the record's unit
    (then `name` is needed)."""

    credit_code: str
    name: str = ""


def _parties_register(*, acting_user: ActingUser, definition: RegisterDefinition, org_unit: OrgUnit,
                      parties: dict[str, NewPerson | EntityByCreditCode]) -> dict[str, int]:
    """Register the parties through the core services (each with its audit row); {field code: id}. The
    ids are then checked like any reference (an entity registered outside the user's districts is refused)."""
    ids: dict[str, int] = {}
    for code, party in parties.items():
        field = definition.field(code)
        if field is None:
            raise RecordError(RecordErrorCode.UNKNOWN_FIELD, f"登记簿“{definition.name}”没有字段“{code}”", field=code)
        if field.type == FieldType.PERSON and isinstance(party, NewPerson):
            ids[code] = person_create(acting_user=acting_user, org_unit=org_unit, name=party.name,
                                      id_number=party.id_number).pk
        elif field.type == FieldType.ENTITY and isinstance(party, EntityByCreditCode):
            ids[code] = entity_for_credit_code(acting_user=acting_user, org_unit=org_unit,
                                               credit_code=party.credit_code, name=party.name).pk
        else:
            raise RecordError(RecordErrorCode.FIELD_INVALID, f"“{field.name}”不能这样填写当事人", field=code)
    return ids


def record_register(
    *,
    acting_user: ActingUser,
    register: str,
    org_unit: OrgUnit,
    external_id: str,
    payload: dict[str, Any] | None = None,
    opened_on: dt.date | None = None,
    parties: dict[str, NewPerson | EntityByCreditCode] | None = None,
) -> Record:
    """Register a case together with its new parties (the web form's use case), all or nothing: the people
    and entities typed in are registered in `org_unit` and named in the payload's person/entity fields, and
    if the record is refused none of them is left behind. One transaction (durable), one access check."""
    definition = register_definition(register)
    access.require(acting_user, Perm.RECORD_CREATE, org_unit, definition=definition, action=f"登记{definition.name}")
    try:
        with transaction.atomic(durable=True):
            ids = _parties_register(acting_user=acting_user, definition=definition, org_unit=org_unit,
                                    parties=parties or {})
            return _record_create(acting_user=acting_user, definition=definition, org_unit=org_unit,
                                  external_id=external_id, payload={**(payload or {}), **ids}, opened_on=opened_on,
                                  correction_reason="", savepoint=False)
    except IntegrityError as exc:
        _duplicate_refuse(definition, exc)
        raise


def _locked(record: Record, version: int | None = None) -> Record:
    """The record's row, locked; `version` is the one the edit was read at: if the record was written since,
    RecordConflict and nothing is written. None (imports, command-line jobs, older API clients) skips the check."""
    locked = Record.objects.select_for_update().select_related("org_unit").get(pk=record.pk)
    if version is not None and version != locked.version:
        raise RecordConflict(current_version=locked.version, current=record_state(locked))
    return locked


def _saved(record: Record) -> None:
    """Save a locked record as its next version (every write of a stored record goes through here)."""
    record.version += 1
    record.save()


def record_update(*, acting_user: ActingUser, record: Record, changes: dict[str, Any], note: str = "",
                  correction_reason: str = "", version: int | None = None) -> Record:
    """Correct payload fields (not the status: that is what transitions are for). `version`: see `_locked`."""
    definition = register_definition(record.register)
    access.require(acting_user, Perm.RECORD_EDIT, record.org_unit, definition=definition, action=f"修改{definition.name}")
    cleaned = payload_clean(definition, changes)
    payload_future_dates_refuse(definition, cleaned, today=_today())
    with transaction.atomic():
        record = _locked(record, version)
        years = _record_years(record)
        before = record_state(record)
        before_rollups = rollup_contributions(record, definition)
        ReferenceScope(acting_user).check(definition, cleaned, held=record.payload)
        payload = {**record.payload, **cleaned}
        payload = {k: v for k, v in payload.items() if v is not None}
        payload_require(definition, payload, [f.code for f in definition.fields if f.required])
        record.payload = payload
        _apply_columns(record, definition)
        if record_state(record) == before:
            return record
        late = _closed_check(acting_user, unit=record.org_unit, definition=definition,
                             years=years | _record_years(record), correction_reason=correction_reason)
        _saved(record)
        rollup_apply(before=before_rollups, after=rollup_contributions(record, definition))
        _event_write(record=record, kind=RecordEventKind.UPDATED, actor=acting_user, on_date=_today(),
                     before=before, note=note, late=late)
    return record


def record_transition(
    *,
    acting_user: ActingUser,
    record: Record,
    transition: str,
    on_date: dt.date | None = None,
    fields: dict[str, Any] | None = None,
    outcome: str | None = None,
    note: str = "",
    parties: dict[str, NewPerson | EntityByCreditCode] | None = None,
    correction_reason: str = "",
    version: int | None = None,
) -> Record:
    """One step of the record's procedure. `parties` are people and market entities typed in for the
    step's person/entity fields (see record_register), registered in the record's unit in the same
    transaction. `version`: see `_locked`."""
    definition = register_definition(record.register)
    t = _transition_def(definition, transition)
    access.require(acting_user, Perm.RECORD_TRANSITION, record.org_unit, definition=t, action=t.name)
    on_date = on_date or _today()
    late = _closed_check(acting_user, unit=record.org_unit, definition=definition, years={on_date.year},
                         correction_reason=correction_reason)
    with transaction.atomic():
        record = _locked(record, version)
        before = record_state(record)
        before_rollups = rollup_contributions(record, definition)
        clocks = {c.code: c for c in RecordClock.objects.select_for_update().filter(record=record)}
        fields = {**(fields or {}), **_parties_register(acting_user=acting_user, definition=definition,
                                                        org_unit=record.org_unit, parties=parties or {})}
        changed = _transition_apply(record, definition, t, clocks, on_date=on_date, fields=fields,
                                    outcome=outcome, note=note, scope=ReferenceScope(acting_user), today=_today())
        _saved(record)
        rollup_apply(before=before_rollups, after=rollup_contributions(record, definition))
        for code in changed:
            clocks[code].save()
        _event_write(record=record, kind=RecordEventKind.TRANSITION, actor=acting_user, on_date=on_date,
                     before=before, transition=t.code, from_status=before["status"], to_status=record.status,
                     note=note, late=late)
    return record


def record_move(*, acting_user: ActingUser, record: Record, org_unit: OrgUnit, note: str = "",
                correction_reason: str = "", version: int | None = None) -> Record:
    """Hand a record over to another unit (e.g. a dispute transferred to another town's committee)."""
    definition = register_definition(record.register)
    access.require(acting_user, Perm.RECORD_EDIT, record.org_unit, definition=definition, action=f"移交{definition.name}")
    access.require(acting_user, Perm.RECORD_EDIT, org_unit, definition=definition, action=f"接收{definition.name}")
    with transaction.atomic():
        record = _locked(record, version)
        if record.org_unit_id == org_unit.pk:
            return record
        # Both units' figures of the record's years move: either side's close refuses.
        _closed_check(acting_user, unit=org_unit, definition=definition, years=_record_years(record),
                      correction_reason=correction_reason)
        late = _closed_check(acting_user, unit=record.org_unit, definition=definition,
                             years=_record_years(record), correction_reason=correction_reason)
        before = record_state(record)
        before_rollups = rollup_contributions(record, definition)
        record.org_unit = org_unit
        _saved(record)
        RecordClock.objects.filter(record=record).update(org_unit=org_unit)
        rollup_apply(before=before_rollups, after=rollup_contributions(record, definition))
        _event_write(record=record, kind=RecordEventKind.MOVED, actor=acting_user, on_date=_today(),
                     before=before, note=note, late=late)
    return record


def record_delete(*, acting_user: ActingUser, record: Record, reason: str, correction_reason: str = "",
                  version: int | None = None) -> None:
    """Remove a record entered by mistake; only an administrator may, and the audit trail keeps it."""
    access.require(acting_user, Perm.RECORD_DELETE, record.org_unit, action="删除记录")
    if not reason.strip():
        raise RecordError(RecordErrorCode.NOTE_REQUIRED, "删除记录须写明理由")
    definition = register_definition(record.register)
    with transaction.atomic():
        record = _locked(record, version)
        years, _ = _closed_check(acting_user, unit=record.org_unit, definition=definition,
                                 years=_record_years(record), correction_reason=correction_reason)
        if years:
            late_correction_write(acting_user=acting_user, years=years, unit=record.org_unit, scope="register",
                                  code=record.register, obj=record, label=record.external_id,
                                  action="record.deleted", reason=correction_reason)
        before = record_state(record)
        rollup_apply(before=rollup_contributions(record, definition), after=[])
        audit_event_write(actor=acting_user, action=AuditAction.RECORD_DELETED, obj=record, org_unit=record.org_unit,
                          diff={**audit_diff(before, {}), "reason": reason.strip(),
                                "external_id": record.external_id})
        record.delete()


def _running_clock(definition: RegisterDefinition, clocks: dict[str, RecordClock], code: str
                   ) -> tuple[RecordClock, Any]:
    clock_def = definition.clock(code)
    clock = clocks.get(code)
    if clock_def is None or clock is None:
        raise RecordError(RecordErrorCode.CLOCK_UNKNOWN, f"该记录没有已起算的时限“{code}”")
    if clock.stopped_on is not None:
        raise RecordError(RecordErrorCode.CLOCK_NOT_RUNNING, f"时限“{clock_def.name}”已停止计算")
    return clock, clock_def


# The three clock actions check and change a clock in memory and return the data of their timeline
# event; record_extend_deadline/record_suspend/record_resume and record_bulk_import share them, so an
# imported history is held to the same rules.

def _extension_apply(record: Record, definition: RegisterDefinition, clocks: dict[str, RecordClock], *, clock: str,
                     length: int, reason: str, approver: User | None) -> JsonObject:
    rc, clock_def = _running_clock(definition, clocks, clock)
    ext = clock_def.extension
    if ext is None:
        raise RecordError(RecordErrorCode.EXTENSION_NOT_ALLOWED, f"“{clock_def.name}”依法不能延长")
    if ext.max_count is not None and rc.extensions >= ext.max_count:
        raise RecordError(
            RecordErrorCode.EXTENSION_NOT_ALLOWED, f"“{clock_def.name}”最多延长{ext.max_count}次，已延长过"
        )
    if length <= 0 or length > ext.max_length:
        raise RecordError(
            RecordErrorCode.EXTENSION_TOO_LONG,
            f"“{clock_def.name}”延长期限须为1至{ext.max_length}{_unit_name(ext.unit)}（{ext.basis}）",
        )
    if not reason.strip():
        raise RecordError(RecordErrorCode.NOTE_REQUIRED, "延期须写明理由")
    if approver is None or not access.may(approver, Perm.UNIT_WRITE, record.org_unit):
        raise access.AccessDenied("延期须由对该单位有审批权限的负责人批准")
    old_due = rc.due_on
    rc.due_on = extended_due(rc, length=length, unit=ext.unit)
    rc.extensions += 1
    rc.extension_reason = reason.strip()
    rc.extension_approver = approver
    return {"clock": clock, "due_on": [old_due.isoformat(), rc.due_on.isoformat()], "length": length,
            "approver": approver.pk}


def _suspension_apply(definition: RegisterDefinition, clocks: dict[str, RecordClock], *, clock: str, reason: str,
                      on_date: dt.date) -> JsonObject:
    rc, clock_def = _running_clock(definition, clocks, clock)
    if not clock_def.suspendable:
        raise RecordError(RecordErrorCode.SUSPENSION_NOT_ALLOWED, f"“{clock_def.name}”不能中止")
    if rc.suspended_on is not None:
        raise RecordError(RecordErrorCode.ALREADY_SUSPENDED, f"“{clock_def.name}”已处于中止状态")
    if not reason.strip():
        raise RecordError(RecordErrorCode.NOTE_REQUIRED, "中止须写明理由")
    if on_date < rc.started_on:
        raise RecordError(RecordErrorCode.DATE_INVALID, "中止日期不能早于起算日期")
    rc.suspended_on = on_date
    rc.suspension_reason = reason.strip()
    return {"clock": clock}


def _resumption_apply(definition: RegisterDefinition, clocks: dict[str, RecordClock], *, clock: str,
                      on_date: dt.date) -> JsonObject:
    rc, clock_def = _running_clock(definition, clocks, clock)
    if rc.suspended_on is None:
        raise RecordError(RecordErrorCode.NOT_SUSPENDED, f"“{clock_def.name}”未中止")
    if on_date < rc.suspended_on:
        raise RecordError(RecordErrorCode.DATE_INVALID, "恢复日期不能早于中止日期")
    old_due = rc.due_on
    rc.due_on = resumed_due(rc, clock_def, on_date)
    rc.suspended_on = None
    return {"clock": clock, "due_on": [old_due.isoformat(), rc.due_on.isoformat()]}


def _locked_clock(record: Record, code: str) -> dict[str, RecordClock]:
    return {c.code: c for c in RecordClock.objects.select_for_update().filter(record=record, code=code)}


def record_extend_deadline(
    *, acting_user: ActingUser, record: Record, clock: str, length: int, reason: str, approver: User | None, on_date: dt.date | None = None,
    correction_reason: str = "",
) -> RecordClock:
    """One extension with a written reason and an approver, where the law allows it."""
    return _clock_action(acting_user=acting_user, record=record, step=ImportClockStep(
        "extend", clock, on_date or _today(), reason=reason, length=length, approver=approver),
        correction_reason=correction_reason)


def record_suspend(
    *, acting_user: ActingUser, record: Record, clock: str, reason: str, on_date: dt.date | None = None,
    correction_reason: str = "",
) -> RecordClock:
    return _clock_action(acting_user=acting_user, record=record,
                         step=ImportClockStep("suspend", clock, on_date or _today(), reason=reason),
                         correction_reason=correction_reason)


def record_resume(*, acting_user: ActingUser, record: Record, clock: str, on_date: dt.date | None = None,
                  correction_reason: str = "") -> RecordClock:
    return _clock_action(acting_user=acting_user, record=record,
                         step=ImportClockStep("resume", clock, on_date or _today()),
                         correction_reason=correction_reason)


def _clock_action(*, acting_user: ActingUser, record: Record, step: ImportClockStep, correction_reason: str = "") -> RecordClock:
    """One clock action on a stored record, with its timeline event and audit row."""
    definition = register_definition(record.register)
    access.require(acting_user, Perm.RECORD_EDIT, record.org_unit, definition=definition,
                   action=_CLOCK_ACTIONS[step.action][1])
    late = _closed_check(acting_user, unit=record.org_unit, definition=definition, years={step.on_date.year},
                         correction_reason=correction_reason)
    with transaction.atomic():
        record = _locked(record)
        clocks = _locked_clock(record, step.clock)
        before = record_state(record)
        event = _clock_step_apply(record, definition, clocks, step, today=_today())
        clocks[step.clock].save()
        _event_write(record=record, kind=event["kind"], actor=acting_user, on_date=step.on_date, before=before,
                     note=event["note"], data=event["data"], late=late)
    return clocks[step.clock]


def _unit_name(unit: str) -> str:
    return UNIT_NAMES[str(unit)]


@dataclass
class ImportStep:
    """One transition of an imported record's history."""

    transition: str
    on_date: dt.date
    fields: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    note: str = ""


@dataclass
class ImportClockStep:
    """An extension, suspension or resumption of a clock: in an imported record's history, or asked of the
    services (record_extend_deadline, record_suspend, record_resume)."""

    action: str  # extend | suspend | resume
    clock: str
    on_date: dt.date
    reason: str = ""
    length: int = 0  # extend: how long, in the extension's unit
    approver: Any = None  # extend: the user who approved it


@dataclass
class ImportRow:
    external_id: str
    org_unit: OrgUnit
    opened_on: dt.date
    payload: dict[str, Any]
    steps: Sequence[ImportStep | ImportClockStep] = field(default_factory=list)


@dataclass(frozen=True)
class RejectedRow:
    index: int  # 0-based position in the batch
    external_id: str
    code: str
    message: str

    def __str__(self) -> str:
        return f"第{self.index + 1}行（编号 {self.external_id}）：{self.message}"


class RecordImportError(FazhiError, ValueError):
    """A batch with bad rows (code import_rejected): nothing was written; `rejected` keeps every bad row
    with its own code and reason."""

    def __init__(self, rejected: list[RejectedRow]):
        super().__init__(RecordErrorCode.IMPORT_REJECTED,
                         f"{len(rejected)} 行有误，整批未导入：" + "；".join(str(r) for r in rejected[:5]))
        self.rejected = rejected


# action → (its timeline event, what the access check calls it)
_CLOCK_ACTIONS = {"extend": (RecordEventKind.EXTENDED, "延长办理期限"), "suspend": (RecordEventKind.SUSPENDED, "中止计算期限"),
                  "resume": (RecordEventKind.RESUMED, "恢复计算期限")}


def _clock_step_apply(record: Record, definition: RegisterDefinition, clocks: dict[str, RecordClock],
                      step: ImportClockStep, *, today: dt.date) -> JsonObject:
    """Apply a clock action in memory (the services' and the imports' alike); its timeline event as a dict."""
    if step.action not in _CLOCK_ACTIONS:
        raise RecordError(RecordErrorCode.CLOCK_UNKNOWN, f"未知的时限操作“{step.action}”")
    date_not_future(step.on_date, today=today, name=_CLOCK_ACTIONS[step.action][1], field="on_date")
    if step.action == "extend":
        data = _extension_apply(record, definition, clocks, clock=step.clock, length=step.length,
                                reason=step.reason, approver=step.approver)
    elif step.action == "suspend":
        data = _suspension_apply(definition, clocks, clock=step.clock, reason=step.reason, on_date=step.on_date)
    else:
        data = _resumption_apply(definition, clocks, clock=step.clock, on_date=step.on_date)
    return {"kind": _CLOCK_ACTIONS[step.action][0], "on_date": step.on_date, "set": {}, "data": data,
            "note": step.reason.strip()}


def record_bulk_import(*, acting_user: ActingUser, register: str, rows: list[ImportRow], batch_size: int = 2000,
                       today: dt.date | None = None) -> int:
    """Create many records with their histories, all or nothing.

    Each row is checked exactly like record_create followed by record_transition for each step (same
    access rules, same validation); then records, timeline events, clocks, one audit event per record
    and the net rollup change are written in bulk, in one transaction. `today` (default: the local date)
    is the day after which no date of a row may lie.
    """
    definition = register_definition(register)
    today = today or _today()
    allowed: dict[tuple[int, str], bool] = {}

    def may(unit: OrgUnit, perm: Perm, source: access.RoleSource, key: str) -> bool:
        if (unit.pk, key) not in allowed:
            allowed[(unit.pk, key)] = access.may(acting_user, perm, unit, definition=source)
        return allowed[(unit.pk, key)]

    # Every reference of the batch is looked up at once: one query per reference type, not one per row.
    scope = ReferenceScope(acting_user)
    wanted: dict[FieldType, set[int]] = {}
    for row in rows:
        for data in [row.payload, *(s.fields for s in row.steps if isinstance(s, ImportStep))]:
            for field_type, pks in payload_references(definition, data).items():
                wanted.setdefault(field_type, set()).update(pks)
    scope.preload(wanted)
    rejected: list[RejectedRow] = []
    built: list[tuple[Record, list[JsonObject], dict[str, RecordClock]]] = []
    seen: set[str] = set()
    closed_ok: set[tuple[int, frozenset[int]]] = set()
    for index, row in enumerate(rows):
        try:
            if not may(row.org_unit, Perm.RECORD_CREATE, definition, "create"):
                raise access.AccessDenied(f"无权在“{row.org_unit.name}”登记{definition.name}")
            record = _record_new(definition, org_unit=row.org_unit, external_id=row.external_id,
                                 payload=row.payload, opened_on=row.opened_on, scope=scope, today=today)
            if record.external_id in seen:
                raise RecordError(RecordErrorCode.DUPLICATE_EXTERNAL_ID, f"本批中编号 {record.external_id} 重复")
            seen.add(record.external_id)
            clocks: dict[str, RecordClock] = {}
            _clocks_started(record, definition, clocks, on="create", transition=None, on_date=record.opened_on)
            events: list[dict[str, Any]] = [{"kind": RecordEventKind.CREATED, "on_date": record.opened_on, "set": record_state(record),
                       "to_status": record.status}]
            for step in row.steps:
                if isinstance(step, ImportClockStep):
                    if not may(row.org_unit, Perm.RECORD_EDIT, definition, "clock"):
                        raise access.AccessDenied(f"无权在“{row.org_unit.name}”延长、中止或恢复期限")
                    events.append(_clock_step_apply(record, definition, clocks, step, today=today))
                    continue
                t = _transition_def(definition, step.transition)
                if not may(row.org_unit, Perm.RECORD_TRANSITION, t, t.code):
                    raise access.AccessDenied(f"无权在“{row.org_unit.name}”执行“{t.name}”")
                before = record_state(record)
                _transition_apply(record, definition, t, clocks, on_date=step.on_date, fields=step.fields,
                                  outcome=step.outcome, note=step.note, scope=scope, today=today)
                events.append({"kind": RecordEventKind.TRANSITION, "on_date": step.on_date, "transition": t.code,
                               "from_status": before["status"], "to_status": record.status, "note": step.note,
                               "set": _changes(before, record_state(record))})
            # An import is never a correction after close: a row dated in a closed year is refused.
            years = frozenset(_record_years(record) | {e["on_date"].year for e in events if e.get("on_date")})
            if (row.org_unit.pk, years) not in closed_ok:
                _closed_check(acting_user, unit=row.org_unit, definition=definition, years=set(years),
                              correction_reason="")
                closed_ok.add((row.org_unit.pk, years))
            built.append((record, events, clocks))
        except (RecordError, access.AccessDenied) as exc:
            rejected.append(RejectedRow(index, row.external_id, str(exc.code), exc.message))
    existing = set(
        Record.objects.filter(register=definition.code, external_id__in=seen).values_list("external_id", flat=True)
    )
    rejected += [
        RejectedRow(i, r.external_id, RecordErrorCode.DUPLICATE_EXTERNAL_ID,
                    f"“{definition.name}”已有编号为 {r.external_id} 的记录")
        for i, r in enumerate(rows) if r.external_id.strip() in existing
    ]
    if rejected:
        raise RecordImportError(sorted(rejected, key=lambda r: r.index))
    actor = access.recorded_actor(acting_user)
    with transaction.atomic():
        records = Record.objects.bulk_create([r for r, _, _ in built], batch_size=batch_size)
        RecordEvent.objects.bulk_create(
            [
                RecordEvent(record=record, seq=seq, kind=e["kind"], transition=e.get("transition", ""),
                            from_status=e.get("from_status", ""), to_status=e.get("to_status", ""), actor=actor,
                            happened_on=e["on_date"],
                            data=history_masked({"set": e["set"], **e.get("data", {})}),
                            note=history_masked(e.get("note", "")))
                for record, (_, events, _) in zip(records, built, strict=True)
                for seq, e in enumerate(events, start=1)
            ],
            batch_size=batch_size,
        )
        for record, (_, _, clocks) in zip(records, built, strict=True):
            for clock in clocks.values():
                clock.record = record
        RecordClock.objects.bulk_create([c for _, _, clocks in built for c in clocks.values()], batch_size=batch_size)
        audit_events_write_many(
            actor=acting_user, action=AuditAction.RECORD_IMPORTED,
            rows=[(record, record.org_unit, audit_diff({}, record_state(record))) for record in records],
        )
        rollup_apply(before=[], after=[c for record in records for c in rollup_contributions(record, definition)])
    return len(records)
