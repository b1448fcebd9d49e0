"""Importing a file into a register: read, map, check every row, then write through the register services.

A batch is a dry run or a commit, all-or-nothing or keeping rejected rows (the user chooses). New records
go through `record_bulk_import` (same rules as one-by-one creation), changed ones through `record_update`
with a timeline note naming the batch; rows equal to the stored record are `unchanged`. Every raw row is
kept in the staging table with its status and reason, and one audit row records the batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Min, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from fazhi.core import access
from fazhi.core.audit import audit_event_write, audit_events_write_many
from fazhi.core.auditactions import AuditAction
from fazhi.core.errors import FazhiError
from fazhi.core.identity import (
    IdentityError,
    credit_code_mask,
    credit_code_normalize,
    id_number_mask,
    id_number_normalize,
)
from fazhi.core.models import Entity, OrgUnit, Person
from fazhi.registers.definitions import FieldType, RegisterDefinition, TransitionDef
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.listing import RecordFilters, party_ids_for
from fazhi.registers.models import Record
from fazhi.registers.payloads import field_value_clean
from fazhi.registers.registry import register_definition, register_definitions
from fazhi.registers.services import (
    ImportRow,
    ImportStep,
    RecordImportError,
    record_bulk_import,
    record_transition,
    record_update,
)

from .cells import (
    CONTROL,
    CellError,
    cell_text,
    choice_value,
    date_value,
    folded,
    identity_text,
    is_empty,
    masked,
    scalar_value,
)
from .columns import (
    CLOSED_ON,
    EXTERNAL_ID,
    OPENED_ON,
    ORG_UNIT,
    OUTCOME,
    STATUS,
    Layout,
    Target,
    header_index,
    layout_check,
    layout_find,
    own_score,
    register_targets,
    synonyms,
)
from .errors import ImportErrorCode, ImportFileError
from .models import (
    BatchMode,
    BatchState,
    BatchStatus,
    ExportFile,
    ExportStatus,
    ImportBatch,
    ImportMapping,
    RowStatus,
    StagedRow,
)
from .reading import Sheet, Uncomputed, workbook_read
from .tables import ExportTable, UnknownSubject, export_table

_HELD = object()  # a masked identity equal to the one the record holds: keep it


@dataclass
class RowError:
    row: int | None  # the spreadsheet's row number; None for the file as a whole
    column: str | None  # the header as the file spells it
    value: str
    code: str
    message: str


@dataclass
class ImportResult:
    batch: int
    register: str
    dry_run: bool
    mode: str
    committed: bool
    encoding: str = ""
    sheet: str = ""
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    unchanged: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0  # row errors beyond the first _ERRORS_KEPT (kept with their staged rows)
    ignored_columns: list[str] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    unit: str = ""  # the unit asked for the rows without a 承办单位 column
    headers: list[str] = field(default_factory=list)  # the file's (last) header row, for the rejected rows' file

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Row:
    number: int
    cells: list[Any]
    external_id: str = ""
    unit: OrgUnit | None = None
    opened_on: Any = None
    payload: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    status: str = ""
    record_id: int | None = None
    status_code: str | None = None  # the register status the file asks for (None: not given)
    outcome_code: str | None = None
    closed_on: dt.date | None = None
    steps: list = field(default_factory=list)


def _unit(row: _Row) -> OrgUnit:
    """The unit of a row that passed the checks (a row without one has an error and is rejected)."""
    assert row.unit is not None
    return row.unit


class _Rollback(Exception):
    pass


def _labelled(codes: dict[str, str]) -> dict[str, str]:
    """{folded code, label or synonym of a label: code} for statuses and outcomes."""
    keyed = {folded(code): code for code in codes}
    for code, label in codes.items():
        keyed.setdefault(folded(label), code)
        for alias in synonyms()["values"].get(label, []):
            keyed.setdefault(folded(alias), code)
    return keyed


def _path(definition: RegisterDefinition, start: str, goal: str) -> list[TransitionDef] | None:
    """The shortest sequence of transitions from status `start` to `goal` (ties: the definition's order), or
    None when the register's procedure cannot reach it. Steps that need a written reason (重新办理 …) are
    not taken: an import cannot give that reason."""
    if start == goal:
        return []
    frontier: list[tuple[str, list[TransitionDef]]] = [(start, [])]
    seen = {start}
    while frontier:
        following: list[tuple[str, list[TransitionDef]]] = []
        for status, path in frontier:
            for t in definition.transitions:
                if status in t.from_ and t.to not in seen and not t.note_required:
                    if t.to == goal:
                        return [*path, t]
                    seen.add(t.to)
                    following.append((t.to, [*path, t]))
        frontier = following
    return None


def _steps(definition: RegisterDefinition, row: _Row, start: str, opened_on: dt.date) -> list[ImportStep]:
    """The transitions that take a record from `start` to the row's status: a step into a final status is
    dated on the closing date, the others on the row's 受理日期; the outcome goes on the step that records
    one. Raises CellError when the procedure cannot reach the status or the outcome has no step."""
    assert row.status_code is not None  # asked only for rows that name a status
    path = _path(definition, start, row.status_code)
    if path is None:
        raise CellError(ImportErrorCode.STATE_UNREACHABLE,
                        f"状态“{definition.status_name(row.status_code)}”无法从“{definition.status_name(start)}”依流程到达")
    steps = []
    outcome_step = next((i for i in range(len(path) - 1, -1, -1) if path[i].outcomes), None)
    if row.outcome_code and outcome_step is None:
        raise CellError(ImportErrorCode.STATE_UNREACHABLE,
                        f"状态“{definition.status_name(row.status_code)}”不记录结果，不能填写结果")
    for i, t in enumerate(path):
        target = definition.status(t.to)
        on_date = row.closed_on if target is not None and target.final and row.closed_on else opened_on
        outcome = row.outcome_code if i == outcome_step else None
        steps.append(ImportStep(t.code, on_date, outcome=outcome))
    return steps


def _units_named(acting_user, text: str, pool) -> list[OrgUnit]:
    text = folded(text)
    if text.isdigit():
        return list(pool.filter(division_code=text))
    return list(pool.filter(name=text))


def unit_resolve(acting_user, text: str, *, pool=None) -> OrgUnit:
    """The unit a cell names by name or 行政区划代码, among the units the user may read; one answer for a
    missing and a forbidden unit; a name two units bear is refused naming both (with their parents)."""
    pool = pool if pool is not None else access.units_in_jurisdiction(acting_user)
    found = _units_named(acting_user, text, pool.select_related("parent"))
    if not found:
        raise CellError(ImportErrorCode.UNIT_UNKNOWN, f"没有单位“{folded(text)[:40]}”，或不在您的管辖范围内")
    if len(found) > 1:
        names = "、".join(f"{u.parent.name + '/' if u.parent else ''}{u.name}" for u in found[:5])
        raise CellError(ImportErrorCode.UNIT_AMBIGUOUS, f"“{folded(text)[:40]}”对应多个单位：{names}，请改用行政区划代码或全称")
    return found[0]


class _Reader:
    """Converts the cells of one file's rows, remembering its look-ups (units, people, entities)."""

    def __init__(self, acting_user, definition: RegisterDefinition, mapping: ImportMapping | None):
        self.user = acting_user
        self.definition = definition
        self.values = mapping.values if mapping else {}
        self.units: dict[str, OrgUnit | CellError] = {}
        self.unit_pool = access.units_in_jurisdiction(acting_user)
        self.name_pool = access.units_to_name(acting_user)

    def unit(self, text: str, *, pool=None) -> OrgUnit:
        key = f"{id(pool)}:{folded(text)}"
        if key not in self.units:
            try:
                self.units[key] = unit_resolve(self.user, text, pool=pool if pool is not None else self.unit_pool)
            except CellError as exc:
                self.units[key] = exc
        found = self.units[key]
        if isinstance(found, CellError):
            raise found
        return found

    def value(self, target: Target, raw: Any) -> Any:
        f = target.field
        assert f is not None
        if f.type == FieldType.DATE:
            return date_value(raw).isoformat()
        if f.type == FieldType.CHOICE:
            return choice_value(target, raw, self.values.get(f.code))
        if f.type == FieldType.PERSON:
            number = identity_text(raw, what="身份证号")
            if "*" in number:
                return _HELD, number
            try:
                number = id_number_normalize(number)
            except IdentityError as exc:
                raise CellError(ImportErrorCode.IDENTITY_INVALID, str(exc)) from None
            people = list(access.scope_queryset(self.user, Person.objects.filter(id_number=number))
                          .values_list("pk", flat=True)[:2])
            if len(people) != 1:
                raise CellError(ImportErrorCode.REFERENCE_UNKNOWN,
                                "该身份证号的人员未登记，或不在您的管辖范围内（导入不新建人员）" if not people
                                else "该身份证号对应多名已登记人员，请在系统中合并后再导入")
            return people[0]
        if f.type == FieldType.ENTITY:
            code = identity_text(raw, what="统一社会信用代码")
            if "*" in code:
                return _HELD, code
            try:
                code = credit_code_normalize(code)
            except IdentityError as exc:
                raise CellError(ImportErrorCode.IDENTITY_INVALID, str(exc)) from None
            entity = Entity.objects.filter(credit_code=code, org_unit__in=self.name_pool.values("pk")).first()
            if entity is None:
                raise CellError(ImportErrorCode.REFERENCE_UNKNOWN, "该统一社会信用代码的市场主体未登记，或不在您的管辖范围内")
            return entity.pk
        if f.type == FieldType.ORG_UNIT:
            return self.unit(cell_text(raw), pool=self.name_pool).pk
        if target.is_identity:
            what = "身份证号" if "身份证" in f.name else "统一社会信用代码"
            text = identity_text(raw, what=what)
            if "*" in text:
                return _HELD, text
            try:
                return id_number_normalize(text) if what == "身份证号" else credit_code_normalize(text)
            except IdentityError as exc:
                raise CellError(ImportErrorCode.IDENTITY_INVALID, str(exc)) from None
        if f.type == FieldType.TEXT:
            return cell_text(raw)
        return scalar_value(raw)

    def _state(self, row: _Row, given: dict[str, Any], fail) -> None:
        """The status, outcome and closing date a row asks for (None: the file says nothing of the status)."""
        d = self.definition
        raw = given.get(STATUS)
        if is_empty(raw):
            for key in (OUTCOME, CLOSED_ON):
                if not is_empty(given.get(key)):
                    fail(key, given[key], ImportErrorCode.VALUE_REQUIRED, "填写了结果或办结日期，须同时填写状态")
            return
        statuses = _labelled({s.code: s.name for s in d.statuses})
        row.status_code = statuses.get(folded(raw))
        if row.status_code is None:
            fail(STATUS, raw, ImportErrorCode.VALUE_INVALID, f"只能是：{'、'.join(s.name for s in d.statuses)}；收到“{folded(raw)[:40]}”")
            return
        if not is_empty(given.get(OUTCOME)):
            outcomes = _labelled({o.code: o.name for o in d.outcomes})
            row.outcome_code = outcomes.get(folded(given[OUTCOME]))
            if row.outcome_code is None:
                fail(OUTCOME, given[OUTCOME], ImportErrorCode.VALUE_INVALID,
                     f"只能是：{'、'.join(o.name for o in d.outcomes)}；收到“{folded(given[OUTCOME])[:40]}”")
        if not is_empty(given.get(CLOSED_ON)):
            try:
                row.closed_on = date_value(given[CLOSED_ON])
            except CellError as exc:
                fail(CLOSED_ON, given[CLOSED_ON], exc.code, exc.message)
        status = d.status(row.status_code)
        if status is not None and not status.final and row.closed_on is not None:
            fail(CLOSED_ON, given.get(CLOSED_ON), ImportErrorCode.VALUE_INVALID,
                 f"状态为“{status.name}”（未办结）时不能填写办结日期")
        if status is not None and status.final and row.closed_on is None and not row.errors:
            fail(CLOSED_ON, given.get(CLOSED_ON), ImportErrorCode.VALUE_REQUIRED,
                 f"状态为“{status.name}”时须填写办结日期")

    def row(self, number: int, cells: list[Any], layout: Layout, targets: dict[str, Target],
            default_unit: OrgUnit | None) -> _Row:
        row = _Row(number, cells)
        given = {key: cells[j] if j < len(cells) else None for j, key in layout.columns.items()}
        header = {key: layout.headers[j] for j, key in layout.columns.items()}

        def fail(key: str, raw: Any, code: ImportErrorCode | str, message: str) -> None:
            column = header.get(key, targets[key].name)
            shown = masked(targets[key], raw)
            row.errors.append(RowError(number, column, shown, str(code), f"第{number}行“{column}”列：{message}"))

        refused = {key for key, raw in given.items() if isinstance(raw, str) and CONTROL.search(raw)}
        for key in sorted(refused):
            text = str(given[key])  # a str: only strings are refused
            fail(key, CONTROL.sub("", text), ImportErrorCode.VALUE_INVALID, "含有不可见的控制字符，请删除后重新导入")
            given[key] = CONTROL.sub("", text)
        for key in sorted(k for k, raw in given.items() if isinstance(raw, Uncomputed) and k not in refused):
            fail(key, given[key], ImportErrorCode.FORMULA_UNCOMPUTED,
                 f"是公式（{str(given[key])[:40]}），但文件中没有它的计算结果（文件由程序生成、未经 Excel 重新计算保存）；"
                 "请在 Excel 中打开后保存，或把公式换成数值")
            refused.add(key)
        row.external_id = folded(cell_text(given.get(EXTERNAL_ID)))[:60]
        if not row.external_id:
            fail(EXTERNAL_ID, None, ImportErrorCode.VALUE_REQUIRED, "编号不能为空")
        if ORG_UNIT in refused:
            pass
        elif ORG_UNIT in given and not is_empty(given[ORG_UNIT]):
            try:
                row.unit = self.unit(cell_text(given[ORG_UNIT]))
            except CellError as exc:
                fail(ORG_UNIT, given[ORG_UNIT], exc.code, exc.message)
        elif default_unit is not None:
            row.unit = default_unit
        else:
            fail(ORG_UNIT, None, ImportErrorCode.VALUE_REQUIRED, "承办单位不能为空")
        if OPENED_ON in targets and OPENED_ON not in refused:
            raw = given.get(OPENED_ON)
            if is_empty(raw):
                fail(OPENED_ON, raw, ImportErrorCode.VALUE_REQUIRED, "受理日期不能为空")
            else:
                try:
                    row.opened_on = date_value(raw)
                except CellError as exc:
                    fail(OPENED_ON, raw, exc.code, exc.message)
        self._state(row, given, fail)
        for key, raw in given.items():
            target = targets[key]
            if target.field is None or key in refused:
                continue
            if is_empty(raw):
                if target.required:
                    fail(key, raw, ImportErrorCode.VALUE_REQUIRED, f"“{target.name}”不能为空")
                else:
                    row.payload[key] = None
                continue
            try:
                value = self.value(target, raw)
                if not isinstance(value, tuple):
                    value = field_value_clean(target.field, value)
                row.payload[key] = value
            except CellError as exc:
                fail(key, raw, exc.code, exc.message)
            except RecordError as exc:
                fail(key, raw, ImportErrorCode.VALUE_INVALID, exc.message)
        if row.opened_on is None and not row.errors:
            column = next((f for f in self.definition.fields if f.column == "opened_on"), None)
            if column is not None and row.payload.get(column.code):
                row.opened_on = dt.date.fromisoformat(row.payload[column.code])
        return row


def _sheet_choose(definition: RegisterDefinition, sheets: list[Sheet], index: dict[str, str]
                  ) -> tuple[Sheet, Layout] | None:
    best = None
    for sheet in sheets:
        layout = layout_find(sheet.head, index)
        if layout is not None and (best is None or len(layout.columns) > len(best[1].columns)):
            best = (sheet, layout)
    return best


def _other_register(definition: RegisterDefinition, sheets: list[Sheet]) -> RegisterDefinition | None:
    """The register whose headers the file names better than this one's, if any."""
    mine = max((own_score(definition, s.head) for s in sheets), default=0)
    best, best_score = None, mine
    for other in register_definitions():
        if other.code == definition.code:
            continue
        score = max((own_score(other, s.head) for s in sheets), default=0)
        if score > best_score:
            best, best_score = other, score
    return best


def _file_refused(result: ImportResult, exc: ImportFileError) -> ImportResult:
    result.errors.append(RowError(None, None, "", str(exc.code), exc.message))
    return result


def mapping_save(*, acting_user, register: str, name: str, columns: dict[str, str],
                 values: dict[str, dict[str, str]] | None = None) -> ImportMapping:
    """Save (or replace) an office's mapping of one source system's export onto a register (Perm
    import.mapping: every import of the register may reuse it)."""
    if not access.may_somewhere(acting_user, access.Perm.IMPORT_MAPPING):
        raise access.AccessDenied("无权保存导入映射（须为依法治区办或区级管理员）")
    definition = register_definition(register)
    keys = {t.key for t in register_targets(definition)}
    for header, key in columns.items():
        if key not in keys:
            raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, f"映射的列“{header}”对应的字段“{key}”不存在")
    for code, pairs in (values or {}).items():
        f = definition.field(code)
        if f is None or not f.choices:
            raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, f"映射的值所属字段“{code}”不存在或不是选项字段")
        for raw, choice in pairs.items():
            if choice not in f.choices:
                raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, f"“{f.name}”没有选项代码“{choice}”（{raw}）")
    with transaction.atomic():
        mapping, _ = ImportMapping.objects.update_or_create(
            register=register, name=name,
            defaults={"columns": columns, "values": values or {}, "created_by": access.recorded_actor(acting_user)})
        audit_event_write(actor=acting_user, action=AuditAction.IMPORT_MAPPING_SAVED, obj=mapping, diff={
            "columns": [None, columns], "values": [None, values or {}]})
    return mapping


