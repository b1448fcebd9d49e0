"""Forms built from register definitions, so a new register needs no new form code."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit
from fazhi.registers.definitions import FieldDef, FieldType, RecordColumn, RegisterDefinition, TransitionDef


def date_input() -> forms.DateInput:
    # An <input type=date> takes its value as ISO 8601 only: the zh-hans format (2026/12/02) shows as empty and
    # blocks the form with "please fill in this field".
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _form_field(field: FieldDef, *, required: bool, units_to_name=None) -> dict[str, forms.Field]:
    label = field.name
    if field.type == FieldType.PERSON:
        # A person is entered by name and 身份证号; the view registers the Person.
        return {
            f"{field.code}__name": forms.CharField(label=f"{label}姓名", required=required, max_length=50),
            f"{field.code}__id_number": forms.CharField(label=f"{label}身份证号", required=False, max_length=18),
        }
    if field.type == FieldType.CHOICE:
        choices = [("", "——")] + list((field.choices or {}).items())
        return {field.code: forms.ChoiceField(label=label, choices=choices, required=required)}
    if field.type == FieldType.DATE:
        return {field.code: forms.DateField(label=label, required=required, widget=date_input())}
    if field.type == FieldType.BOOL:
        return {field.code: forms.BooleanField(label=label, required=False)}
    if field.type == FieldType.INT:
        return {field.code: forms.IntegerField(label=label, required=required)}
    if field.type in (FieldType.DECIMAL, FieldType.MONEY):
        return {field.code: forms.DecimalField(label=label, required=required, decimal_places=2, max_digits=16)}
    if field.type == FieldType.ORG_UNIT:
        return {field.code: forms.ModelChoiceField(label=label, queryset=units_to_name, required=required)}
    if field.type == FieldType.ENTITY:
        # A market entity is entered by its 统一社会信用代码 (and its name, the first time); the view finds
        # or registers the Entity.
        return {
            f"{field.code}__credit_code": forms.CharField(label=f"{label}统一社会信用代码", required=required,
                                                          max_length=18),
            f"{field.code}__name": forms.CharField(label=f"{label}名称（首次登记时填写）", required=False,
                                                   max_length=200),
        }
    return {field.code: forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))}


def record_create_form(definition: RegisterDefinition, units, data=None, *, units_to_name=None) -> forms.Form:
    fields: dict[str, forms.Field] = {
        "external_id": forms.CharField(label=_("Case number"), max_length=60),
        "org_unit": forms.ModelChoiceField(label=_("Handling unit"), queryset=units),
    }
    if definition.column_field(RecordColumn.OPENED_ON) is None:
        fields["opened_on"] = forms.DateField(label=_("Date received"), widget=date_input())
    for field in definition.fields:
        fields.update(_form_field(field, required=field.required, units_to_name=units_to_name))
    return type("RecordCreateForm", (forms.Form,), fields)(data)


def record_transition_form(definition: RegisterDefinition, transition: TransitionDef, data=None, *,
                           units_to_name=None) -> forms.Form:
    fields: dict[str, forms.Field] = {
        "on_date": forms.DateField(label=_("Date"), widget=date_input()),
    }
    if transition.outcomes:
        choices = [("", "——")] + [(o, definition.outcome_name(o)) for o in transition.outcomes]
        fields["outcome"] = forms.ChoiceField(label=_("Outcome"), choices=choices)
    for code in transition.requires:
        field = definition.field(code)
        if field is not None:
            fields.update(_form_field(field, required=True, units_to_name=units_to_name))
    fields["note"] = forms.CharField(
        label=_("Note"), required=transition.note_required, widget=forms.Textarea(attrs={"rows": 2})
    )
    return type("RecordTransitionForm", (forms.Form,), fields)(data)


def person_fields(definition: RegisterDefinition) -> list[FieldDef]:
    return [f for f in definition.fields if f.type == FieldType.PERSON]



def units_queryset(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    return units.order_by("depth", "name")
