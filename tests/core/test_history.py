"""History tables are append-only (triggers) and hash-chained: tampering is refused or reported.

Every test runs on the database of the run (SQLite by default, PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from fazhi.core.audit import audit_event_write
from fazhi.core.auditactions import AuditAction
from fazhi.core.history import (
    ChainProblem,
    history_backfill,
    history_models,
    history_tables,
    history_verify,
    row_hash,
    triggers_drop,
    triggers_install,
    triggers_problems,
)
from fazhi.core.models import AuditEvent, HistoryChain, HistoryImmutableError
from fazhi.indicators.models import IndicatorSnapshot, SnapshotValue
from fazhi.registers.models import RecordEvent
from fazhi.reports.models import (
    AnnualReport,
    ReportApproval,
    ReportRun,
    ReportVersion,
    SectionAssignment,
    SectionEvent,
)

POSTGRES = connection.vendor == "postgresql"


def _snapshot(unit, note="测试") -> IndicatorSnapshot:
    return IndicatorSnapshot.objects.create(org_unit=unit, period_code="2024", period_start=dt.date(2024, 1, 1),
                                            period_end=dt.date(2024, 12, 31), note=note)


def _rows(model, personas, mediation) -> list:
    """Three rows of the table, written through its ordinary ORM path (which is the chain writer)."""
    unit = personas.district
    if model is AuditEvent:
        return [audit_event_write(actor=personas.district_admin, action=AuditAction.ORGUNIT_UPDATE, obj=unit, org_unit=unit,
                                  diff={"n": [i, i + 1], "ratio": 0.5, "whole": 2.0}) for i in range(3)]
    if model is RecordEvent:
        mediation(personas.town, dt.date(2024, 3, 1), outcome="success", closed=dt.date(2024, 3, 5))
        mediation(personas.town, dt.date(2024, 4, 1))
        return list(RecordEvent.objects.order_by("pk"))[-3:]
    if model is IndicatorSnapshot:
        return [_snapshot(unit, note=f"第{i}次") for i in range(3)]
    if model is SnapshotValue:
        snapshot = _snapshot(unit)
        return [SnapshotValue.objects.create(
            snapshot=snapshot, code=f"c{i}", name="化解率", unit="%", kind="ratio", value=Decimal("97.5") + i,
            exact=Decimal("97.123456789012345"), numerator=Decimal(39), denominator=Decimal(40), version="1")
            for i in range(3)]
    report = AnnualReport.objects.create(org_unit=unit, year=2024)
    if model is ReportRun:
        snapshot = _snapshot(unit)
        return [ReportRun.objects.create(report=report, snapshot=snapshot, definition_code="annual",
                                         definition_version=1, text=f"正文{i}", html="<p></p>", text_sha256="0" * 64,
                                         docx_sha256="1" * 64, figures=i, gate={"passed": True, "n": i})
                for i in range(3)]
    if model in (ReportApproval, ReportVersion):
        snapshot = _snapshot(unit)
        run = ReportRun.objects.create(report=report, snapshot=snapshot, definition_code="annual", definition_version=1,
                                       text="正文", html="<p></p>", text_sha256="0" * 64, docx_sha256="1" * 64,
                                       figures=1, gate={"passed": True})
        approvals = [ReportApproval.objects.create(report=report, run=run, snapshot=snapshot,
                                                   approved_by=personas.leader, note=f"同意{i}") for i in range(3)]
        if model is ReportApproval:
            return approvals
        return [ReportVersion.objects.create(report=report, number=i + 1, run=run, approval=approvals[i],
                                             text=f"正文{i}", html="<p></p>", docx=b"PK\x03\x04" + bytes([i]),
                                             docx_sha256="2" * 64, changes=[{"code": "c", "old": "1", "new": str(i)}],
                                             reason=f"理由{i}") for i in range(3)]
    assignment = SectionAssignment.objects.create(report=report, section="disputes", org_unit=personas.town,
                                                  deadline=dt.date(2025, 3, 1))
    return [SectionEvent.objects.create(assignment=assignment, kind="commented", comment=f"意见{i}",
                                        actor=personas.district_admin) for i in range(3)]


# a column to tamper with, and a new value for it, per table
TAMPER = {
    AuditEvent: ("action", "'tampered'"),
    RecordEvent: ("note", "'tampered'"),
    IndicatorSnapshot: ("note", "'tampered'"),
    SnapshotValue: ("value", "value + 1"),
    ReportRun: ("text", "'tampered'"),
    ReportApproval: ("note", "'tampered'"),
    ReportVersion: ("reason", "'tampered'"),
    SectionEvent: ("comment", "'tampered'"),
}
MODELS = list(TAMPER)


def _ids(models):
    return [m._meta.db_table for m in models]


def _sql(statement, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _tampering(model, change):
    """Do `change` with the table's triggers dropped (as an attacker with DDL rights would), then put
    them back, so the verify that follows sees only what the change did to the chain."""
    triggers_drop(connection, [model._meta.db_table])
    change()
    triggers_install(connection, [model._meta.db_table])


def _break(model, problem):
    reports = {r.table: r for r in history_verify()}
    found = [b for b in reports[model._meta.db_table].breaks if b.problem == problem]
    assert found, reports[model._meta.db_table].breaks
    return found[0]


# columns a copy must change to pass the table's unique constraints
UNIQUE = {RecordEvent: {"seq": 99}, SnapshotValue: {"code": "forged"}, ReportVersion: {"number": 99}}


def _forgery(model, pk: int):
    """A copy of a row, as a model instance with the unique columns changed."""
    row = model.objects.get(pk=pk)
    for name, value in UNIQUE.get(model, {}).items():
        setattr(row, name, value)
    return row


def _forge_copy(model, source_pk: int, **overrides) -> int:
    """Insert a copy of a row with raw SQL (bypassing the writer); returns the new row's id."""
    overrides = {**UNIQUE.get(model, {}), **overrides}
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE id = %s", [source_pk])
        values = dict(zip(columns, cursor.fetchone(), strict=True))
        values.update(overrides)
        cursor.execute(f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(['%s'] * len(values))})",
                       list(values.values()))
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        return cursor.fetchone()[0]


