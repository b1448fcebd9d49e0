"""The tables an export writes, by kind (issue 13 item 4, issue 14 item 8): a register's filtered list, a
unit's indicator table, the records behind one term of a figure, a data set's completeness table and one
unit's data set values.

`export_table` reads the same query string the page was shown with, validated the same way (a coded 400
naming the parameter, a unit outside the jurisdiction a 404), through the same selectors as the page, so a
file holds exactly what the page shows. Rows come in chunks (a background job moves its progress after each);
rows of records show personal numbers masked unless the reader holds `personal_data.view` over the record's
unit (`selectors.export_rows`), and name the records shown in full for the audit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fazhi.core import access
from fazhi.core.access import ActingUser
from fazhi.core.models import OrgUnit
from fazhi.core.params import ParamError, param_choice, param_int, param_period
from fazhi.core.periods import Period
from fazhi.registers.listing import record_filters_described, record_filters_parse, records_filtered
from fazhi.registers.models import Record
from fazhi.registers.registry import UnknownRegister, register_definition

from .models import ExportKind

CHUNK = 1000  # records read per query of an export (memory stays flat, progress moves)

Revealed = list[tuple[Record, list[str]]]
Chunk = tuple[list[list[Any]], Revealed]


class UnknownSubject(LookupError):
    """No register, indicator or data set of that code (the view answers 404)."""


@dataclass
class ExportTable:
    kind: ExportKind
    subject: str  # the register, indicator or data set code ("indicators" for an indicator table)
    title: str  # the sheet's and the exports page's name
    headers: list[str]
    count: int
    unit: OrgUnit | None  # the unit the table is about (the audit row's unit)
    described: dict[str, str]  # the validated query as the exports page and the audit row show it
    chunks: Callable[[], Iterator[Chunk]]  # the rows, a chunk at a time, with the records shown in full


def _record_chunks(user: ActingUser, definition, ids: list[int], order: tuple[str, ...]
                   ) -> Callable[[], Iterator[Chunk]]:
    from .selectors import export_rows

    def chunks() -> Iterator[Chunk]:
        for start in range(0, len(ids), CHUNK):
            part = Record.objects.filter(pk__in=ids[start:start + CHUNK]).order_by(*order)
            yield export_rows(user, definition, records=part)
    return chunks


def _records_table(user: ActingUser, subject: str, query: Mapping[str, str], party_numbers: Mapping[str, str],
                   party_ids: list[int] | None) -> ExportTable:
    from fazhi.registers.listing import SORTS

    from .selectors import export_headers

    try:
        definition = register_definition(subject)
    except UnknownRegister:
        raise UnknownSubject(subject) from None
    filters = record_filters_parse(user, definition, query, party_numbers=party_numbers)
    if party_ids is not None:
        filters = dataclasses.replace(filters, party_ids=tuple(party_ids))
    ids = list(records_filtered(user, definition, filters).values_list("pk", flat=True))
    return ExportTable(ExportKind.RECORDS, definition.code, definition.name, export_headers(definition), len(ids),
                       filters.unit, record_filters_described(query),
                       _record_chunks(user, definition, ids, SORTS[filters.sort]))


def _static(rows: list[list[Any]]) -> Callable[[], Iterator[Chunk]]:
    def chunks() -> Iterator[Chunk]:
        yield rows, []
    return chunks


def _value(value: Decimal | None) -> Any:
    return "暂无数据" if value is None else value


def _indicators_table(user: ActingUser, query: Mapping[str, str]) -> ExportTable:
    from fazhi.indicators.selectors import (
        indicator_table,
        indicator_table_filters_parse,
        indicator_unit_period,
    )

    unit, period = indicator_unit_period(user, query)
    filters = indicator_table_filters_parse(query)
    rows = []
    for row in indicator_table(unit=unit, period=period, filters=filters):
        v = row.value
        rate = v.kind == "rate" and v.has_data
        has_yoy = row.yoy.percent is not None or row.yoy.points is not None
        rows.append([row.line, v.name, _value(row.shown), v.unit, v.numerator if rate else None,
                     v.denominator if rate else None, row.yoy.phrase if has_yoy else ""])
    described = {"unit": unit.name, "period": period.code,
                 **{k: str(query[k]) for k in ("line", "q", "has_data", "sort") if query.get(k)}}
    return ExportTable(ExportKind.INDICATORS, "indicators", f"指标·{unit.name}·{period.label}",
                       ["条线", "指标", "数值", "计量单位", "分子", "分母", "同比"], len(rows), unit, described,
                       _static(rows))


def _indicator_records_table(user: ActingUser, subject: str, query: Mapping[str, str]) -> ExportTable:
    from fazhi.indicators.drilldown import indicator_records
    from fazhi.indicators.registry import UnknownIndicator, indicator
    from fazhi.indicators.selectors import indicator_unit_period

    from .selectors import export_headers

    try:
        loaded = indicator(subject)
    except UnknownIndicator:
        raise UnknownSubject(subject) from None
    unit, period = indicator_unit_period(user, query)
    terms = indicator_records(user=user, loaded=loaded, unit=unit, period=period)
    if not terms:
        raise ParamError("term", "该指标由数据集数值计算，没有构成它的记录")
    index = param_int(query, "term", default=0, minimum=0, maximum=len(terms) - 1) or 0
    term = terms[index]
    definition = register_definition(term.term.source)
    return ExportTable(ExportKind.INDICATOR_RECORDS, loaded.definition.code,
                       f"{loaded.definition.name}·{term.role_name}·{term.words}", export_headers(definition),
                       len(term.ids), unit,
                       {"unit": unit.name, "period": period.code, "term": f"{term.role_name}·{term.words}"},
                       _record_chunks(user, definition, term.ids, ("opened_on", "pk")))


def _dataset_period(definition, query: Mapping[str, str]) -> Period:
    period = param_period(query, "period")
    if period is None or period.type != definition.period_type:
        raise ParamError("period", f"应为{definition.name}的报送期")
    return period


def _dataset_or_unknown(subject: str):
    from fazhi.datasets.registry import UnknownDataset, dataset_definition

    try:
        return dataset_definition(subject)
    except UnknownDataset:
        raise UnknownSubject(subject) from None


def _completeness_table(user: ActingUser, subject: str, query: Mapping[str, str]) -> ExportTable:
    from fazhi.datasets.selectors import completeness_filters_parse, completeness_rows, dataset_completeness

    definition = _dataset_or_unknown(subject)
    period = _dataset_period(definition, query)
    root_pk = param_int(query, "unit", minimum=1)
    tops = access.jurisdiction_roots(user)
    root = access.unit_get(user, root_pk) if root_pk else (tops[0] if tops else None)
    if root is None:
        raise access.UnitNotFound("没有可查看的单位")
    filters = completeness_filters_parse(query)
    result = dataset_completeness(user, dataset=definition.code, period=period, root=root)
    rows = [[r.unit.name, r.status_name + (" · 已锁定" if r.report and r.report.locked else ""), r.timeliness.label,
             r.submitted_on, r.required_filled, r.required_total, r.filled_percent]
            for r in completeness_rows(result, filters)]
    described = {"unit": root.name, "period": period.key,
                 **{k: str(query[k]) for k in ("timeliness", "status", "sort") if query.get(k)}}
    return ExportTable(ExportKind.COMPLETENESS, definition.code, f"{definition.name}报送情况·{period.label}",
                       ["单位", "状态", "及时性", "报送日期", "必填项已填", "必填项数", "填报比例（%）"], len(rows), root,
                       described, _static(rows))


def _dataset_values_table(user: ActingUser, subject: str, query: Mapping[str, str]) -> ExportTable:
    from fazhi.datasets.selectors import dataset_value_rows

    definition = _dataset_or_unknown(subject)
    period = _dataset_period(definition, query)
    unit_pk = param_int(query, "unit", minimum=1)
    if unit_pk is None:
        raise ParamError("unit", "请指定单位")
    unit = access.unit_get(user, unit_pk)
    if unit.kind not in definition.reporting_kinds:
        raise access.UnitNotFound("该单位不报送此数据集")
    rows = [list(r) for r in dataset_value_rows(user, dataset=definition.code, org_unit=unit, period=period)]
    return ExportTable(ExportKind.DATASET_VALUES, definition.code, f"{definition.name}·{unit.name}·{period.label}",
                       ["指标项", "分组", "项目", "数值"], len(rows), unit,
                       {"unit": unit.name, "period": period.key}, _static(rows))


def export_table(user: ActingUser, kind: str, subject: str, query: Mapping[str, str], *,
                 party_numbers: Mapping[str, str] | None = None, party_ids: list[int] | None = None) -> ExportTable:
    """The table of `kind` for `subject` as `query` asks, within the user's jurisdiction. UnknownSubject for a
    code that names nothing, ParamError for a malformed parameter, UnitNotFound (404) outside the jurisdiction."""
    chosen = param_choice({"kind": kind}, "kind", ExportKind.values)
    if chosen == ExportKind.RECORDS:
        return _records_table(user, subject, query, party_numbers or {}, party_ids)
    if chosen == ExportKind.INDICATORS:
        return _indicators_table(user, query)
    if chosen == ExportKind.INDICATOR_RECORDS:
        return _indicator_records_table(user, subject, query)
    if chosen == ExportKind.COMPLETENESS:
        return _completeness_table(user, subject, query)
    return _dataset_values_table(user, subject, query)