IMPORT_CHUNK = 2000  # rows checked, staged and written at a time: an import holds one chunk in memory
_ERRORS_KEPT = 10000  # row errors an ImportResult lists (all are kept with their staged rows)


class _Progress:
    """A batch's progress in percent: checking the rows is the first half, writing them the second. Written
    to the batch row outside the import's transaction: directly while checking; while writing (one
    transaction, so that a killed import leaves all or nothing) through a second connection on PostgreSQL.
    SQLite has one writer at a time, so there the bar moves while checking and completes at the end."""

    def __init__(self, batch_pk: int, callback: Callable[[int], None] | None):
        self.batch_pk, self.callback, self.last = batch_pk, callback, -1
        self.side: Any = None

    def set(self, percent: int) -> None:
        percent = max(0, min(99, percent))
        if percent <= self.last:
            return
        self.last = percent
        if self.callback is not None:
            self.callback(percent)
        from django.db import DEFAULT_DB_ALIAS, connection, connections

        if not connection.in_atomic_block:
            ImportBatch.objects.filter(pk=self.batch_pk).update(progress=percent)
            return
        if connection.vendor != "postgresql":
            return
        try:
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '200ms'")
            with self.side.cursor() as cursor:
                cursor.execute(f"UPDATE {ImportBatch._meta.db_table} SET progress = %s WHERE id = %s",
                               [percent, self.batch_pk])
        except Exception:  # noqa: BLE001 - the progress is a courtesy: never fail an import for it
            self.close()

    def close(self) -> None:
        if self.side is not None:
            try:
                self.side.close()
            finally:
                self.side = None


