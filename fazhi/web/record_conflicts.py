"""Lost updates on record forms: every record form carries the version it was read at (a hidden field); a stale
save comes back from the service as RecordConflict, and the page shows what is stored now next to what was
typed, with the typed values kept in the form and the version moved on, so a second save is a decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from fazhi.core.models import OrgUnit
from fazhi.core.personaldata import personal_data_mask
from fazhi.registers.definitions import RegisterDefinition
from fazhi.registers.errors import RecordConflict
from fazhi.registers.models import Record

VERSION_FIELD = "version"
# What the conflict box calls a record column (the payload fields use their definition's names).
_COLUMN_LABELS = {"status": "状态", "outcome": "结果", "org_unit": "承办单位"}


def version_add(form: forms.Form, record: Record) -> forms.Form:
    """Add the hidden version field to a record form; unbound, it holds the version shown."""
    form.fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0,
                                                    max_value=2**31 - 1)
    if not form.is_bound:
        form.initial[VERSION_FIELD] = record.version
    return form


def version_read(form: forms.Form) -> int | None:
    return form.cleaned_data.get(VERSION_FIELD)


def data_at_version(data: QueryDict, version: int) -> QueryDict:
    """The posted values with the version moved on to the stored one: the re-shown form keeps what was
    typed, and saving it again overwrites knowingly."""
    data = data.copy()
    data[VERSION_FIELD] = str(version)
    return data


def _shown(definition: RegisterDefinition, key: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if key == "status":
        return definition.status_name(value)
    if key == "outcome":
        return definition.outcome_name(value)
    field = definition.field(key.removeprefix("payload."))
    kind = str(field.type) if field is not None else ""
    if key == "org_unit" or kind == "org_unit":
        return OrgUnit.objects.filter(pk=value).values_list("name", flat=True).first() or str(value)
    if field is not None and kind == "choice":
        return (field.choices or {}).get(value, value)
    if kind == "bool":
        return "是" if value else "否"
    if kind in ("person", "entity"):
        return "（已登记的当事人）"
    # A personal number someone else typed is not shown in clear here (the record page reveals, audited).
    return personal_data_mask(str(value))


def conflict_rows(definition: RegisterDefinition, exc: RecordConflict, typed: dict[str, Any]) -> list[dict]:
    """One row per value the user typed: its label, what is stored now, what the user typed. `typed` maps
    state keys (`payload.<field>`, `status`, `org_unit`) to the typed value as shown to the user."""
    rows = []
    for key, yours in typed.items():
        field = definition.field(key.removeprefix("payload."))
        label = _COLUMN_LABELS.get(key) or (field.name if field is not None else key)
        rows.append({"label": label, "current": _shown(definition, key, exc.current.get(key)),
                     "yours": "（空）" if yours in (None, "") else str(yours)})
    return rows