def test_every_history_table_is_covered():
    assert set(history_models()) == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_rows_are_chained_and_verify(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    heads = HistoryChain.objects.get(table_name=model._meta.db_table)
    stored = list(model.objects.order_by("pk"))
    assert [r.chain_seq for r in stored] == list(range(1, len(stored) + 1))
    assert heads.last_seq == len(stored) and heads.last_hash == stored[-1].hash and heads.last_id == stored[-1].pk
    assert rows[-1].hash == stored[-1].hash  # the hash computed before the insert is the one read back
    assert all(r.breaks == [] for r in history_verify())


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_changed_row_is_reported(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    column, value = TAMPER[model]
    _tampering(model, lambda: _sql(f"UPDATE {model._meta.db_table} SET {column} = {value} WHERE id = %s",
                                   [rows[1].pk]))
    broken = _break(model, ChainProblem.CONTENT_CHANGED)
    assert broken.row_id == rows[1].pk


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_changed_row_with_its_hash_recomputed_is_reported(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    column, value = TAMPER[model]

    def change():
        _sql(f"UPDATE {model._meta.db_table} SET {column} = {value} WHERE id = %s", [rows[1].pk])
        changed = model.objects.get(pk=rows[1].pk)
        _sql(f"UPDATE {model._meta.db_table} SET hash = %s WHERE id = %s",
             [row_hash(rows[0].hash, changed), rows[1].pk])

    _tampering(model, change)
    assert _break(model, ChainProblem.CONTENT_CHANGED).row_id == rows[2].pk  # its successor no longer follows


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_deleted_row_is_reported(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    _tampering(model, lambda: _sql(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [rows[1].pk]))
    assert _break(model, ChainProblem.ROW_DELETED).row_id == rows[2].pk


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_deleted_last_row_is_reported(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    _tampering(model, lambda: _sql(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [rows[-1].pk]))
    assert _break(model, ChainProblem.ROW_DELETED).row_id == rows[-1].pk


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_emptied_table_is_reported(personas, mediation, model):
    _rows(model, personas, mediation)
    _tampering(model, lambda: _sql(f"DELETE FROM {model._meta.db_table}"))
    _break(model, ChainProblem.ROW_DELETED)


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_row_inserted_past_the_head_is_reported(personas, mediation, model):
    """A forger who computes a valid next link still cannot move the head without the writer."""
    rows = _rows(model, personas, mediation)
    last = model.objects.get(pk=rows[-1].pk)
    forged = _forgery(model, rows[-1].pk)
    forged.chain_seq = last.chain_seq + 1
    forged_id = _forge_copy(model, last.pk, chain_seq=forged.chain_seq, hash=row_hash(last.hash, forged))
    broken = _break(model, ChainProblem.ROW_INSERTED)
    assert broken.row_id == forged_id


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_row_inserted_with_a_copied_position_is_reported(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    forged_id = _forge_copy(model, rows[0].pk)  # same chain_seq and hash as an earlier row
    HistoryChain.objects.filter(table_name=model._meta.db_table).update(last_id=forged_id)
    assert _break(model, ChainProblem.ROW_INSERTED).row_id == forged_id


@pytest.mark.parametrize("model", [m for m in MODELS if m.history_time_field], ids=_ids(
    [m for m in MODELS if m.history_time_field]))
def test_back_dated_row_is_reported(personas, mediation, model):
    """A forger who chains the row correctly and moves the head too is still caught by its timestamp."""
    rows = _rows(model, personas, mediation)
    last = model.objects.get(pk=rows[-1].pk)
    forged = _forgery(model, rows[-1].pk)
    forged.chain_seq = last.chain_seq + 1
    time_field = model.history_time_field
    setattr(forged, time_field, getattr(last, time_field) - dt.timedelta(days=30))
    forged.hash = row_hash(last.hash, forged)
    column = model._meta.get_field(time_field).column
    forged_id = _forge_copy(model, last.pk, chain_seq=forged.chain_seq, hash=forged.hash,
                            **{column: getattr(forged, time_field) if POSTGRES
                               else getattr(forged, time_field).replace(tzinfo=None).isoformat(" ")})
    HistoryChain.objects.filter(table_name=model._meta.db_table).update(
        last_seq=forged.chain_seq, last_id=forged_id, last_hash=forged.hash)
    assert _break(model, ChainProblem.BACK_DATED).row_id == forged_id


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_dropped_or_disabled_trigger_is_reported(personas, mediation, model):
    _rows(model, personas, mediation)
    table = model._meta.db_table
    triggers_drop(connection, [table])
    broken = _break(model, ChainProblem.TRIGGER_MISSING)
    assert "缺失" in broken.detail
    triggers_install(connection, [table])
    if POSTGRES:
        _sql("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred foreign-key check
        _sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        assert "停用" in _break(model, ChainProblem.TRIGGER_MISSING).detail
        _sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    assert not triggers_problems(connection, history_tables())


@pytest.mark.skipif(not POSTGRES, reason="trigger functions are PostgreSQL's")
def test_altered_trigger_function_is_reported(personas):
    _sql("CREATE OR REPLACE FUNCTION fazhi_history_refuse() RETURNS trigger LANGUAGE plpgsql "
         "AS $$ BEGIN RETURN NULL; END $$")
    assert _break(AuditEvent, ChainProblem.TRIGGER_MISSING)
    triggers_install(connection, history_tables())
    assert not triggers_problems(connection, history_tables())


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
def test_orm_refuses_changes(personas, mediation, model):
    rows = _rows(model, personas, mediation)
    row = model.objects.get(pk=rows[0].pk)
    column, _ = TAMPER[model]
    with pytest.raises(HistoryImmutableError):
        row.save()
    with pytest.raises(HistoryImmutableError):
        row.delete()
    with pytest.raises(HistoryImmutableError):
        model.objects.filter(pk=row.pk).update(**{column: None})
    with pytest.raises(HistoryImmutableError):
        model.objects.all().delete()
    with pytest.raises(HistoryImmutableError):
        model.objects.bulk_update([row], [column])
    assert all(r.breaks == [] for r in history_verify())


@pytest.mark.parametrize("model", MODELS, ids=_ids(MODELS))
@pytest.mark.parametrize("statement", ["UPDATE {t} SET chain_seq = chain_seq", "UPDATE {t} SET hash = ''",
                                       "DELETE FROM {t}", "DELETE FROM {t} WHERE id = {id}", "TRUNCATE {t}"])
def test_raw_sql_is_refused(personas, mediation, model, statement):
    if statement.startswith("TRUNCATE") and not POSTGRES:
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is covered)")
    rows = _rows(model, personas, mediation)
    count = model.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql(statement.format(t=model._meta.db_table, id=rows[0].pk))
    assert model.objects.count() == count
    assert all(r.breaks == [] for r in history_verify())


def test_chain_heads_cannot_be_removed_or_moved_back(personas):
    audit_event_write(actor=None, action=AuditAction.ORGUNIT_UPDATE, obj=personas.town, diff={})
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("DELETE FROM core_historychain")
    with pytest.raises(DatabaseError), transaction.atomic():
        _sql("UPDATE core_historychain SET last_seq = 0")
    if POSTGRES:
        with pytest.raises(DatabaseError), transaction.atomic():
            _sql("TRUNCATE core_historychain")
    assert HistoryChain.objects.get(table_name="core_auditevent").last_seq > 0


def test_flush_is_refused_unless_allowed(personas, settings):
    audit_event_write(actor=None, action=AuditAction.ORGUNIT_UPDATE, obj=personas.town, diff={})
    count = AuditEvent.objects.count()
    settings.FAZHI_HISTORY_FLUSH_ALLOWED = False
    with pytest.raises(CommandError), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == count


def test_backfill_chains_rows_written_before_the_chain(personas, mediation):
    """What the migrations do for existing rows: rows without a chain get one, verify then passes."""
    _rows(AuditEvent, personas, mediation)
    tables = history_tables()
    triggers_drop(connection, tables)
    _sql("UPDATE core_auditevent SET chain_seq = 0, hash = ''")
    _sql("DELETE FROM core_historychain WHERE table_name = 'core_auditevent'")
    triggers_install(connection, tables)
    assert _break(AuditEvent, ChainProblem.HEAD_MISSING)  # rows with no chain position and no head
    triggers_drop(connection, tables)
    history_backfill(AuditEvent, HistoryChain, using=connection.alias)
    triggers_install(connection, tables)
    assert all(r.breaks == [] for r in history_verify())
    head = HistoryChain.objects.get(table_name="core_auditevent")
    assert head.backfilled == head.last_seq == AuditEvent.objects.count()


def test_record_delete_keeps_the_timeline(personas, mediation):
    from fazhi.registers.services import record_delete

    record = mediation(personas.town, dt.date(2024, 3, 1))
    events = RecordEvent.objects.filter(record_id=record.pk).count()
    record_delete(acting_user=personas.superuser, record=record, reason="录入错误")
    assert RecordEvent.objects.filter(record_id=record.pk).count() == events > 0
    assert all(r.breaks == [] for r in history_verify())
    assert "已删除" in str(RecordEvent.objects.filter(record_id=record.pk).first())


def test_audit_verify_command(personas, mediation, capsys):
    rows = _rows(SectionEvent, personas, mediation)
    call_command("audit", "verify")
    assert "历史记录校验通过" in capsys.readouterr().out
    _tampering(SectionEvent, lambda: _sql("DELETE FROM reports_sectionevent WHERE id = %s", [rows[0].pk]))
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert "reports_sectionevent" in out and ChainProblem.ROW_DELETED in out and f"id {rows[1].pk}" in out
    call_command("audit", "verify", "--table", "core.auditevent")  # the other tables are intact
    with pytest.raises(CommandError) as unknown:
        call_command("audit", "verify", "--table", "nope")
    assert unknown.value.returncode == 2


@pytest.mark.skipif(not POSTGRES, reason="SQLite serialises writers; the lock matters on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_do_not_fork_the_chain():
    from django.db import connections

    from fazhi.core.models import OrgUnit

    unit = OrgUnit.objects.create(name="并发区", kind="district")
    before = AuditEvent.objects.count()
    start = threading.Barrier(8)
    errors = []

    def writer(n):
        try:
            start.wait()
            for i in range(25):
                with transaction.atomic():
                    audit_event_write(actor=None, action=AuditAction.ORGUNIT_UPDATE, obj=unit, diff={"i": i})
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + 200
    seqs = list(AuditEvent.objects.order_by("pk").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(r.breaks == [] for r in history_verify())