def _content_digest(content: bytes | None, path: str | Path | None) -> str:
    digest = hashlib.sha256()
    if path is None:
        digest.update(content or b"")
        return digest.hexdigest()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_batch_create(*, acting_user, register: str, content: bytes | None, filename: str, unit: str | None = None,
                        mapping: str | None = None, mode: BatchMode | str = BatchMode.ALL_OR_NOTHING,
                        path: str | Path | None = None, state: BatchState = BatchState.RUNNING) -> ImportBatch:
    """The batch row of a run about to start (or queued, for a background job). It keeps the file (a dry run
    is committed from it) unless the file is read from `path` (the CLI: run again with the file)."""
    definition = register_definition(register)
    return ImportBatch.objects.create(
        register=definition.code, filename=filename[:255], sha256=_content_digest(content, path), mode=BatchMode(mode),
        status=BatchStatus.REFUSED, mapping=mapping or "", content=content if path is None else b"",
        summary={"unit": unit or ""}, state=state, progress=0, created_by=access.recorded_actor(acting_user))


def import_run(*, acting_user, register: str, content: bytes | None = None, filename: str, unit: str | None = None,
               mapping: str | None = None, dry_run: bool = False,
               mode: BatchMode | str = BatchMode.ALL_OR_NOTHING, path: str | Path | None = None,
               progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import one file into a register (or only check it, `dry_run`): see the module's docstring. The file is
    `content`, or read from `path` (streamed: neither the file nor its rows are held in memory whole).
    `progress(percent)` is told how far the run is, as the batch row is."""
    batch = import_batch_create(acting_user=acting_user, register=register, content=content, filename=filename,
                                unit=unit, mapping=mapping, mode=mode, path=path)
    return import_batch_run(acting_user=acting_user, batch=batch, dry_run=dry_run, path=path, progress=progress)


def import_batch_run(*, acting_user, batch: ImportBatch, dry_run: bool, path: str | Path | None = None,
                     progress: Callable[[int], None] | None = None) -> ImportResult:
    """Run a created batch: check its rows chunk by chunk into the staging table (the progress's first half),
    then write them in one transaction (the second half) that also records the batch's outcome and audit
    row, so an import killed while writing leaves the whole batch or none of it."""
    definition = register_definition(batch.register)
    mode = BatchMode(batch.mode)
    unit = str(batch.summary.get("unit") or "")
    result = ImportResult(batch.pk, definition.code, dry_run, mode.value, committed=False, unit=unit)
    tick = _Progress(batch.pk, progress)
    if batch.state != BatchState.RUNNING:
        ImportBatch.objects.filter(pk=batch.pk).update(state=BatchState.RUNNING, progress=0)
    try:
        try:
            failed = _rows_check(acting_user, definition, batch, unit, result, path=path, tick=tick)
        except ImportFileError as exc:
            StagedRow.objects.filter(batch=batch).delete()  # a file refused as a whole stages no row
            _file_refused(result, exc)
            with transaction.atomic(durable=True):
                _batch_finish(acting_user, batch, result, dry_run=dry_run, mode=mode)
            return result
        with transaction.atomic(durable=True):
            _rows_write(acting_user, definition, batch, dry_run=dry_run, mode=mode,
                        failed=failed and mode == BatchMode.ALL_OR_NOTHING, tick=tick)
            _batch_finish(acting_user, batch, result, dry_run=dry_run, mode=mode)
    finally:
        tick.close()
    if progress is not None:
        progress(100)
    return result


def import_enqueue(*, acting_user, register: str, content: bytes, filename: str, unit: str | None = None,
                   mapping: str | None = None, dry_run: bool = False,
                   mode: BatchMode | str = BatchMode.ALL_OR_NOTHING) -> ImportBatch:
    """Queue a large file's run (dry run or commit) as a background job (`import_build`, run by `fazhi
    serve`'s worker); the batch page shows its progress. The job gets the batch's id only."""
    from .tasks import import_build

    with transaction.atomic(durable=True):
        batch = import_batch_create(acting_user=acting_user, register=register, content=content, filename=filename,
                                    unit=unit, mapping=mapping, mode=mode, state=BatchState.QUEUED)
        batch.summary = {**batch.summary, "dry_run": dry_run}
        batch.save(update_fields=["summary"])
        # Queued once the batch row is committed, so the worker always finds it.
        transaction.on_commit(lambda: import_build.enqueue(batch_id=batch.pk, dry_run=dry_run))
    return batch


def import_batch_job(*, batch_id: int, dry_run: bool) -> None:
    """The background job's work: the queued batch run as its author; a failure is shown on its page."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    if batch.state != BatchState.QUEUED:
        return  # a job delivered twice runs once
    try:
        import_batch_run(acting_user=batch.created_by, batch=batch, dry_run=dry_run)
    except Exception:
        ImportBatch.objects.filter(pk=batch_id).update(state=BatchState.FAILED, error="导入失败，请稍后重试")
        raise


def _batch_finish(acting_user, batch: ImportBatch, result: ImportResult, *, dry_run: bool, mode: BatchMode) -> None:
    """The counts and errors from the staged rows, the batch's outcome, its audit row."""
    if mode == BatchMode.ALL_OR_NOTHING and StagedRow.objects.filter(batch=batch, status=RowStatus.REJECTED).exists():
        # One bad row refuses the batch: every other row is reported as not imported, naming its row.
        StagedRow.objects.filter(batch=batch).exclude(status=RowStatus.REJECTED).update(
            status=RowStatus.REJECTED, errors=[], data=None,
            reason=Concat(Value("第"), Cast("row_number", CharField()), Value("行无误，但本批有错误行，整批未导入")))
    counts = dict(StagedRow.objects.filter(batch=batch).values_list("status").annotate(n=Count("pk")).order_by())
    for status in (RowStatus.ACCEPTED, RowStatus.UPDATED, RowStatus.UNCHANGED, RowStatus.REJECTED):
        setattr(result, status.value, counts.get(status.value, 0))
    result.rows = sum(counts.values())
    omitted = 0
    for number, errors in (StagedRow.objects.filter(batch=batch, status=RowStatus.REJECTED).order_by("row_number")
                           .values_list("row_number", "errors").iterator(chunk_size=IMPORT_CHUNK)):
        found = [RowError(**e) for e in errors] or [RowError(number, None, "", ImportErrorCode.BATCH_REJECTED,
                                                             f"第{number}行无误，但本批有错误行，整批未导入")]
        room = max(0, _ERRORS_KEPT - len(result.errors))
        result.errors += found[:room]
        omitted += len(found) - len(found[:room])
    result.errors_omitted = omitted
    result.committed = not dry_run and not any(e.row is None for e in result.errors) and (
        mode == BatchMode.KEEP_REJECTED or result.rejected == 0)
    batch.status = BatchStatus.DRY_RUN if dry_run else (BatchStatus.COMMITTED if result.committed else BatchStatus.REFUSED)
    batch.encoding, batch.sheet = result.encoding, result.sheet
    batch.summary = {**result.as_json(), "errors": result.as_json()["errors"][:1000]}  # the page shows them
    batch.state, batch.progress = BatchState.DONE, 100
    batch.save(update_fields=["status", "encoding", "sheet", "summary", "state", "progress"])
    updated = [] if dry_run else list(StagedRow.objects.filter(batch=batch, status=RowStatus.UPDATED)
                                      .order_by("row_number").values_list("record_id", flat=True))
    audit_event_write(actor=acting_user, action=AuditAction.IMPORT_DRY_RUN if dry_run else AuditAction.IMPORT_COMMITTED, obj=batch, diff={
        "counts": {k: batch.summary[k] for k in ("rows", "accepted", "rejected", "unchanged", "updated")},
        "records_updated": updated,
        "committed": result.committed,
    })


class BatchError(FazhiError):
    """A batch that cannot be committed: it is not a dry run (code batch_not_dry_run)."""

    http_status = 409


def batch_commit(*, acting_user, batch: ImportBatch, mode: BatchMode | str | None = None) -> ImportResult:
    """Commit what a dry run checked: the same file, unit and mapping, in the mode the user chooses now (the
    dry run's when none). A new batch; the dry run stays as it was (committing it again changes nothing)."""
    if batch.status != BatchStatus.DRY_RUN:
        raise BatchError(ImportErrorCode.BATCH_NOT_DRY_RUN, f"导入批次 #{batch.pk} 不是试导入，不能再正式导入；请重新上传文件")
    return import_run(acting_user=acting_user, register=batch.register, content=bytes(batch.content),
                      filename=batch.filename, unit=batch.summary.get("unit") or None, mapping=batch.mapping or None,
                      mode=mode or batch.mode)


def _rows_check(acting_user, definition, batch: ImportBatch, unit: str, result: ImportResult, *,
                path: str | Path | None, tick: _Progress) -> bool:
    """Read, map and check every row into the staging table, chunk by chunk (each chunk committed, so the
    progress shows); returns whether any row was rejected."""
    mapping = None
    if batch.mapping:
        mapping = ImportMapping.objects.filter(register=definition.code, name=batch.mapping).first()
        if mapping is None:
            raise ImportFileError(ImportErrorCode.MAPPING_UNKNOWN, f"“{definition.name}”没有名为“{batch.mapping}”的导入映射")
    reader = _Reader(acting_user, definition, mapping)
    default_unit = None
    if unit:
        try:
            default_unit = reader.unit(unit)
        except CellError as exc:
            raise ImportFileError(exc.code, exc.message) from None
    book = workbook_read(None if path is not None else bytes(batch.content), batch.filename, path=path)
    result.encoding = book.encoding
    result.ignored_sheets = list(book.hidden)
    index = header_index(definition, mapping.columns if mapping else None)
    chosen = _sheet_choose(definition, book.sheets, index)
    other = _other_register(definition, book.sheets)
    if other is not None:
        raise ImportFileError(ImportErrorCode.WRONG_REGISTER,
                              f"该文件的表头属于“{other.name}”，不是“{definition.name}”：请确认导入到哪个登记簿")
    if chosen is None:
        hidden = f"；隐藏的工作表不导入（{'、'.join(book.hidden)[:80]}），如数据在其中，请取消隐藏后重新导入" if book.hidden else ""
        raise ImportFileError(ImportErrorCode.NO_DATA, f"文件中没有找到表头（可见工作表的前十行中没有本登记簿的列名）{hidden}")
    sheet, layout = chosen
    result.sheet = sheet.name
    result.ignored_sheets += [s.name for s in book.sheets if s is not sheet]
    result.ignored_columns = layout.ignored
    result.headers = [cell_text(c) for c in sheet.head[layout.first_row + layout.header_rows - 1]]
    layout_check(definition, layout, has_default_unit=default_unit is not None)
    targets = {t.key: t for t in register_targets(definition)}
    id_column = layout.headers[next(j for j, k in layout.columns.items() if k == EXTERNAL_ID)]
    start = layout.first_row + layout.header_rows
    rejected = False
    chunk: list[_Row] = []
    for i, cells in enumerate(sheet.rows_iter(), start=1):
        if i <= start or all(is_empty(c) for c in cells):
            continue  # the header, and empty rows (trailing ones above all): not data
        chunk.append(reader.row(i, cells, layout, targets, default_unit))
        if len(chunk) >= IMPORT_CHUNK:
            rejected |= _chunk_stage(batch, chunk, id_column)
            chunk = []
            tick.set(i * 50 // max(sheet.size, i + 1))
    if chunk:
        rejected |= _chunk_stage(batch, chunk, id_column)
    tick.set(50)
    return rejected


def _row_data(row: _Row) -> dict[str, Any]:
    """A checked row's converted values, JSON (the payload as pairs: its order is kept on PostgreSQL too)."""
    return {"unit": _unit(row).pk, "opened_on": row.opened_on.isoformat() if row.opened_on else None,
            "payload": [[k, v] for k, v in row.payload.items() if not isinstance(v, tuple)],
            "held": {k: v[1] for k, v in row.payload.items() if isinstance(v, tuple)},
            "status": row.status_code, "outcome": row.outcome_code,
            "closed_on": row.closed_on.isoformat() if row.closed_on else None}


def _chunk_stage(batch: ImportBatch, chunk: list[_Row], id_column: str) -> bool:
    """Stage one chunk of checked rows; an 编号 an earlier row of the file bears (in this chunk or staged
    before) is refused naming that row. Returns whether any row was rejected."""
    ids = {r.external_id for r in chunk if r.external_id}
    first: dict[str, int] = dict(
        StagedRow.objects.filter(batch=batch, external_id__in=ids).values("external_id")
        .annotate(first=Min("row_number")).order_by().values_list("external_id", "first"))
    for row in chunk:
        if row.external_id and not row.errors and row.external_id in first:
            row.errors.append(RowError(row.number, id_column, row.external_id, ImportErrorCode.DUPLICATE_IN_FILE,
                                       f"第{row.number}行“{id_column}”列：编号 {row.external_id} 与第{first[row.external_id]}行重复"))
        first.setdefault(row.external_id, row.number)
    StagedRow.objects.bulk_create([
        StagedRow(batch=batch, row_number=r.number, cells=[cell_text(c) for c in r.cells], external_id=r.external_id,
                  status=RowStatus.REJECTED if r.errors else RowStatus.PENDING,
                  reason="；".join(e.message for e in r.errors), errors=[asdict(e) for e in r.errors],
                  data=None if r.errors else _row_data(r))
        for r in chunk
    ], batch_size=IMPORT_CHUNK)
    return any(r.errors for r in chunk)


def _reject(row: _Row, code: str, message: str, column: str | None = None) -> None:
    row.errors.append(RowError(row.number, column, "", str(code), f"第{row.number}行：{message}"))
    row.status = RowStatus.REJECTED


def _pending_chunks(batch: ImportBatch, units: dict[int, OrgUnit]) -> Iterator[list[tuple[StagedRow, _Row]]]:
    """The checked rows still to write, a chunk at a time in row order (a fresh query each time)."""
    last = 0
    while True:
        staged = list(StagedRow.objects.filter(batch=batch, status=RowStatus.PENDING, row_number__gt=last)
                      .order_by("row_number").only("pk", "row_number", "external_id", "data")[:IMPORT_CHUNK])
        if not staged:
            return
        last = staged[-1].row_number
        datas: list[dict[str, Any]] = [s.data or {} for s in staged]
        wanted = {d["unit"] for d in datas if d["unit"] not in units}
        units.update(OrgUnit.objects.in_bulk(list(wanted)))
        rows = []
        for s, d in zip(staged, datas, strict=True):
            payload: dict[str, Any] = dict(d["payload"])
            payload.update({k: (_HELD, v) for k, v in d["held"].items()})
            rows.append((s, _Row(s.row_number, [], external_id=s.external_id, unit=units[d["unit"]],
                                 opened_on=dt.date.fromisoformat(d["opened_on"]) if d["opened_on"] else None,
                                 payload=payload, status_code=d["status"], outcome_code=d["outcome"],
                                 closed_on=dt.date.fromisoformat(d["closed_on"]) if d["closed_on"] else None)))
        yield rows


def _rows_write(acting_user, definition, batch: ImportBatch, *, dry_run: bool, mode: BatchMode, failed: bool,
                tick: _Progress) -> None:
    """Write the checked rows chunk by chunk (inside the caller's transaction). A dry run, and an
    all-or-nothing batch once a row is rejected, write each chunk in a savepoint rolled back after it (so
    every row is still checked exactly as it would be written); a commit keeps what it wrote unless the
    batch is refused, when all of it is rolled back."""
    total = StagedRow.objects.filter(batch=batch, status=RowStatus.PENDING).count()
    done = 0
    units: dict[int, OrgUnit] = {}
    chunks = _pending_chunks(batch, units)
    kept = not dry_run and not failed
    refusing: list[tuple[StagedRow, _Row]] = []
    if kept:
        try:
            with transaction.atomic():
                for chunk in chunks:
                    bad = _chunk_run(acting_user, definition, batch, [r for _, r in chunk], mode=mode, keep=True)
                    if bad and mode == BatchMode.ALL_OR_NOTHING:
                        refusing = chunk
                        raise _Rollback  # the whole batch is refused: nothing it wrote stays
                    _chunk_staged(chunk)
                    done += len(chunk)
                    tick.set(50 + done * 50 // max(total, 1))
        except _Rollback:
            _chunk_staged(refusing)
    for chunk in chunks:  # a dry run, or the rest of a refused batch: checked, then rolled back
        _chunk_run(acting_user, definition, batch, [r for _, r in chunk], mode=mode, keep=False)
        _chunk_staged(chunk)
        done += len(chunk)
        tick.set(50 + done * 50 // max(total, 1))


def _chunk_staged(chunk: list[tuple[StagedRow, _Row]]) -> None:
    """Record what became of a chunk's staged rows: one executemany (Django's bulk_update builds a CASE per
    column and row, which cost more than writing the records)."""
    from django.db import connection

    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    sql = (f"UPDATE {StagedRow._meta.db_table} SET status = %s, record_id = %s, data = NULL, errors = {json_param}, "
           "reason = %s WHERE id = %s")
    params = [(row.status or RowStatus.REJECTED, row.record_id, json.dumps([asdict(e) for e in row.errors], ensure_ascii=False),
               "；".join(e.message for e in row.errors), staged.pk) for staged, row in chunk]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _chunk_run(acting_user, definition, batch: ImportBatch, rows: list[_Row], *, mode: BatchMode, keep: bool) -> bool:
    """Write one chunk in a savepoint, rolled back unless `keep` (and, all or nothing, when a row was
    rejected). Returns whether any row was rejected."""
    existing: set[str] = set()
    bad = False
    try:
        with transaction.atomic():
            existing = _chunk_write(acting_user, definition, rows, batch, mode=mode)
            bad = any(r.status == RowStatus.REJECTED for r in rows)
            if not keep or (bad and mode == BatchMode.ALL_OR_NOTHING):
                raise _Rollback
    except _Rollback:
        for row in rows:
            if row.status in (RowStatus.ACCEPTED, RowStatus.REJECTED) and row.record_id and row.external_id not in existing:
                row.record_id = None  # rolled back: the record this row would create does not exist
    return bad


def _chunk_write(acting_user, definition, rows: list[_Row], batch: ImportBatch, *, mode: BatchMode) -> set[str]:
    """New rows through record_bulk_import, changed ones through record_update / record_transition; returns
    the 编号 that already had a record."""
    for row in rows:
        row.status = RowStatus.REJECTED if row.errors else ""
    good = [r for r in rows if not r.status]
    existing = {r.external_id: r for r in Record.objects.filter(
        register=definition.code, external_id__in=[r.external_id for r in good])}
    visible = set(access.scope_queryset(acting_user, Record.objects.filter(pk__in=[r.pk for r in existing.values()]))
                  .values_list("pk", flat=True))
    new, changed = [], []
    for row in good:
        record = existing.get(row.external_id)
        if record is None:
            row.payload = {k: v for k, v in row.payload.items() if v is not None and not isinstance(v, tuple)}
            row.steps = []
            if row.status_code:
                try:
                    row.steps = _steps(definition, row, definition.initial_status.code, row.opened_on)
                except CellError as exc:
                    _reject(row, exc.code, exc.message, column="状态")
                    continue
            new.append(row)
            continue
        if record.pk not in visible:
            _reject(row, RecordErrorCode.DUPLICATE_EXTERNAL_ID,
                    f"“{definition.name}”已有编号为 {row.external_id} 的记录")
            continue
        row.record_id = record.pk
        changes = {}
        for code, value in row.payload.items():
            if isinstance(value, tuple):  # a masked number: only the one the record holds is accepted
                held = _held_mask(definition, code, record.payload.get(code))
                if held != value[1]:
                    _reject(row, ImportErrorCode.IDENTITY_MASKED, "已脱敏的号码与记录中的不一致，无法导入；请填写完整号码")
                    break
                continue
            if record.payload.get(code) != value:
                changes[code] = value
        if row.status:
            continue
        if record.org_unit_id != _unit(row).pk or (row.opened_on and record.opened_on != row.opened_on):
            _reject(row, ImportErrorCode.UNIT_CHANGED, "承办单位或受理日期与已导入的记录不同；导入不修改这两项，请在系统中移交或更正")
            continue
        steps: list[ImportStep] = []
        if row.status_code:
            try:
                steps = _state_steps(definition, row, record)
            except CellError as exc:
                _reject(row, exc.code, exc.message, column="状态")
                continue
        if changes or steps:
            changed.append((row, record, changes, steps))
        else:
            row.status = RowStatus.UNCHANGED
    _new_write(acting_user, definition, new, mode)
    for row, record, changes, steps in changed:
        note = f"导入批次 #{batch.pk}（{batch.filename}）"
        try:
            with transaction.atomic():
                if changes:
                    record = record_update(acting_user=acting_user, record=record, changes=changes, note=note)
                for step in steps:
                    record = record_transition(acting_user=acting_user, record=record, transition=step.transition,
                                               on_date=step.on_date, outcome=step.outcome, note=note)
            row.status = RowStatus.UPDATED
        except (RecordError, access.AccessDenied) as exc:
            _reject(row, getattr(exc, "code", "access_denied"), str(exc))
    return set(existing)


def _state_steps(definition: RegisterDefinition, row: _Row, record: Record) -> list[ImportStep]:
    """The transitions that bring a stored record to the row's status. A record already in that status
    must agree on its outcome and closing date when the file gives them (changing them takes a reopening,
    whose reason an import cannot give). A step into a status that is not final, of which the file gives
    no date, is dated on the day of the import."""
    if record.status == row.status_code:
        if (row.outcome_code and row.outcome_code != record.outcome) or (
                row.closed_on and row.closed_on != record.closed_on):
            raise CellError(ImportErrorCode.STATE_UNREACHABLE,
                            "结果或办结日期与已导入的记录不同；导入不改变已办结记录的结果，请在系统中重新办理")
        return []
    return _steps(definition, row, record.status, max(record.opened_on, timezone.localdate()))


def _held_mask(definition: RegisterDefinition, code: str, pk: Any) -> str | None:
    f = definition.field(code)
    if f is None or pk is None:
        return None
    if f.type == FieldType.TEXT:
        return id_number_mask(pk) if "身份证" in f.name else credit_code_mask(pk)
    if f.type == FieldType.PERSON:
        person = Person.objects.filter(pk=pk).first()
        return id_number_mask(person.id_number) if person else None
    entity = Entity.objects.filter(pk=pk).first()
    return entity.masked_credit_code if entity else None


def _new_write(acting_user, definition: RegisterDefinition, new: list[_Row], mode: BatchMode) -> None:
    """Create the new rows' records; with keep_rejected, rows the register refuses are set aside and the
    rest written (the register's import itself is all or nothing)."""
    pending = list(new)
    while pending:
        batch_rows = [ImportRow(r.external_id, _unit(r), r.opened_on, r.payload, steps=r.steps) for r in pending]
        try:
            record_bulk_import(acting_user=acting_user, register=definition.code, rows=batch_rows)
        except RecordImportError as exc:
            for refused in exc.rejected:
                _reject(pending[refused.index], refused.code, refused.message)
            if mode == BatchMode.ALL_OR_NOTHING:
                return
            pending = [r for r in pending if r.status != RowStatus.REJECTED]
            continue
        ids = dict(Record.objects.filter(register=definition.code, external_id__in=[r.external_id for r in pending])
                   .values_list("external_id", "pk"))
        for row in pending:
            row.status, row.record_id = RowStatus.ACCEPTED, ids.get(row.external_id)
        return


def register_export(*, acting_user, register: str, fmt: str) -> bytes:
    """A register's list within the user's jurisdiction as .xlsx or .csv; it re-imports unchanged. Personal
    numbers are masked unless the user may see them, and an export showing any in full is audited
    (DESIGN.md §9: each view of personal data is recorded)."""
    from .selectors import export_headers, export_rows
    from .workbooks import rows_csv, rows_workbook

    definition = register_definition(register)
    rows, revealed = export_rows(acting_user, definition)
    headers = export_headers(definition)
    content = rows_csv(headers, rows) if fmt == "csv" else rows_workbook(definition.name, headers, rows)
    if revealed:
        # One personal-data view per record whose numbers the file shows in full, like a record's page.
        with transaction.atomic():
            audit_events_write_many(actor=acting_user, action=AuditAction.PERSONAL_DATA_VIEW, rows=[
                (record, record.org_unit, {"fields": fields, "via": f"export.{fmt}"}) for record, fields in revealed])
    return content


def batch_rejected_workbook(batch: ImportBatch) -> bytes:
    """The rejected rows of a batch as they were read, with a 原因 column: fixed and imported again."""
    from .selectors import batch_rejected_rows
    from .workbooks import rows_workbook

    rows = batch_rejected_rows(batch)
    headers = list(batch.summary.get("headers") or [])
    width = max([len(headers)] + [len(r.cells) for r in rows])
    headers = headers + [""] * (width - len(headers))
    return rows_workbook("未导入的行", [*headers, "原因"],
                         [[*r.cells, *([""] * (width - len(r.cells))), r.reason] for r in rows])


class ExportError(FazhiError):
    """An export refused as a whole (code export_too_large)."""


def _export_refuse_too_large(count: int) -> None:
    limit = settings.FAZHI_EXPORT_MAX_ROWS
    if count > limit:
        raise ExportError(ImportErrorCode.EXPORT_TOO_LARGE,
                          f"筛选结果超过 {limit} 条，无法一次导出；请缩小筛选范围（如按单位或日期）后再导出")


def _export_content(table: ExportTable, fmt: str, *, progress: Callable[[int], None] | None = None
                    ) -> tuple[bytes, list[tuple[Record, list[str]]]]:
    """The file of `table`, written chunk by chunk; `progress(percent)` after each chunk."""
    from .workbooks import rows_csv, rows_workbook

    revealed: list[tuple[Record, list[str]]] = []

    def rows() -> Iterator[list[Any]]:
        done = 0
        for chunk, shown in table.chunks():
            revealed.extend(shown)
            yield from chunk
            done += len(chunk)
            if progress is not None:
                progress(min(99, done * 100 // max(table.count, 1)))

    content = rows_csv(table.headers, rows()) if fmt == "csv" else rows_workbook(table.title, table.headers, rows())
    return content, revealed


def _export_audit(acting_user, export: ExportFile, unit: OrgUnit | None,
                  revealed: list[tuple[Record, list[str]]]) -> None:
    audit_event_write(actor=acting_user, action=AuditAction.EXPORT_CREATE, obj=export, org_unit=unit,
                      diff={"kind": export.kind, "register": export.register, "format": export.fmt,
                            "filters": export.filters, "rows": export.row_count,
                            "personal_data": "full" if revealed else "masked"})
    if revealed:
        audit_events_write_many(actor=acting_user, action=AuditAction.PERSONAL_DATA_VIEW, rows=[
            (record, record.org_unit, {"fields": fields, "via": f"export.{export.fmt}", "export": export.pk})
            for record, fields in revealed])


@transaction.atomic(durable=True)
def table_export(*, acting_user, table: ExportTable, fmt: str) -> ExportFile:
    """A table (`tables.export_table`: a filtered register list, an indicator table, the records behind a
    figure, a completeness table, a unit's data set values) as .xlsx or .csv, exactly the rows the page shows
    in its order, kept as an ExportFile. Personal numbers masked unless the user holds personal_data.view over
    the record's unit. One audit row `export.create` (what, which filters, how many rows, masked or not) and,
    as for a record's page, one `personal_data.view` row per record whose numbers the file shows in full."""
    _export_refuse_too_large(table.count)
    content, revealed = _export_content(table, fmt)
    export = ExportFile.objects.create(kind=table.kind, register=table.subject, title=table.title, fmt=fmt,
                                       filters=table.described, row_count=table.count, masked=not revealed,
                                       content=content, created_by=access.recorded_actor(acting_user))
    _export_audit(acting_user, export, table.unit, revealed)
    return export


@transaction.atomic(durable=True)
def table_export_enqueue(*, acting_user, table: ExportTable, fmt: str, query: dict[str, str],
                         party_ids: list[int] | None = None) -> ExportFile:
    """Queue the export of a large table as a background job (`export_build`, run by `fazhi serve`'s worker);
    the exports page shows its progress. The job gets the page's query and, for a party searched by
    身份证号, the people's ids, never the number (a job's arguments are stored in the queue's table)."""
    from .tasks import export_build

    _export_refuse_too_large(table.count)
    export = ExportFile.objects.create(kind=table.kind, register=table.subject, title=table.title, fmt=fmt,
                                       filters=table.described, status=ExportStatus.QUEUED, progress=0,
                                       created_by=access.recorded_actor(acting_user))
    job_query = {k: v for k, v in query.items() if k != "party_token"}
    # Queued once the export row is committed, so the worker always finds it.
    transaction.on_commit(lambda: export_build.enqueue(export_id=export.pk, query=job_query, party_ids=party_ids))
    return export


def export_party_ids(filters: RecordFilters) -> list[int] | None:
    """What a background job is given for a party searched by 身份证号: the people's ids (None: no such search)."""
    if filters.party_number:
        return list(party_ids_for(filters.party_number))
    return None if filters.party_ids is None else list(filters.party_ids)


def _export_progress(export_id: int, percent: int) -> None:
    ExportFile.objects.filter(pk=export_id).update(progress=percent)


def export_run(*, export_id: int, query: dict[str, str], party_ids: list[int] | None) -> None:
    """The background job's work: the same table, its query validated again as the author (whose
    jurisdiction may have changed since), the file written chunk by chunk with its progress, then kept and
    audited."""
    from django.http import Http404

    export = ExportFile.objects.select_related("created_by").get(pk=export_id)
    user = export.created_by
    ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=0)
    try:
        table = export_table(user, export.kind, export.register, query, party_ids=party_ids)
        content, revealed = _export_content(table, export.fmt,
                                            progress=lambda percent: _export_progress(export.pk, percent))
        with transaction.atomic(durable=True):
            ExportFile.objects.filter(pk=export.pk).update(content=content, row_count=table.count,
                                                           masked=not revealed, status=ExportStatus.DONE,
                                                           progress=100)
            export.refresh_from_db()
            _export_audit(user, export, table.unit, revealed)
    except FazhiError as exc:
        ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=exc.message)
    except (Http404, UnknownSubject):  # the unit or the subject is no longer the author's to read
        ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error="无权导出或内容已不存在")
    except Exception:
        ExportFile.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error="导出失败，请稍后重试")
        raise


@transaction.atomic(durable=True)
def exports_purge(*, acting_user, now: dt.datetime | None = None) -> int:
    """Remove the exports older than FAZHI_EXPORT_RETENTION_DAYS (their audit rows stay); one audit row."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FAZHI_EXPORT_RETENTION_DAYS)
    old = ExportFile.objects.filter(created_at__lt=cutoff)
    pks = list(old.values_list("pk", flat=True))
    if not pks:
        return 0
    old.delete()
    marker = ExportFile(pk=pks[-1])
    audit_event_write(actor=acting_user, action=AuditAction.EXPORT_PURGE, obj=marker,
                      diff={"removed": len(pks), "older_than_days": settings.FAZHI_EXPORT_RETENTION_DAYS})
    return len(pks)


# --- data sets: a unit's values for one period, from the data set's template ---------------------------

@dataclass
class DatasetImportResult:
    dataset: str
    unit: str
    period: str
    dry_run: bool
    committed: bool = False
    rows: int = 0  # rows with a value
    changed: int = 0  # cells whose stored value changed (0 on a dry run)
    errors: list[RowError] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _dataset_layout(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """(header row index, {header: column}) of a sheet holding the template's columns."""
    from .columns import header_normalize

    for r, cells in enumerate(sheet.rows[:10]):
        names = {header_normalize(c): j for j, c in enumerate(cells) if header_normalize(c)}
        if {"数据项代码", "数值"} <= set(names):
            return r, names
    return None


def dataset_import(*, acting_user, dataset: str, content: bytes, filename: str, unit: str, period: str,
                   dry_run: bool = False) -> DatasetImportResult:
    """Enter a unit's values of one period from a filled-in data set template (`dataset_template_workbook`):
    every row with a 数值 goes through `datasets.services.datavalues_save`, all or nothing, so the data set's
    rules hold as on its entry page (who may enter, a submitted or locked report, a closed year, breakdowns
    above their total). Empty 数值 cells change nothing. A dry run checks the cells and writes nothing."""
    from fazhi.core.periods import Period, PeriodError
    from fazhi.datasets.errors import DatasetError
    from fazhi.datasets.registry import dataset_definition
    from fazhi.datasets.services import CellErrors, datavalues_clean, datavalues_save

    definition = dataset_definition(dataset)
    result = DatasetImportResult(definition.code, unit, period, dry_run)

    def refuse(code: str, message: str) -> DatasetImportResult:
        result.errors.append(RowError(None, None, "", str(code), message))
        return result

    try:
        the_period = Period.parse(period)
    except PeriodError:
        return refuse(ImportErrorCode.VALUE_INVALID, f"期间“{period[:20]}”无效：写成 2024、2024Q1 或 2024-03")
    if the_period.type != definition.period_type:
        return refuse(ImportErrorCode.VALUE_INVALID, f"“{definition.name}”不按“{the_period.label}”这样的期间填报")
    try:
        org_unit = unit_resolve(acting_user, unit)
        book = workbook_read(content, filename)
    except CellError as exc:
        return refuse(exc.code, exc.message)
    except ImportFileError as exc:
        return refuse(exc.code, exc.message)
    found = next(((s, layout) for s in book.sheets if (layout := _dataset_layout(s)) is not None), None)
    if found is None:
        return refuse(ImportErrorCode.NO_DATA, "文件中没有找到数据集模板的表头（须有“数据项代码”“分类代码”“数值”列）")
    sheet, (header_row, columns) = found
    values: dict[tuple[str, Any], Any] = {}
    where: dict[tuple[str, str], int] = {}
    for i, cells in enumerate(sheet.rows[header_row + 1:], start=header_row + 2):
        def cell(name: str, cells=cells) -> Any:
            j = columns.get(name)
            return cells[j] if j is not None and j < len(cells) else None

        raw = cell("数值")
        if is_empty(raw):
            continue
        result.rows += 1
        code, key = folded(cell_text(cell("数据项代码"))), folded(cell_text(cell("分类代码")))
        if isinstance(raw, Uncomputed):
            result.errors.append(RowError(i, "数值", str(raw)[:40], ImportErrorCode.FORMULA_UNCOMPUTED,
                                          f"第{i}行“数值”列：是公式，但文件中没有它的计算结果；请在 Excel 中打开后保存"))
            continue
        values[(code, key)] = folded(raw).replace(",", "") if isinstance(raw, str) else raw
        where.setdefault((code, key), i)

    def row_error(exc: DatasetError) -> RowError:
        from fazhi.datasets.cells import disaggregation_key

        try:
            key = disaggregation_key(exc.disaggregation or "")
        except Exception:  # an unknown option: its key as written
            key = exc.disaggregation or ""
        row = where.get((exc.element or "", key)) or where.get((exc.element or "", exc.disaggregation or ""))
        prefix = f"第{row}行“数值”列：" if row else ""
        return RowError(row, "数值" if row else None, "", str(exc.code), prefix + exc.message)

    try:
        if dry_run:
            datavalues_clean(definition, values)
            access.require(acting_user, access.Perm.DATASET_ENTER, org_unit, definition=definition,
                           action=f"填报{definition.name}")
        elif values and not result.errors:  # all or nothing: a refused row saves no other
            from fazhi.datasets.models import DataValue

            stored = dict(((e, k), v) for e, k, v in DataValue.objects.filter(
                dataset=definition.code, org_unit=org_unit, period_type=the_period.type,
                period_start=the_period.start).values_list("element", "disaggregation", "value"))
            datavalues_save(acting_user=acting_user, dataset=definition.code, org_unit=org_unit,
                            period_start=the_period.start, values=values)
            after = dict(((e, k), v) for e, k, v in DataValue.objects.filter(
                dataset=definition.code, org_unit=org_unit, period_type=the_period.type,
                period_start=the_period.start).values_list("element", "disaggregation", "value"))
            result.changed = sum(1 for c in set(stored) | set(after) if stored.get(c) != after.get(c))
    except CellErrors as exc:
        result.errors += [row_error(e) for e in exc.errors]
    except DatasetError as exc:
        result.errors.append(row_error(exc))
    except access.AccessDenied as exc:
        result.errors.append(RowError(None, None, "", str(exc.code), exc.message))
    result.committed = not dry_run and not result.errors
    return result
