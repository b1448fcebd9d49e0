"""Corrections on a record (issue 15 item 2): correct fields with a reason, hand over to another unit,
delete with a reason, extend / suspend / resume a statutory clock. Each goes through the register
service, which checks the permission at the record's unit, writes the timeline event and the audit row,
and refuses a closed year unless the correction-after-close reason is given by a role allowed to."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.services import CoreError
from fazhi.registers.errors import RecordConflict, RecordError
from fazhi.registers.models import Record, RecordClock
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import record_get
from fazhi.registers.services import (
    record_delete,
    record_extend_deadline,
    record_move,
    record_resume,
    record_suspend,
    record_update,
)

from .forms import date_field, units_queryset
from .record_conflicts import conflict_rows, data_at_version, version_add

ACTIONS = {"edit": "更正字段", "move": "移交其他单位", "delete": "删除记录", "extend": "延长期限",
           "suspend": "中止计时", "resume": "恢复计时"}
# Fields typed as text here; people and entities are corrected by a transition or a new record.
_EDITABLE_TYPES = {"text", "textarea", "choice", "date", "int", "decimal", "money", "bool", "org_unit"}


def _form(action: str, definition, record: Record, user, data=None) -> forms.Form:
    fields: dict[str, forms.Field] = {}
    if action == "edit":
        choices = [(f.code, f.name) for f in definition.fields if str(f.type) in _EDITABLE_TYPES]
        fields["field"] = forms.ChoiceField(label="字段", choices=choices)
        fields["value"] = forms.CharField(label="更正为", max_length=2000, required=False,
                                          help_text="日期写作 2024-06-03；留空即清除")
        fields["note"] = forms.CharField(label="更正理由", max_length=500)
    elif action == "move":
        units = units_queryset(access.units_where(user, Perm.RECORD_EDIT, definition=definition)
                               .exclude(pk=record.org_unit_id))
        fields["org_unit"] = forms.ModelChoiceField(label="移交给", queryset=units)
        fields["note"] = forms.CharField(label="移交理由", max_length=500)
    elif action == "delete":
        fields["note"] = forms.CharField(label="删除理由", max_length=500)
    else:
        running = RecordClock.objects.filter(record=record, stopped_on__isnull=True)
        if action == "resume":
            running = running.filter(suspended_on__isnull=False)
        elif action == "suspend":
            running = running.filter(suspended_on__isnull=True)
        names = {c.code: c.name for c in definition.clocks}
        fields["clock"] = forms.ChoiceField(label="期限", choices=[(c.code, names.get(c.code, c.code))
                                                                  for c in running])
        fields["on_date"] = date_field("日期")
        if action == "extend":
            fields["length"] = forms.IntegerField(label="延长", min_value=1, max_value=366)
            fields["approver"] = forms.CharField(label="批准人（用户名）", max_length=150)
        if action != "resume":
            fields["note"] = forms.CharField(label="理由", max_length=500)
    fields["correction_reason"] = forms.CharField(
        label="关账后更正理由", max_length=500, required=False,
        help_text="仅当记录所属年度已关账时填写，须有“关账后更正”权限")
    return version_add(type("CorrectionForm", (forms.Form,), fields)(data), record)


def _typed(action: str, data: dict) -> dict:
    """What the user typed, keyed as the record's state, for the conflict box."""
    if action == "edit":
        return {f"payload.{data['field']}": data["value"]}
    if action == "move":
        return {"org_unit": data["org_unit"].name}
    return {}


def _apply(action: str, record: Record, user, data: dict) -> None:
    late = data.get("correction_reason", "")
    version = data.get("version")
    if action == "edit":
        record_update(acting_user=user, record=record, changes={data["field"]: data["value"] or None},
                      note=data["note"], correction_reason=late, version=version)
    elif action == "move":
        record_move(acting_user=user, record=record, org_unit=data["org_unit"], note=data["note"],
                    correction_reason=late, version=version)
    elif action == "delete":
        record_delete(acting_user=user, record=record, reason=data["note"], correction_reason=late,
                      version=version)
    elif action == "extend":
        approver = get_user_model().objects.filter(username=data["approver"], is_active=True).first()
        record_extend_deadline(acting_user=user, record=record, clock=data["clock"], length=data["length"],
                               reason=data["note"], approver=approver, on_date=data["on_date"],
                               correction_reason=late)
    elif action == "suspend":
        record_suspend(acting_user=user, record=record, clock=data["clock"], reason=data["note"],
                       on_date=data["on_date"], correction_reason=late)
    else:
        record_resume(acting_user=user, record=record, clock=data["clock"], on_date=data["on_date"],
                      correction_reason=late)


@perm_required(Perm.RECORD_EDIT)
def record_correct(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(action)
    try:
        record = record_get(request.user, pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None
    definition = register_definition(record.register)
    form = _form(action, definition, record, request.user, request.POST or None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            _apply(action, record, request.user, form.cleaned_data)
        except RecordConflict as exc:
            # Nothing typed is lost: the form keeps it, beside what is stored now.
            conflict = conflict_rows(definition, exc, _typed(action, form.cleaned_data))
            form = _form(action, definition, record, request.user, data_at_version(request.POST, exc.current_version))
            form.is_valid()
            form.add_error(None, exc.message)
        except (RecordError, CoreError, access.AccessDenied) as exc:
            form.add_error(None, getattr(exc, "message", None) or str(exc))
        else:
            messages.success(request, f"已{ACTIONS[action]}")
            if action == "delete":
                return redirect("web:record_list", register=definition.code)
            return redirect("web:record", pk=record.pk)
    response = render(request, "web/record_correct.html", {
        "record": record, "definition": definition, "form": form, "title": ACTIONS[action], "conflict": conflict,
    })
    if conflict is not None:
        response.status_code = 409
    return response
