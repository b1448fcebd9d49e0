"""The audit trail: every service writes exactly one AuditEvent in its own transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from .auditactions import AuditAction
from .models import AuditEvent, OrgUnit
from .personaldata import personal_data_mask_value

if TYPE_CHECKING:
    from .access import ActingUser


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    keys = sorted(set(before) | set(after))
    return {
        k: [_jsonable(before.get(k)), _jsonable(after.get(k))]
        for k in keys
        if _jsonable(before.get(k)) != _jsonable(after.get(k))
    }


def history_masked(value: Any) -> Any:
    """What a history row (audit diff, timeline event) stores of a value: JSON-ready, with every personal
    number typed into free text masked (DESIGN §9). The record itself keeps the text as typed; history is
    append-only, so a clear number written into it could never be removed."""
    return personal_data_mask_value(_jsonable(value))


def _action_known(action: AuditAction) -> AuditAction:
    """The action as a member of AuditAction; anything else is a programming error, refused before writing."""
    try:
        return AuditAction(action)  # type: ignore[call-arg]  # a lookup by value: mypy takes a member's (value, label) tuple for __init__'s arguments
    except ValueError:
        raise ValueError(f"unknown audit action {action!r}: add it to fazhi.core.auditactions.AuditAction") from None


def audit_event_build(
    *, actor: ActingUser, action: AuditAction, obj: models.Model | None, diff: dict[str, Any],
    org_unit: OrgUnit | None = None, object_type: str = "", object_id: str = "",
) -> AuditEvent:
    """One audit row, not yet written: for a writer that appends it together with another history row
    (`history_append_many`), e.g. a record's timeline event."""
    return AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=_action_known(action),
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        org_unit=org_unit,
        diff=history_masked(diff),
    )


def audit_event_write(
    *, actor: ActingUser, action: AuditAction, obj: models.Model | None, diff: dict[str, Any],
    org_unit: OrgUnit | None = None, object_type: str = "", object_id: str = "",
) -> AuditEvent:
    """Append one audit row. Call inside the caller's transaction.atomic(). A write that is about no
    single row (a whole calendar year) passes obj=None with its own object_type and object_id."""
    event = audit_event_build(actor=actor, action=action, obj=obj, diff=diff, org_unit=org_unit,
                              object_type=object_type, object_id=object_id)
    event.save()
    return event


def audit_events_write_many(*, actor: ActingUser, action: AuditAction, rows: list[tuple[models.Model, OrgUnit | None, dict[str, Any]]]
                            ) -> None:
    """Append one audit row per object of a bulk write (e.g. an import). Call inside its transaction."""
    actor = actor if actor is not None and actor.is_authenticated else None
    action = _action_known(action)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(actor=actor, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                       org_unit=unit, diff=history_masked(diff))
            for obj, unit, diff in rows
        ],
        batch_size=2000,
    )
