"""Pages. Thin: reads through selectors, writes through services, access through core.access."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core import access
from fazhi.core.access import Perm, perm_required
from fazhi.core.dataversion import version_cached
from fazhi.core.errors import FazhiError
from fazhi.core.identity import IdentityError, id_number_mask, id_number_normalize
from fazhi.core.models import Entity, OrgUnit, Person
from fazhi.core.params import param_int
from fazhi.core.personaldata import personal_data_mask, personal_data_present
from fazhi.core.services import personal_data_view_record
from fazhi.core.textinput import control_characters_strip
from fazhi.registers.errors import RecordConflict, RecordError
from fazhi.registers.listing import (
    PAGE_SIZES,
    PARTY_SESSION_KEY,
    party_numbers_kept,
    record_filters_of_request,
    records_filtered,
)
from fazhi.registers.models import Record
from fazhi.registers.registry import UnknownRegister, register_definition
from fazhi.registers.selectors import (
    clocks_overdue,
    overdue_by_unit,
    record_clocks,
    record_get,
    record_timeline,
    register_summary,
)
from fazhi.registers.services import EntityByCreditCode, NewPerson, record_register, record_transition
from fazhi.reports.models import SectionStatus
from fazhi.reports.selectors import assignments_for_user
from fazhi.web.page_cache import page_cached

from .correction_views import ACTIONS as CORRECTION_ACTIONS
from .forms import person_fields, record_create_form, record_transition_form, units_queryset
from .querystrings import query_changed
from .record_conflicts import conflict_rows, data_at_version, version_add


def _definition_or_404(code: str):
    try:
        return register_definition(code)
    except UnknownRegister:
        raise Http404(code) from None


def _home_figures(user, *, today) -> dict:
    roots = access.jurisdiction_roots(user)
    overdue_tables = [{"root": root, "rows": overdue_by_unit(user, root=root, today=today)} for root in roots[:3]]
    overdue_clocks = list(clocks_overdue(user, today=today).order_by("due_on")[:20])
    for clock in overdue_clocks:
        clock_def = register_definition(clock.record.register).clock(clock.code)
        clock.name = clock_def.name if clock_def else clock.code  # type: ignore[attr-defined]  # a display attribute for the template
        clock.days_over = (today - clock.due_on).days  # type: ignore[attr-defined]  # a display attribute for the template
    return {"summary": register_summary(user, today=today), "overdue_tables": overdue_tables,
            "overdue_clocks": overdue_clocks,
            # report sections the user's units still have to write (writing together)
            "open_sections": [a for a in assignments_for_user(user)
                              if a.status in (SectionStatus.ASSIGNED, SectionStatus.RETURNED)][:10]}


@perm_required(Perm.UNIT_READ)
@page_cached
def home(request):
    today = timezone.localdate()
    user = request.user
    key = ("home", user.pk, user.is_superuser, user.is_active, today)
    # cached per user, day and data version (core.dataversion)
    return render(request, "web/home.html", {**version_cached(key, lambda: _home_figures(user, today=today)),
                                             "today": today})


def _display_payload(definition, record: Record, *, full_personal: bool) -> list[tuple[str, str]]:
    rows = []
    people = {p.pk: p for p in Person.objects.filter(pk__in=[
        record.payload.get(f.code) for f in person_fields(definition) if record.payload.get(f.code)
    ])}
    ids = {kind: [record.payload[f.code] for f in definition.fields if f.type == kind and record.payload.get(f.code)]
           for kind in ("org_unit", "entity")}
    unit_names = dict(OrgUnit.objects.filter(pk__in=ids["org_unit"]).values_list("pk", "name"))
    entities = {e.pk: e for e in Entity.objects.filter(pk__in=ids["entity"])}
    for field in definition.fields:
        value = record.payload.get(field.code)
        if value is None:
            continue
        if field.type == "person":
            person = people.get(value)
            shown = "" if person is None else (
                f"{person.name}（{person.id_number}）" if full_personal and person.id_number else str(person)
            )
        elif field.type == "choice":
            shown = (field.choices or {}).get(value, value)
        elif field.type == "bool":
            shown = "是" if value else "否"
        elif field.type == "org_unit":
            shown = unit_names.get(value, str(value))
        elif field.type == "entity":
            entity = entities.get(value)
            shown = str(value) if entity is None else f"{entity.name}（{entity.credit_code}）"
        else:
            # Free text keeps what was typed; a personal number in it is shown masked unless revealed.
            shown = str(value) if full_personal else personal_data_mask(str(value))
        # Text stored before input was checked may hold control characters: never rendered.
        rows.append((field.name, control_characters_strip(shown)))
    return rows


def _free_text_personal_fields(definition, record: Record) -> list[str]:
    """The codes of the record's free-text fields that hold a personal number (shown masked until revealed)."""
    skip = {"person", "choice", "bool", "org_unit", "entity"}
    return [f.code for f in definition.fields
            if f.type not in skip and personal_data_present(record.payload.get(f.code))]


