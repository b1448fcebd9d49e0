"""Tamper-evident history tables: the one chain writer, the protective triggers, and verification.

Every history table (a model that extends ``HistoryRow``) is append-only twice over:

* database triggers refuse UPDATE and DELETE (row- and statement-level, and TRUNCATE on PostgreSQL),
  whatever the code path, raw SQL included;
* each row carries ``chain_seq`` (1, 2, 3 … per table) and ``hash`` = SHA-256 over its predecessor's
  hash and the canonical JSON of its content, so a row changed, removed or slipped in with the
  triggers dropped breaks the chain, and ``fazhi audit verify`` names the first broken link.

``history_append`` is the only writer: it locks the table's ``HistoryChain`` head row, sets the
row's timestamp (never earlier than its predecessor's), computes the chain in Python for the whole
batch and bulk-inserts it, then moves the head, all in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.apps import apps
from django.db import connections, models, router, transaction
from django.utils import timezone

from .models import HistoryChain, HistoryRow

if TYPE_CHECKING:
    from django.apps import AppConfig
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.backends.base.schema import BaseDatabaseSchemaEditor
    from django.db.backends.utils import CursorWrapper
    from django.db.migrations import RunPython
    from django.db.migrations.state import StateApps

# A concrete field of any value type: content fields are read generically, by attname.
AnyField: TypeAlias = "models.Field[Any, Any]"
_H = TypeVar("_H", bound=HistoryRow)

GENESIS = "0" * 64
_UTC = dt.UTC

# Decimals are hashed (and stored) with at most 15 significant digits: SQLite keeps a decimal column
# as a double, which preserves 15 digits exactly, so the value read back is the value hashed.
_DECIMAL_DIGITS = 15


# ------------------------------------------------------------------------------------------ content

def history_models() -> list[type[HistoryRow]]:
    """Every history table, in a stable order."""
    found = [m for m in apps.get_models() if issubclass(m, HistoryRow)]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _content_fields(model: type[models.Model]) -> list[AnyField]:
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in ("hash", "chain_seq")]


def _decimal_normal(value: Any, places: int) -> decimal.Decimal:
    ctx = decimal.Context(prec=_DECIMAL_DIGITS, rounding=decimal.ROUND_HALF_UP)
    wide = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
    d = value if isinstance(value, decimal.Decimal) else decimal.Decimal(str(value))
    exponent = decimal.Decimal(1).scaleb(-places)
    d = d.quantize(exponent, context=wide)
    return ctx.plus(d).quantize(exponent, context=wide)


def _datetime_normal(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        value = timezone.make_aware(value, _UTC)
    return value.astimezone(_UTC)


def _json_normal(value: Any) -> Any:
    """What a JSON column gives back: integral floats read back as integers from PostgreSQL's jsonb."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _json_normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_normal(v) for v in value]
    return value


def _field_normal(f: AnyField, value: Any) -> Any:
    """The value as the database stores it (set on the row before it is written)."""
    if value is None:
        return None
    if isinstance(f, models.DecimalField):
        return _decimal_normal(value, f.decimal_places)
    if isinstance(f, models.DateTimeField):
        return _datetime_normal(value)
    return value


