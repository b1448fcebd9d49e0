"""A register's record list as people filter it: search, filters, sort and page size (issue 13, item 4).

The same filters serve the list page and its exports (fazhi.imports), so a file holds exactly what the list
shows. Every parameter is validated with fazhi.core.params (a coded 400 naming it, never a 500). A party's
身份证号 never arrives here from a URL: the page keeps it in the session and passes it in `party_numbers`
under an opaque token (`party_token`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import IntegerField, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from fazhi.core import access
from fazhi.core.access import ActingUser
from fazhi.core.models import OrgUnit, OrgUnitClosure, Person
from fazhi.core.params import ParamError, param_choice, param_date_range, param_int, param_text

from .definitions import ClockKind, FieldType, RegisterDefinition
from .models import Record, RecordClock
from .selectors import records_visible

# The session key under which the list pages keep searched 身份证号 by token (the list page writes it, the
# list and its exports read it).
PARTY_SESSION_KEY = "record_list_party_numbers"
# The parameters of a list that select records (not the page shown): what an export records it was made of.
FILTER_PARAMS = ("q", "party", "party_token", "unit", "status", "outcome", "opened_from", "opened_to",
                 "closed_from", "closed_to", "overdue", "sort")
PAGE_SIZES = ("25", "50", "100", "200")
DEFAULT_PAGE_SIZE = 50
# ?sort= values → the ordering they mean; pk last so pages never shuffle rows of equal keys.
SORTS: dict[str, tuple[str, ...]] = {
    "opened_on": ("opened_on", "pk"),
    "-opened_on": ("-opened_on", "-pk"),
    "closed_on": ("closed_on", "pk"),
    "-closed_on": ("-closed_on", "-pk"),
    "external_id": ("external_id",),
    "-external_id": ("-external_id",),
    "status": ("status", "-opened_on", "-pk"),
    "-status": ("-status", "-opened_on", "-pk"),
    "unit": ("org_unit__name", "-opened_on", "-pk"),
    "-unit": ("-org_unit__name", "-opened_on", "-pk"),
}
DEFAULT_SORT = "-opened_on"
PARTY_TEXT_MAX = 50


@dataclass(frozen=True)
class RecordFilters:
    text: str = ""  # case number or any text field contains it
    party: str = ""  # a party's name contains it
    party_token: str = ""  # refers to a 身份证号 kept in the session
    party_number: str = ""  # that 身份证号 (never put back into a URL)
    party_ids: tuple[int, ...] | None = None  # the people it names, as a background job receives them
    unit: OrgUnit | None = None  # the unit and its subtree
    status: str = ""
    outcome: str = ""
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    overdue: bool = False  # a running statutory deadline has passed
    sort: str = DEFAULT_SORT
    page_size: int = DEFAULT_PAGE_SIZE


def record_filters_parse(user: ActingUser, definition: RegisterDefinition, query: Mapping[str, str], *,
                         party_numbers: Mapping[str, str] | None = None) -> RecordFilters:
    """The list's filters from a query string; ParamError (400, naming the parameter) for anything malformed,
    including a unit outside the user's jurisdiction (the same answer as a unit that does not exist)."""
    unit = None
    unit_pk = param_int(query, "unit", minimum=1)
    if unit_pk is not None:
        try:
            unit = access.unit_get(user, unit_pk)
        except access.UnitNotFound:
            raise ParamError("unit", "没有这个单位，或不在您的管辖范围内") from None
    token = param_text(query, "party_token", max_length=40)
    number = ""
    if token:
        number = (party_numbers or {}).get(token, "")
        if not number:
            raise ParamError("party_token", "按身份证号查找已过期，请重新输入")
    opened_from, opened_to = param_date_range(query, "opened_from", "opened_to")
    closed_from, closed_to = param_date_range(query, "closed_from", "closed_to")
    return RecordFilters(
        text=param_text(query, "q"),
        party=param_text(query, "party", max_length=PARTY_TEXT_MAX),
        party_token=token,
        party_number=number,
        unit=unit,
        status=param_choice(query, "status", [s.code for s in definition.statuses]),
        outcome=param_choice(query, "outcome", [o.code for o in definition.outcomes]),
        opened_from=opened_from, opened_to=opened_to, closed_from=closed_from, closed_to=closed_to,
        overdue=param_choice(query, "overdue", ["1"]) == "1",
        sort=param_choice(query, "sort", list(SORTS), default=DEFAULT_SORT),
        page_size=int(param_choice(query, "per_page", PAGE_SIZES, default=str(DEFAULT_PAGE_SIZE))),
    )


