"""Reads of imports and exports, scoped by core.access."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from fazhi.core import access
from fazhi.core.access import Perm
from fazhi.core.identity import credit_code_mask, id_number_mask
from fazhi.core.models import Entity, OrgUnit, Person
from fazhi.registers.definitions import FieldType, RegisterDefinition
from fazhi.registers.models import Record
from fazhi.registers.selectors import records_visible

from .columns import CLOSED_ON, OPENED_ON, OUTCOME, STATUS, register_targets
from .models import ExportFile, ImportBatch, RowStatus, StagedRow


def batches_visible(user) -> QuerySet[ImportBatch]:
    """A user's own batches (everyone's for the system and superusers): a batch holds the raw file."""
    queryset = ImportBatch.objects.order_by("-pk")
    if user is None or (user.is_authenticated and user.is_superuser):
        return queryset
    return queryset.filter(created_by=user) if user.is_authenticated else queryset.none()


def batch_get(user, *, pk: int) -> ImportBatch:
    """ImportBatch.DoesNotExist for a missing and another user's batch alike."""
    return batches_visible(user).get(pk=pk)


def batch_rejected_rows(batch: ImportBatch) -> list[StagedRow]:
    return list(StagedRow.objects.filter(batch=batch, status=RowStatus.REJECTED).order_by("row_number"))


def export_headers(definition: RegisterDefinition) -> list[str]:
    return [t.name for t in register_targets(definition)]


def export_rows(user, definition: RegisterDefinition, *, records: QuerySet | None = None
                ) -> tuple[list[list[Any]], list[tuple[Record, list[str]]]]:
    """The rows of a register's export within the user's jurisdiction, and the records whose personal numbers
    it shows in full, with those fields (only to who holds Perm.PERSONAL_DATA_VIEW over the record's unit;
    masked otherwise)."""
    # A filtered list keeps the order it is shown in; the whole register goes by 编号 (stable for re-imports).
    if records is None:
        queryset = records_visible(user, register=definition.code).order_by("external_id")
    else:
        queryset = records.filter(register=definition.code)
    queryset = queryset.select_related("org_unit")
    records_list = list(queryset)
    targets = register_targets(definition)
    refs: dict[FieldType, set[int]] = {FieldType.PERSON: set(), FieldType.ENTITY: set(), FieldType.ORG_UNIT: set()}
    for record in records_list:
        for t in targets:
            if t.field is not None and t.field.type in refs and record.payload.get(t.key) is not None:
                refs[t.field.type].add(record.payload[t.key])
    people = dict(Person.objects.filter(pk__in=refs[FieldType.PERSON]).values_list("pk", "id_number"))
    entities = dict(Entity.objects.filter(pk__in=refs[FieldType.ENTITY]).values_list("pk", "credit_code"))
    units = dict(OrgUnit.objects.filter(pk__in=refs[FieldType.ORG_UNIT]).values_list("pk", "name"))
    reveal: dict[int, bool] = {}
    revealed: list[tuple[Record, list[str]]] = []
    rows = []
    for record in records_list:
        if record.org_unit_id not in reveal:
            reveal[record.org_unit_id] = access.may(user, Perm.PERSONAL_DATA_VIEW, record.org_unit)
        full = reveal[record.org_unit_id]
        row: list[Any] = []
        shown_in_full: list[str] = []
        for t in targets:
            if t.key == "external_id":
                row.append(record.external_id)
            elif t.key == "org_unit":
                row.append(record.org_unit.name)
            elif t.key == OPENED_ON:
                row.append(record.opened_on)
            elif t.key == STATUS:
                row.append(definition.status_name(record.status))
            elif t.key == OUTCOME:
                row.append(definition.outcome_name(record.outcome) if record.outcome else None)
            elif t.key == CLOSED_ON:
                row.append(record.closed_on)
            else:
                value = record.payload.get(t.key)
                shown, personal = _shown(t.field, value, people, entities, units, full=full)
                if personal:
                    shown_in_full.append(t.key)
                row.append(shown)
        rows.append(row)
        if shown_in_full:
            revealed.append((record, shown_in_full))
    return rows, revealed


def _shown(field, value, people, entities, units, *, full: bool) -> tuple[Any, bool]:
    if value is None:
        return None, False
    t = field.type
    if t == FieldType.DATE:
        return dt.date.fromisoformat(value), False
    if t == FieldType.CHOICE:
        return (field.choices or {}).get(value, value), False
    if t == FieldType.BOOL:
        return "是" if value else "否", False
    if t == FieldType.PERSON:
        number = people.get(value, "")
        return (number, bool(number)) if full else (id_number_mask(number), False)
    if t == FieldType.ENTITY:
        code = entities.get(value, "")
        return (code, bool(code)) if full else (credit_code_mask(code), False)
    if t == FieldType.ORG_UNIT:
        return units.get(value, ""), False
    if t == FieldType.TEXT and ("身份证" in field.name or "信用代码" in field.name):
        if full:
            return value, True
        return (id_number_mask(value) if "身份证" in field.name else credit_code_mask(value)), False
    return value, False


def exports_visible(user) -> QuerySet[ExportFile]:
    """A user's own exports, newest first (a file may hold personal data only its author was shown)."""
    if user is None or not user.is_authenticated:
        return ExportFile.objects.none()
    return ExportFile.objects.filter(created_by=user).defer("content").order_by("-pk")


def export_get(user, *, pk: int) -> ExportFile:
    """ExportFile.DoesNotExist for a missing and another user's export alike."""
    if user is None or not user.is_authenticated:
        raise ExportFile.DoesNotExist
    return ExportFile.objects.get(pk=pk, created_by=user)
