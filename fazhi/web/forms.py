"""Forms built from register definitions, so a new register needs no new form code."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.core.models import OrgUnit
from fazhi.registers.definitions import FieldDef, FieldType, RecordColumn, RegisterDefinition, TransitionDef

ISO_DATE = "%Y-%m-%d"  # what <input type=date> takes as its value, whatever the browser shows


def date_input(*, future: bool = False) -> forms.DateInput:
    """A date picker pre-filled in ISO form (`2026/12/02` would show as empty and block the submit);
    `max` is today for the dates of things that happened (the service refuses them too)."""
    attrs = {"type": "date"}
    if not future:
        attrs["max"] = timezone.localdate().isoformat()
    return forms.DateInput(format=ISO_DATE, attrs=attrs)


def date_field(label, *, required: bool = True, future: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=date_input(future=future), help_text=help_text,
                           input_formats=[ISO_DATE, "%Y/%m/%d", "%Y.%m.%d"],
                           error_messages={"invalid": "请填写日期，如 2024-03-01"})


class NumberField(forms.DecimalField):
    """A number typed as text: digits with an optional thousands separator. Words (“两百元”) are refused
    at the field; an `<input type=number>` would have sent them as an empty value, silently dropped."""

    def __init__(self, *, integer: bool = False, **kwargs):
        self.integer = integer
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric" if integer else "decimal",
                                                           "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("，", "")
        number = super().to_python(value)
        if number is not None and self.integer and number != number.to_integral_value():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def clean(self, value):
        number = super().clean(value)
        return int(number) if self.integer and isinstance(number, Decimal) else number


def _number_error(label: str, *, integer: bool) -> dict[str, str]:
    kind = "整数" if integer else "数字"
    return {"invalid": f"“{label}”须填写{kind}（如 200{'' if integer else ' 或 200.50'}），不能是文字"}


def _form_field(field: FieldDef, *, required: bool, units_to_name=None) -> dict[str, forms.Field]:
    label = field.name
    if field.type == FieldType.PERSON:
        # A person is entered by name and 身份证号; the view registers the Person.
        return {
            f"{field.code}__name": forms.CharField(label=f"{label}姓名", required=required, max_length=50),
            # never kept in the browser's draft (drafts.js skips it)
            f"{field.code}__id_number": forms.CharField(
                label=f"{label}身份证号", required=False, max_length=18,
                widget=forms.TextInput(attrs={"data-draft-skip": "1", "autocomplete": "off"})),
        }
    if field.type == FieldType.CHOICE:
        choices = [("", "——")] + list((field.choices or {}).items())
        return {field.code: forms.ChoiceField(label=label, choices=choices, required=required, help_text=field.help)}
    if field.type == FieldType.DATE:
        return {field.code: date_field(label, required=required, future=field.future, help_text=field.help)}
    if field.type == FieldType.BOOL:
        return {field.code: forms.BooleanField(label=label, required=False, help_text=field.help)}
    if field.type == FieldType.INT:
        return {field.code: NumberField(label=label, required=required, integer=True, decimal_places=0,
                                        help_text=field.help, error_messages=_number_error(label, integer=True))}
    if field.type in (FieldType.DECIMAL, FieldType.MONEY):
        return {field.code: NumberField(label=label, required=required, decimal_places=2, max_digits=16,
                                        min_value=Decimal(0) if field.type == FieldType.MONEY else None,
                                        help_text=field.help, error_messages=_number_error(label, integer=False))}
    if field.type == FieldType.ORG_UNIT:
        return {field.code: forms.ModelChoiceField(label=label, queryset=units_to_name, required=required,
                                                   help_text=field.help)}
    if field.type == FieldType.ENTITY:
        # A market entity is entered by its 统一社会信用代码 (and its name, the first time); the view finds
        # or registers the Entity.
        return {
            f"{field.code}__credit_code": forms.CharField(label=f"{label}统一社会信用代码", required=required,
                                                          max_length=18),
            f"{field.code}__name": forms.CharField(label=f"{label}名称（首次登记时填写）", required=False,
                                                   max_length=200),
        }
    return {field.code: forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}),
                                        help_text=field.help)}


def record_create_form(definition: RegisterDefinition, units, data=None, *, units_to_name=None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    if not definition.number_pattern:  # otherwise the number is given when the record is saved
        fields["external_id"] = forms.CharField(label=_("Case number"), max_length=60)
    fields["org_unit"] = forms.ModelChoiceField(label=_("Handling unit"), queryset=units)
    if definition.column_field(RecordColumn.OPENED_ON) is None:
        fields["opened_on"] = date_field(_("Date received"))
    for field in definition.fields:
        fields.update(_form_field(field, required=field.required, units_to_name=units_to_name))
    return type("RecordCreateForm", (forms.Form,), fields)(data)


def record_transition_form(definition: RegisterDefinition, transition: TransitionDef, data=None, *,
                           units_to_name=None) -> forms.Form:
    fields: dict[str, forms.Field] = {
        "on_date": date_field(_("Date")),
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