def party_numbers_kept(session: Mapping[str, object]) -> dict[str, str]:
    """The 身份证号 a session keeps by token (written by the list page's 按身份证号查找)."""
    kept = session.get(PARTY_SESSION_KEY)
    return dict(kept) if isinstance(kept, dict) else {}


def record_filters_of_request(request: Any, definition: RegisterDefinition) -> RecordFilters:
    """The filters a list page or one of its exports was asked for: the query string, with the tokens of
    the session's searched 身份证号 (the one place both read them)."""
    return record_filters_parse(request.user, definition, request.GET,
                                party_numbers=party_numbers_kept(request.session))


def _party_fields(definition: RegisterDefinition) -> list[str]:
    return [f.code for f in definition.fields if f.type == FieldType.PERSON]


def _with_party(queryset: QuerySet[Record], definition: RegisterDefinition, people: QuerySet[Person]) -> Q:
    """Records naming one of `people` in a person field: the payload holds the person's pk (a JSON number),
    compared as an integer against a subquery, the same SQL on SQLite and PostgreSQL."""
    condition = Q(pk__in=[])
    pks = people.values("pk")
    for code in _party_fields(definition):
        matching = queryset.model.objects.annotate(
            _party=Cast(KeyTextTransform(code, "payload"), IntegerField())).filter(_party__in=pks).values("pk")
        condition |= Q(pk__in=matching)
    return condition


def records_filtered(user: ActingUser, definition: RegisterDefinition, filters: RecordFilters, *,
                     today: dt.date | None = None) -> QuerySet[Record]:
    """The register's records in the user's jurisdiction that pass `filters`, in the order asked."""
    queryset = records_visible(user, register=definition.code)
    if filters.text:
        text = Q(external_id__icontains=filters.text)
        for field in definition.fields:
            if field.type == FieldType.TEXT:
                text |= Q(**{f"payload__{field.code}__icontains": filters.text})
        if _party_fields(definition):
            text |= _with_party(queryset, definition, Person.objects.filter(name__icontains=filters.text))
        queryset = queryset.filter(text)
    if filters.party:
        queryset = queryset.filter(_with_party(queryset, definition,
                                               Person.objects.filter(name__icontains=filters.party)))
    if filters.party_number:
        queryset = queryset.filter(_with_party(queryset, definition,
                                               Person.objects.filter(id_number=filters.party_number)))
    if filters.party_ids is not None:
        queryset = queryset.filter(_with_party(queryset, definition, Person.objects.filter(pk__in=filters.party_ids)))
    if filters.unit is not None:
        queryset = queryset.filter(org_unit__in=OrgUnitClosure.objects.filter(ancestor=filters.unit)
                                   .values("descendant_id"))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    for column, low, high in (("opened_on", filters.opened_from, filters.opened_to),
                              ("closed_on", filters.closed_from, filters.closed_to)):
        if low:
            queryset = queryset.filter(**{f"{column}__gte": low})
        if high:
            queryset = queryset.filter(**{f"{column}__lte": high})
    if filters.overdue:
        # The definition of overdue is clocks_overdue's: a running, unsuspended deadline past its date.
        overdue = RecordClock.objects.filter(kind=ClockKind.DEADLINE, stopped_on__isnull=True,
                                             suspended_on__isnull=True,
                                             due_on__lt=today or timezone.localdate())
        queryset = queryset.filter(pk__in=overdue.values("record_id"))
    return queryset.select_related("org_unit").order_by(*SORTS[filters.sort])


def record_filters_described(query: Mapping[str, str]) -> dict[str, str]:
    """The list's (validated) filter parameters as stored with an export and its audit row; a party searched
    by 身份证号 is recorded as such, its token (meaningless later) and number never."""
    described = {name: str(query.get(name)) for name in FILTER_PARAMS if query.get(name)}
    if described.pop("party_token", None):
        described["party_id_number"] = "（按身份证号查找）"
    return described


def party_ids_for(number: str) -> tuple[int, ...]:
    """The people registered with a 身份证号: what a background job is given instead of the number itself."""
    return tuple(Person.objects.filter(id_number=number).values_list("pk", flat=True)) if number else ()