_PARTY_TOKENS_KEPT = 20  # a session keeps the last few searches; older tokens answer "expired"


def _party_number_keep(request, number: str) -> str:
    """Keep a searched 身份证号 in the session and return the opaque token the URL carries instead."""
    numbers = party_numbers_kept(request.session)
    for token, kept in numbers.items():
        if kept == number:
            return token
    token = secrets.token_urlsafe(12)
    numbers[token] = number
    request.session[PARTY_SESSION_KEY] = dict(list(numbers.items())[-_PARTY_TOKENS_KEPT:])
    return token


@perm_required(Perm.UNIT_READ)
def record_list(request, register: str):
    definition = _definition_or_404(register)
    if request.method == "POST":
        # 按身份证号查找: the number stays on the server; the URL gets a token (no personal data in URLs).
        try:
            number = id_number_normalize(request.POST.get("id_number", ""))
        except IdentityError as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}?{query_changed(request, party_token='', page='')}")
        token = _party_number_keep(request, number)
        return redirect(f"{request.path}?{query_changed(request, party_token=token, page='')}")
    filters = record_filters_of_request(request, definition)
    queryset = records_filtered(request.user, definition, filters)
    page = Paginator(queryset, filters.page_size).get_page(param_int(request.GET, "page", default=1, minimum=1))
    for record in page:
        record.status_name = definition.status_name(record.status)  # type: ignore[attr-defined]  # a display attribute for the template
    sort_links = {key: query_changed(request, sort=(f"-{key}" if filters.sort == key else key), page="")
                  for key in ("external_id", "unit", "status", "opened_on", "closed_on")}
    return render(
        request,
        "web/record_list.html",
        {
            "definition": definition,
            "page": page,
            "filters": filters,
            "units": access.units_in_jurisdiction(request.user).order_by("depth", "name")[:500],
            "page_sizes": PAGE_SIZES,
            "sort_links": sort_links,
            "page_query": query_changed(request, page=""),
            "export_query": query_changed(request, page="", per_page=""),
            "party_number_masked": id_number_mask(filters.party_number) if filters.party_number else "",
            "clear_party_query": query_changed(request, party_token="", page=""),
        },
    )