def _canonical_value(f: AnyField, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(f, models.BinaryField):  # a stored file (PostgreSQL gives back a memoryview)
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(f, models.JSONField):
        return _json_normal(json.loads(json.dumps(value, cls=f.encoder)))
    if isinstance(f, models.DecimalField):
        return format(_decimal_normal(value, f.decimal_places), "f")
    if isinstance(f, models.DateTimeField):
        return _datetime_normal(value).isoformat(timespec="microseconds")
    if isinstance(f, dt.date | dt.time) or isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def _content(table: str, fields: list[AnyField], values: dict[str, Any]) -> str:
    body: dict[str, Any] = {"table": table, "seq": values["chain_seq"]}
    for f in fields:
        body[f.attname] = _canonical_value(f, values[f.attname])
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _hash(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def row_content(row: HistoryRow) -> str:
    """The canonical JSON of a row: its table, chain position and every content field (not its id)."""
    fields = _content_fields(type(row))
    values = {f.attname: getattr(row, f.attname) for f in fields}
    return _content(row._meta.db_table, fields, {**values, "chain_seq": row.chain_seq})


def row_hash(previous: str, row: HistoryRow) -> str:
    return _hash(previous, row_content(row))


# ------------------------------------------------------------------------------------------- writer

def _heads_locked(models_: list[type[HistoryRow]], using: str) -> dict[str, HistoryChain]:
    """The chain heads of these tables, locked in one statement; the audit table's last, as every writer
    that appends to it and to another table (a timeline event, then its audit row) has always locked them."""
    tables = [m._meta.db_table for m in models_]
    heads = HistoryChain.objects.using(using)

    def locked() -> dict[str, HistoryChain]:
        ordered = sorted(tables, key=lambda t: (t == _AUDIT_TABLE, t))
        order = models.Case(*(models.When(table_name=t, then=models.Value(i)) for i, t in enumerate(ordered)),
                            output_field=models.IntegerField())
        return {h.table_name: h for h in heads.select_for_update().filter(table_name__in=tables).order_by(order)}

    found = locked()
    if len(found) < len(tables):
        # The first row ever (or after a test flush): concurrent writers both try; one row wins.
        heads.bulk_create([HistoryChain(table_name=t) for t in tables if t not in found], ignore_conflicts=True)
        found = locked()
    return found


_AUDIT_TABLE = "core_auditevent"


def history_append(model: type[_H], rows: list[_H], *, using: str | None = None,
                   batch_size: int | None = None) -> list[_H]:
    """Chain and insert new rows of one history table, inside the caller's transaction."""
    history_append_many([(model, rows)], using=using, batch_size=batch_size)
    return rows


def history_append_many(batches: list[tuple[type[HistoryRow], list[Any]]], *, using: str | None = None,
                        batch_size: int | None = None) -> None:
    """Chain and insert new rows of several history tables (e.g. a timeline event and its audit row) in the
    caller's transaction: their heads are locked in one statement and moved in one statement. No savepoint
    of its own: a failure here fails the caller's write as a whole."""
    batches = [(model, rows) for model, rows in batches if rows]
    if not batches:
        return
    if len({model for model, _ in batches}) < len(batches):
        raise ValueError("one batch per history table")
    using = using or router.db_for_write(batches[0][0])
    with transaction.atomic(using=using, savepoint=False):
        heads = _heads_locked([model for model, _ in batches], using)
        now = timezone.now()
        moved: list[tuple[HistoryChain, int, str, int | None, dt.datetime | None]] = []
        for model, rows in batches:
            head = heads[model._meta.db_table]
            time_field = model.history_time_field
            fields = _content_fields(model)
            at = head.last_at if head.last_at is not None and now < head.last_at else now  # the chain's time never goes back
            previous, seq = head.last_hash or GENESIS, head.last_seq
            for row in rows:
                if row.pk is not None:
                    raise ValueError("history rows get their id from the database")
                if time_field:
                    setattr(row, time_field, at)
                for f in fields:
                    setattr(row, f.attname, _field_normal(f, getattr(row, f.attname)))
                seq += 1
                row.chain_seq = seq
                row.hash = previous = row_hash(previous, row)
            if len(rows) == 1:
                rows[0].save_base(using=using, force_insert=True)
            else:
                models.QuerySet.bulk_create(model._base_manager.using(using), rows, batch_size=batch_size or 2000)
            last_id = rows[-1].pk
            if last_id is None:  # a database that cannot return ids from a bulk insert
                last_id = model._base_manager.using(using).order_by("-pk").values_list("pk", flat=True).first()
            moved.append((head, seq, previous, last_id, at if time_field else head.last_at))
        chains = HistoryChain.objects.using(using)
        if len(moved) == 1:
            head, seq, previous, last_id, last_at = moved[0]
            chains.filter(pk=head.pk).update(last_seq=seq, last_hash=previous, last_id=last_id, last_at=last_at)
            return

        def each(i: int, output: models.Field[Any, Any]) -> models.Case:
            return models.Case(*(models.When(pk=m[0].pk, then=models.Value(m[i], output_field=output)) for m in moved),
                               output_field=output)

        chains.filter(pk__in=[m[0].pk for m in moved]).update(
            last_seq=each(1, models.PositiveBigIntegerField()), last_hash=each(2, models.CharField()),
            last_id=each(3, models.BigIntegerField()), last_at=each(4, models.DateTimeField()))


def history_backfill(model: type[HistoryRow], chain_model: type[HistoryChain], *, using: str) -> None:
    """Chain the rows a table held before it was chained (used by the migrations that add the chain).

    ``model`` and ``chain_model`` are a migration's historical models (typed as the real ones, whose
    fields they have). Only ``chain_seq`` and ``hash``
    are written, from the values as stored, so this runs before the triggers are installed; the head
    records how many rows were chained this way (verify does not check their timestamps' order)."""
    previous, seq, last_id, last_at = GENESIS, 0, None, None
    table = model._base_manager.using(using)
    time_field = next((f.attname for f in _content_fields(model) if f.attname in ("at", "created_at")), None)
    db_table = model._meta.db_table
    updates: list[tuple[int, str, int]] = []
    with connections[using].cursor() as cursor:
        for row in table.order_by("pk").iterator(chunk_size=2000):
            seq += 1
            row.chain_seq = seq
            row.hash = previous = row_hash(previous, row)
            updates.append((seq, row.hash, row.pk))
            last_id = row.pk
            if time_field:
                last_at = max(filter(None, [last_at, getattr(row, time_field)]))
            if len(updates) == 2000:
                cursor.executemany(f"UPDATE {db_table} SET chain_seq = %s, hash = %s WHERE id = %s", updates)
                updates = []
        if updates:
            cursor.executemany(f"UPDATE {db_table} SET chain_seq = %s, hash = %s WHERE id = %s", updates)
    chain_model.objects.using(using).update_or_create(
        table_name=model._meta.db_table,
        defaults={"last_seq": seq, "last_id": last_id, "last_hash": previous if seq else "", "last_at": last_at,
                  "backfilled": seq})


# ------------------------------------------------------------------------------------------ triggers

_REFUSE_FUNCTION = "fazhi_history_refuse"
_REFUSE_BODY = ("BEGIN RAISE EXCEPTION 'history is append-only: % refused on %', TG_OP, TG_TABLE_NAME "
                "USING ERRCODE = 'insufficient_privilege'; END")
_FORWARD_FUNCTION = "fazhi_history_head_forward"
_FORWARD_BODY = ("BEGIN IF NEW.last_seq < OLD.last_seq OR NEW.table_name <> OLD.table_name THEN "
                 "RAISE EXCEPTION 'history chain heads only move forward' USING ERRCODE = 'insufficient_privilege'; "
                 "END IF; RETURN NEW; END")
_HEAD_TABLE = "core_historychain"

# pg_trigger.tgtype bits: 1 row-level, 2 before, 8 delete, 16 update, 32 truncate.
_PG_ROW, _PG_BEFORE, _PG_DELETE, _PG_UPDATE, _PG_TRUNCATE = 1, 2, 8, 16, 32


@dataclass(frozen=True)
class TriggerSpec:
    table: str
    name: str
    sql: str  # the CREATE TRIGGER statement
    pg_type: int = 0  # the expected tgtype on PostgreSQL
    pg_function: str = ""


def _sqlite_specs(table: str) -> list[TriggerSpec]:
    if table == _HEAD_TABLE:
        return [
            TriggerSpec(table, f"{table}_no_delete", f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                        "BEGIN SELECT RAISE(ABORT, 'history chain heads cannot be removed'); END"),
            TriggerSpec(table, f"{table}_forward_only", f"CREATE TRIGGER {table}_forward_only BEFORE UPDATE ON {table} "
                        "WHEN NEW.last_seq < OLD.last_seq OR NEW.table_name <> OLD.table_name "
                        "BEGIN SELECT RAISE(ABORT, 'history chain heads only move forward'); END"),
        ]
    return [
        TriggerSpec(table, f"{table}_history_no_{op.lower()}",
                    f"CREATE TRIGGER {table}_history_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'history is append-only: {op} refused on {table}'); END")
        for op in ("UPDATE", "DELETE")
    ]


def _postgres_specs(table: str) -> list[TriggerSpec]:
    if table == _HEAD_TABLE:
        return [
            TriggerSpec(table, f"{table}_forward_only",
                        f"CREATE OR REPLACE TRIGGER {table}_forward_only BEFORE UPDATE ON {table} "
                        f"FOR EACH ROW EXECUTE FUNCTION {_FORWARD_FUNCTION}()",
                        _PG_ROW | _PG_BEFORE | _PG_UPDATE, _FORWARD_FUNCTION),
            TriggerSpec(table, f"{table}_refuse_statement",
                        f"CREATE OR REPLACE TRIGGER {table}_refuse_statement BEFORE DELETE OR TRUNCATE ON {table} "
                        f"FOR EACH STATEMENT EXECUTE FUNCTION {_REFUSE_FUNCTION}()",
                        _PG_BEFORE | _PG_DELETE | _PG_TRUNCATE, _REFUSE_FUNCTION),
        ]
    return [
        TriggerSpec(table, f"{table}_history_refuse_row",
                    f"CREATE OR REPLACE TRIGGER {table}_history_refuse_row BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {_REFUSE_FUNCTION}()",
                    _PG_ROW | _PG_BEFORE | _PG_UPDATE | _PG_DELETE, _REFUSE_FUNCTION),
        # Statement-level as well: it also refuses TRUNCATE, which row triggers never see.
        TriggerSpec(table, f"{table}_history_refuse_statement",
                    f"CREATE OR REPLACE TRIGGER {table}_history_refuse_statement BEFORE UPDATE OR DELETE OR TRUNCATE "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_REFUSE_FUNCTION}()",
                    _PG_BEFORE | _PG_UPDATE | _PG_DELETE | _PG_TRUNCATE, _REFUSE_FUNCTION),
    ]


def trigger_specs(vendor: str, tables: list[str]) -> list[TriggerSpec]:
    build = {"sqlite": _sqlite_specs, "postgresql": _postgres_specs}.get(vendor)
    return [spec for table in tables for spec in build(table)] if build else []


def history_tables() -> list[str]:
    """The protected tables: every history table and the chain heads."""
    return [m._meta.db_table for m in history_models()] + [_HEAD_TABLE]


def _pg_functions_install(cursor: CursorWrapper) -> None:
    cursor.execute(f"CREATE OR REPLACE FUNCTION {_REFUSE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
                   f"AS $$ {_REFUSE_BODY} $$")
    cursor.execute(f"CREATE OR REPLACE FUNCTION {_FORWARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
                   f"AS $$ {_FORWARD_BODY} $$")


def triggers_install(connection: BaseDatabaseWrapper, tables: list[str]) -> None:
    """(Re)create the protective triggers of the given tables; idempotent."""
    specs = trigger_specs(connection.vendor, tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _pg_functions_install(cursor)
        for spec in specs:
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {spec.name}")
            cursor.execute(spec.sql)


def triggers_drop(connection: BaseDatabaseWrapper, tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for spec in trigger_specs(connection.vendor, tables):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {spec.name} ON {spec.table}")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {spec.name}")


def _collapse(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split()).rstrip(";")


def triggers_problems(connection: BaseDatabaseWrapper, tables: list[str]) -> dict[str, list[str]]:
    """{table: [what is wrong]} for protective triggers that are missing, disabled or altered."""
    problems: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
            present = {name: sql for name, sql in cursor.fetchall()}
            for spec in trigger_specs("sqlite", tables):
                if spec.name not in present:
                    problems.setdefault(spec.table, []).append(f"触发器 {spec.name} 缺失")
                elif _collapse(present[spec.name]) != _collapse(spec.sql):
                    problems.setdefault(spec.table, []).append(f"触发器 {spec.name} 已被改动")
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname, t.tgtype, t.tgenabled, p.proname FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND c.relname = ANY(%s)", [tables])
            present = {(table, name): (tgtype, enabled, func) for table, name, tgtype, enabled, func in cursor.fetchall()}
            cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname IN (%s, %s)",
                           [_REFUSE_FUNCTION, _FORWARD_FUNCTION])
            bodies = {name: " ".join(src.split()) for name, src in cursor.fetchall()}
            expected_bodies = {_REFUSE_FUNCTION: _REFUSE_BODY, _FORWARD_FUNCTION: _FORWARD_BODY}
            for spec in trigger_specs("postgresql", tables):
                found = present.get((spec.table, spec.name))
                if found is None:
                    problems.setdefault(spec.table, []).append(f"触发器 {spec.name} 缺失")
                    continue
                tgtype, enabled, func = found
                if enabled == "D":
                    problems.setdefault(spec.table, []).append(f"触发器 {spec.name} 已被停用")
                if tgtype != spec.pg_type or func != spec.pg_function:
                    problems.setdefault(spec.table, []).append(f"触发器 {spec.name} 已被改动")
                elif bodies.get(func) != " ".join(expected_bodies[func].split()):
                    problems.setdefault(spec.table, []).append(f"触发器函数 {func} 缺失或已被改动")
    return problems


@contextmanager
def history_protection_lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Drop the triggers for the length of one transaction, then put them back (the test flush only)."""
    tables = history_tables()
    with transaction.atomic(using=connection.alias):
        triggers_drop(connection, tables)
        yield
        triggers_install(connection, tables)


def triggers_ensure(sender: AppConfig | None = None, using: str = "default", **kwargs: object) -> None:
    """post_migrate: a table rebuilt by a later migration (SQLite rebuilds tables to alter them) loses
    its triggers; put back every one that is missing."""
    connection = connections[using]
    tables = [t for t in history_tables() if t in connection.introspection.table_names()]
    if triggers_problems(connection, tables):
        triggers_install(connection, tables)


# ------------------------------------------------------------------------------------------- verify

class ChainProblem:
    CONTENT_CHANGED = "content_changed"  # the row's content no longer gives its hash
    ROW_DELETED = "row_deleted"  # rows are missing before this one, or at the end of the chain
    ROW_INSERTED = "row_inserted"  # a row the writer did not write (bad position, or past the head)
    BACK_DATED = "back_dated"  # a timestamp older than the predecessor's
    HEAD_MISSING = "head_missing"  # rows without a chain head
    TRIGGER_MISSING = "trigger_missing"  # a protective trigger is missing, disabled or altered


@dataclass
class ChainBreak:
    table: str
    problem: str
    row_id: int | None
    detail: str

    def __str__(self) -> str:
        where = f"（id {self.row_id}）" if self.row_id is not None else ""
        return f"{self.table}{where}：{self.detail} [{self.problem}]"


@dataclass
class ChainReport:
    table: str
    rows: int = 0
    head: str = ""
    breaks: list[ChainBreak] = field(default_factory=list)


class _Row:
    """One row as verify reads it (values, not a model instance: verify walks every row)."""

    def __init__(self, table: str, fields: list[AnyField], values: dict[str, Any]) -> None:
        self.table, self.fields, self.values = table, fields, values
        self.pk, self.chain_seq, self.hash = values["pk"], values["chain_seq"], values["hash"]

    def hash_after(self, previous: str) -> str:
        return _hash(previous, _content(self.table, self.fields, self.values))


def _walk(model: type[HistoryRow], head: HistoryChain | None, using: str) -> tuple[int, str, ChainBreak | None]:
    table = model._meta.db_table
    time_field = model.history_time_field
    previous, expected, previous_at, count = GENESIS, 1, None, 0
    fields = _content_fields(model)
    names = ["pk", "chain_seq", "hash", *(f.attname for f in fields)]
    rows = (_Row(table, fields, v) for v in
            model._base_manager.using(using).order_by("pk").values(*names).iterator(chunk_size=2000))
    row = next(rows, None)
    while row is not None:
        following = next(rows, None)
        count += 1
        seq = row.chain_seq
        if head is None:
            return count, previous, ChainBreak(table, ChainProblem.HEAD_MISSING, row.pk, "表中有行但链头缺失（链头被删除，或行未经写入程序写入）")
        if seq > head.last_seq or (head.last_id is not None and row.pk > head.last_id):
            return count, previous, ChainBreak(table, ChainProblem.ROW_INSERTED, row.pk,
                                               f"链序号 {seq} 在链头（{head.last_seq}）之后：未经写入程序插入的行")
        if seq > expected:
            return count, previous, ChainBreak(table, ChainProblem.ROW_DELETED, row.pk,
                                               f"链序号 {seq}，应为 {expected}：其前 {seq - expected} 行已被删除")
        if seq < expected:
            return count, previous, ChainBreak(table, ChainProblem.ROW_INSERTED, row.pk,
                                               f"链序号 {seq} 重复或倒退（应为 {expected}）：未经写入程序插入的行")
        if row.hash_after(previous) != row.hash:
            if following is not None and following.chain_seq == seq and following.hash_after(previous) == following.hash:
                return count, previous, ChainBreak(table, ChainProblem.ROW_INSERTED, row.pk,
                                                   f"冒用链序号 {seq} 插入的行（其后一行与前一行相接）")
            return count, previous, ChainBreak(table, ChainProblem.CONTENT_CHANGED, row.pk,
                                               f"链序号 {seq} 的内容与其哈希不符：本行已被改动")
        if time_field:
            at = row.values[time_field]
            if previous_at is not None and at < previous_at and seq > head.backfilled:
                return count, previous, ChainBreak(table, ChainProblem.BACK_DATED, row.pk,
                                                   f"时间 {at.isoformat()} 早于前一行的 {previous_at.isoformat()}：倒签的行")
            previous_at = at
        previous, expected = row.hash, expected + 1
        row = following
    if head is not None and head.last_seq > expected - 1:
        missing = head.last_seq - (expected - 1)
        return count, previous, ChainBreak(table, ChainProblem.ROW_DELETED, head.last_id,
                                           f"链头为第 {head.last_seq} 行，表中只到第 {expected - 1} 行：末尾 {missing} 行已被删除")
    if head is not None and head.last_seq and head.last_hash != previous:
        return count, previous, ChainBreak(table, ChainProblem.CONTENT_CHANGED, head.last_id,
                                           "末行哈希与链头记录的不符：末行已被改动")
    return count, previous, None


def history_verify(*, tables: list[str] | None = None, using: str = "default") -> list[ChainReport]:
    """Walk each chain (and check its triggers); one report per table, with its first broken link."""
    connection = connections[using]
    chosen = [m for m in history_models() if tables is None or m._meta.db_table in tables]
    heads = {h.table_name: h for h in HistoryChain.objects.using(using).all()}
    trigger_trouble = triggers_problems(connection, [m._meta.db_table for m in chosen] + [_HEAD_TABLE])
    reports = []
    for model in chosen:
        table = model._meta.db_table
        report = ChainReport(table)
        for detail in trigger_trouble.get(table, []):
            report.breaks.append(ChainBreak(table, ChainProblem.TRIGGER_MISSING, None, detail))
        report.rows, report.head, broken = _walk(model, heads.get(table), using)
        if broken is not None:
            report.breaks.append(broken)
        reports.append(report)
    head_trouble = trigger_trouble.get(_HEAD_TABLE, [])
    if head_trouble:
        report = ChainReport(_HEAD_TABLE)
        report.breaks = [ChainBreak(_HEAD_TABLE, ChainProblem.TRIGGER_MISSING, None, d) for d in head_trouble]
        reports.append(report)
    return reports


# --------------------------------------------------------------------------------------- migrations

def chain_migration_steps(app_label: str, model_names: list[str], *, old: dict[str, list[str]] | None = None,
                          restore: dict[str, list[str]] | None = None) -> tuple[RunPython, RunPython]:
    """The two RunPython steps of a migration that chains history tables: the first drops the
    triggers an older migration created (``old``, per vendor; ``restore`` puts them back on the way
    down), the second, after the new columns exist, chains the rows already there and installs the
    triggers."""
    from django.db import migrations

    def sql_step(statements: dict[str, list[str]] | None) -> Callable[[StateApps, BaseDatabaseSchemaEditor], None]:
        def run(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
            for sql in (statements or {}).get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)
        return run

    def tables(apps: StateApps) -> list[str]:
        names = [apps.get_model(app_label, name)._meta.db_table for name in model_names]
        return names + ([_HEAD_TABLE] if app_label == "core" else [])

    def chain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        connection = schema_editor.connection
        heads = apps.get_model("core", "HistoryChain")
        for name in model_names:
            history_backfill(apps.get_model(app_label, name), heads, using=connection.alias)
        triggers_install(connection, tables(apps))

    def unchain(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        connection = schema_editor.connection
        triggers_drop(connection, tables(apps))
        mine = [apps.get_model(app_label, name)._meta.db_table for name in model_names]
        if app_label != "core":
            triggers_drop(connection, [_HEAD_TABLE])
        apps.get_model("core", "HistoryChain").objects.using(connection.alias).filter(table_name__in=mine).delete()
        if app_label != "core":
            triggers_install(connection, [_HEAD_TABLE])

    return (migrations.RunPython(sql_step(old), sql_step(restore)),
            migrations.RunPython(chain, unchain))