@perm_required(Perm.UNIT_READ)
def record_detail(request, pk: int):
    try:
        record = record_get(request.user, pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None
    definition = register_definition(record.register)
    text_fields = _free_text_personal_fields(definition, record)
    may_reveal = access.may(request.user, Perm.PERSONAL_DATA_VIEW, record.org_unit) and bool(
        person_fields(definition) or text_fields)
    # Full 身份证号 only on an explicit POST, and each such view is audited.
    reveal = request.method == "POST" and request.POST.get("reveal") == "1" and may_reveal
    if reveal:
        personal_data_view_record(acting_user=request.user, obj=record, org_unit=record.org_unit,
                                  fields=[f.code for f in person_fields(definition)] + text_fields)
    transitions = [
        t for t in definition.transitions
        if record.status in t.from_ and access.may(request.user, Perm.RECORD_TRANSITION, record.org_unit, definition=t)
    ]
    timeline = record_timeline(record)
    for event in timeline:
        event.to_status_name = definition.status_name(event.to_status) if event.to_status else ""  # type: ignore[attr-defined]  # a display attribute for the template
        t_def = definition.transition(event.transition) if event.transition else None
        event.transition_name = t_def.name if t_def else ""  # type: ignore[attr-defined]  # a display attribute for the template
    return render(
        request,
        "web/record_detail.html",
        {
            "record": record,
            "definition": definition,
            "status_name": definition.status_name(record.status),
            "outcome_name": definition.outcome_name(record.outcome) if record.outcome else "",
            "fields": _display_payload(definition, record, full_personal=reveal),
            "may_reveal": may_reveal and not reveal,
            "clocks": record_clocks(record),
            "timeline": timeline,
            "transitions": transitions,
            "status_names": {s.code: s.name for s in definition.statuses},
            "may_correct": access.may(request.user, Perm.RECORD_EDIT, record.org_unit, definition=definition),
            "corrections": [(code, name) for code, name in CORRECTION_ACTIONS.items()
                            if code != "delete" or access.may(request.user, Perm.RECORD_DELETE, record.org_unit)],
        },
    )


def _parties_from_form(definition, form) -> dict[str, NewPerson | EntityByCreditCode]:
    """People (by name and 身份证号) and market entities (by 统一社会信用代码) typed into a form; the service
    registers them with the record."""
    data = form.cleaned_data
    parties: dict[str, NewPerson | EntityByCreditCode] = {}
    for field in definition.fields:
        if field.type == "person" and data.get(f"{field.code}__name"):
            parties[field.code] = NewPerson(name=data[f"{field.code}__name"],
                                            id_number=data.get(f"{field.code}__id_number") or "")
        elif field.type == "entity" and data.get(f"{field.code}__credit_code"):
            parties[field.code] = EntityByCreditCode(credit_code=data[f"{field.code}__credit_code"],
                                                     name=data.get(f"{field.code}__name") or "")
    return parties


def _error_field(form, exc) -> str | None:
    """The form field an error names: the field itself, or the first input of a person/entity field
    (`applicant` → `applicant__name`); None puts the error above the form."""
    code = getattr(exc, "field", None)
    if not code:
        return None
    if code in form.fields:
        return code
    return next((name for name in form.fields if name.startswith(f"{code}__")), None)


def _payload_from_form(definition, form, codes) -> dict:
    values = {c: form.cleaned_data.get(c) for c in codes if c in form.cleaned_data}
    return {c: v.pk if isinstance(v, OrgUnit) else v for c, v in values.items()}


@perm_required(Perm.RECORD_CREATE)
def record_new(request, register: str):
    definition = _definition_or_404(register)
    # The form is offered only to who may save it (a leader got it with an empty list of units).
    if not access.may(request.user, Perm.RECORD_CREATE, None, definition=definition):
        raise access.AccessDenied(f"无权登记{definition.name}")
    units = units_queryset(access.units_where(request.user, Perm.RECORD_CREATE, definition=definition))
    form = record_create_form(definition, units, request.POST or None,
                              units_to_name=units_queryset(access.units_to_name(request.user)))
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["org_unit"]
        codes = [f.code for f in definition.fields if f.type not in ("person", "entity")]
        try:
            record = record_register(
                acting_user=request.user, register=definition.code, org_unit=unit,
                external_id=form.cleaned_data.get("external_id", ""), payload=_payload_from_form(definition, form, codes),
                parties=_parties_from_form(definition, form), opened_on=form.cleaned_data.get("opened_on"),
            )
        except FazhiError as exc:
            # Only a register error names one of the form's fields; a party's (name, 身份证号) errors go on top.
            form.add_error(_error_field(form, exc) if isinstance(exc, RecordError) else None, exc.message)
        else:
            messages.success(request, _("Record saved."))
            return redirect("web:record", pk=record.pk)
    return render(request, "web/record_form.html", {"definition": definition, "form": form,
                                                    "draft_key": f"record-new-{definition.code}"})  # drafts.js


@perm_required(Perm.RECORD_TRANSITION)
def record_transition_view(request, pk: int, transition: str):
    try:
        record = record_get(request.user, pk=pk)
    except Record.DoesNotExist:
        raise Http404 from None
    definition = register_definition(record.register)
    t = definition.transition(transition)
    if t is None:
        raise Http404(transition)
    if not access.may(request.user, Perm.RECORD_TRANSITION, record.org_unit, definition=t):
        raise access.AccessDenied(f"无权在“{record.org_unit.name}”执行“{t.name}”")
    units_to_name = units_queryset(access.units_to_name(request.user))
    form = version_add(record_transition_form(definition, t, request.POST or None, units_to_name=units_to_name),
                       record)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            record_transition(
                acting_user=request.user, record=record, transition=t.code, on_date=form.cleaned_data["on_date"],
                fields=_payload_from_form(definition, form, [c for c in t.requires if c in form.fields]),
                parties=_parties_from_form(definition, form), outcome=form.cleaned_data.get("outcome") or None,
                note=form.cleaned_data.get("note", ""), version=form.cleaned_data.get("version"),
            )
        except RecordConflict as exc:
            # Nothing typed is lost: the form keeps it, beside what is stored now.
            typed: dict[str, object] = {"status": f"（办理“{t.name}”）"}
            typed.update({f"payload.{c}": form.cleaned_data.get(c) for c in t.requires
                          if c in form.fields and form.cleaned_data.get(c) not in (None, "")})
            conflict = conflict_rows(definition, exc, typed)
            form = version_add(record_transition_form(definition, t, data_at_version(request.POST, exc.current_version),
                                                      units_to_name=units_to_name), record)
            form.is_valid()
            form.add_error(None, exc.message)
        except FazhiError as exc:
            form.add_error(_error_field(form, exc) if isinstance(exc, RecordError) else None, exc.message)
        else:
            messages.success(request, _("Done: %(name)s") % {"name": t.name})
            return redirect("web:record", pk=record.pk)
    elif request.method != "POST":
        form = version_add(record_transition_form(definition, t, None, units_to_name=units_to_name), record)
        form.initial["on_date"] = timezone.localdate()
    response = render(request, "web/transition_form.html",
                      {"record": record, "definition": definition, "t": t, "form": form, "conflict": conflict,
                       "draft_key": f"transition-{record.pk}-{t.code}"})
    if conflict is not None:
        response.status_code = 409
    return response
