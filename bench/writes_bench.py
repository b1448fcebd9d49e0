"""Record writes through the web path against hand-written SQL of the same rows (issue 17, scope 4).

    DATABASE_URL=… python -m bench.writes_bench --out /tmp/bench/writes-sqlite.json [--n 200]

On the database of DATABASE_URL (migrated here; bench/run.py gives a fresh one): a district tree
(`bench/seed.py`, `orgunit_create`) and a 人民调解员 holding the mediator role at one town (`user_create`).
Three kinds of create, interleaved, `--n` each after 10 warm-up rounds:

- **web**: `record_register(acting_user=<the mediator>, …)` — the call the 登记 page (`web:record_new`)
  makes after its form is valid, with its access checks; the user is read again before each create
  (untimed), as every request reads request.user, so nothing cached on the user object carries over;
- **system**: `record_create(acting_user=None, …)` — the row earlier benchmarks measured (no access check);
- **sql**: hand-written SQL writing the same rows in one transaction (`transaction.atomic()` = BEGIN …
  COMMIT): the record (`INSERT … RETURNING id`), its rollup row (`INSERT … ON CONFLICT DO UPDATE`), its
  statutory clock, its timeline event and its audit row, each of those two chained as the history tables
  require (both chain heads locked in one `SELECT … FOR UPDATE`, a SHA-256 per row, both heads moved in
  one `UPDATE`).

After the runs the rows each kind wrote are counted per table: the run stops if `sql` wrote different
rows from `web`. Statements per create are counted with `connection.execute_wrapper` (every statement
Django sends, savepoints included); on PostgreSQL the round trips are those plus the `BEGIN` and `COMMIT`
psycopg sends itself (not seen by the wrapper).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import statistics
import sys
import time
from collections import Counter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from bench import seed  # noqa: E402
from fazhi.core.models import OrgUnit, Role  # noqa: E402
from fazhi.core.services import user_create  # noqa: E402
from fazhi.registers.services import record_create, record_register  # noqa: E402

REGISTER = "people_mediation"
PAYLOAD = {"organization_type": "village", "dispute_type": "neighbourhood", "summary": "相邻通行纠纷"}
OPENED = dt.date(2025, 6, 2)
TABLES = ["registers_record", "registers_recordrollup", "registers_recordclock", "registers_recordevent",
          "core_auditevent", "core_historychain"]


def log(message: str) -> None:
    print(f"[writes {connection.vendor}] {message}", file=sys.stderr, flush=True)


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            out[table] = cursor.fetchone()[0]
        return out


def _digest(previous: str, row: dict) -> str:
    return hashlib.sha256((previous + json.dumps(row, sort_keys=True, ensure_ascii=False,
                                                 default=str)).encode()).hexdigest()


def sql_create(unit_id: int, user_id: int, external_id: str) -> int:
    """The same rows as record_create, written by hand: the comparator."""
    now = dt.datetime.now(dt.UTC)
    payload = json.dumps(PAYLOAD, ensure_ascii=False)
    state = {"status": "registered", "outcome": "", "category": "village", "amount": None,
             "opened_on": OPENED.isoformat(), "closed_on": None, "org_unit": unit_id,
             **{f"payload.{k}": v for k, v in sorted(PAYLOAD.items())}}
    month = OPENED.replace(day=1)
    due = dt.date(OPENED.year, OPENED.month + 1, OPENED.day)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO registers_record (register, definition_version, org_unit_id, external_id, status, outcome, "
            "category, opened_on, closed_on, amount, payload, version, created_at, updated_at) "
            "VALUES (%s, 1, %s, %s, 'registered', '', 'village', %s, NULL, NULL, %s, 1, %s, %s) RETURNING id",
            [REGISTER, unit_id, external_id, OPENED, payload, now, now])
        record_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO registers_recordrollup (register, basis, org_unit_id, month, status, outcome, category, dim1, "
            "dim2, field, value, count, amount) VALUES (%s, 'opened', %s, %s, 'registered', '', 'village', "
            "'neighbourhood', '', '', '', 1, 0) ON CONFLICT (register, org_unit_id, month, basis, status, outcome, "
            "category, dim1, dim2, field, value) DO UPDATE SET count = registers_recordrollup.count + excluded.count, "
            "amount = registers_recordrollup.amount + excluded.amount",
            [REGISTER, unit_id, month])
        cursor.execute(
            "INSERT INTO registers_recordclock (record_id, code, kind, org_unit_id, started_on, base_due_on, due_on, "
            "extensions, extension_reason, extension_approver_id, suspended_on, suspension_reason, stopped_on) "
            "VALUES (%s, 'conclude', 'deadline', %s, %s, %s, %s, 0, '', NULL, NULL, '', NULL)",
            [record_id, unit_id, OPENED, due, due])
        cursor.execute("SELECT table_name, last_seq, last_hash FROM core_historychain WHERE table_name IN "
                       "('registers_recordevent', 'core_auditevent') ORDER BY table_name FOR UPDATE"
                       if connection.vendor == "postgresql" else
                       "SELECT table_name, last_seq, last_hash FROM core_historychain WHERE table_name IN "
                       "('registers_recordevent', 'core_auditevent') ORDER BY table_name")
        heads = {name: (seq, last) for name, seq, last in cursor.fetchall()}
        event = {"record_id": record_id, "seq": 1, "kind": "created", "to_status": "registered", "actor_id": user_id,
                 "at": now, "happened_on": OPENED, "data": {"set": state}}
        e_seq, e_prev = heads["registers_recordevent"]
        e_hash = _digest(e_prev, {**event, "chain_seq": e_seq + 1})
        cursor.execute(
            "INSERT INTO registers_recordevent (chain_seq, hash, record_id, seq, kind, transition, from_status, "
            "to_status, actor_id, at, happened_on, data, note) "
            "VALUES (%s, %s, %s, 1, 'created', '', '', 'registered', %s, %s, %s, %s, '') RETURNING id",
            [e_seq + 1, e_hash, record_id, user_id, now, OPENED, json.dumps(event["data"], ensure_ascii=False)])
        e_id = cursor.fetchone()[0]
        audit = {"actor_id": user_id, "at": now, "action": "record.created", "object_type": "registers.record",
                 "object_id": str(record_id), "org_unit_id": unit_id, "diff": {k: [None, v] for k, v in state.items() if v is not None}}
        a_seq, a_prev = heads["core_auditevent"]
        a_hash = _digest(a_prev, {**audit, "chain_seq": a_seq + 1})
        cursor.execute(
            "INSERT INTO core_auditevent (chain_seq, hash, actor_id, at, action, object_type, object_id, org_unit_id, "
            "diff) VALUES (%s, %s, %s, %s, 'record.created', 'registers.record', %s, %s, %s) RETURNING id",
            [a_seq + 1, a_hash, user_id, now, str(record_id), unit_id, json.dumps(audit["diff"])])
        a_id = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE core_historychain SET last_seq = last_seq + 1, last_at = %s, "
            "last_hash = CASE table_name WHEN 'registers_recordevent' THEN %s ELSE %s END, "
            "last_id = CASE table_name WHEN 'registers_recordevent' THEN %s ELSE %s END "
            "WHERE table_name IN ('registers_recordevent', 'core_auditevent')",
            [now, e_hash, a_hash, e_id, a_id])
    return record_id


class StatementCounter:
    def __init__(self) -> None:
        self.n = 0
        self.kinds: Counter[str] = Counter()

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        self.kinds[" ".join(sql.split()[:3])[:60]] += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started, load_before = time.perf_counter(), list(os.getloadavg())
    call_command("migrate", verbosity=0)
    tree = seed.tree_build(1)
    town = OrgUnit.objects.get(pk=tree.districts[0].towns[0])
    user_model = get_user_model()
    mediator = user_create(acting_user=None, username="bench_mediator", password="bench-pass-123",
                           role=Role.objects.get(code="mediator"), org_unit=town)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def web(i: int, user) -> None:
        record_register(acting_user=user, register=REGISTER, org_unit=town, external_id=f"W-{i:06d}",
                        payload=dict(PAYLOAD), parties={}, opened_on=OPENED)

    def system(i: int, user) -> None:
        record_create(acting_user=None, register=REGISTER, org_unit=town, external_id=f"S-{i:06d}",
                      payload=dict(PAYLOAD), opened_on=OPENED)

    def sql(i: int, user) -> None:
        sql_create(town.pk, user.pk, f"Q-{i:06d}")

    kinds = {"web": web, "system": system, "sql": sql}

    def fresh_user():
        # A request reads request.user anew (untimed here): nothing cached on the user object carries over.
        return user_model.objects.get(pk=mediator.pk)

    # Rows written per create, and statements, from one create of each kind (after the tables have rows).
    for fn in kinds.values():
        fn(-1, fresh_user())
    rows, statements = {}, {}
    for name, fn in kinds.items():
        before, user = _counts(), fresh_user()
        counter = StatementCounter()
        with connection.execute_wrapper(counter):
            fn(-2, user)
        after = _counts()
        rows[name] = {t: after[t] - before[t] for t in TABLES}
        statements[name] = {"n": counter.n, "kinds": dict(counter.kinds)}
    if rows["sql"] != rows["web"]:
        sys.exit(f"the hand-written SQL wrote other rows than record_register: {rows}")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    for i in range(-10, args.n):
        for name, fn in kinds.items():
            user = fresh_user()
            t, c = time.perf_counter(), time.process_time()
            fn(i + 10, user)
            if i >= 0:
                times[name].append(time.perf_counter() - t)
                cpu[name].append(time.process_time() - c)
    med = {k: statistics.median(v) for k, v in times.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    # psycopg sends BEGIN and COMMIT itself: two round trips the wrapper does not see.
    extra = 2 if connection.vendor == "postgresql" else 0
    result = {
        "vendor": connection.vendor, "n": args.n, "rows": rows["web"],
        "web_s": med["web"], "system_s": med["system"], "sql_s": med["sql"],
        "web_ratio": med["web"] / med["sql"], "system_ratio": med["system"] / med["sql"],
        "cpu": med_cpu, "web_cpu_ratio": med_cpu["web"] / med_cpu["sql"],
        "statements": statements, "round_trips": {k: v["n"] + extra for k, v in statements.items()},
        "load_average": {"before": load_before, "after": list(os.getloadavg())}, "elapsed_s": time.perf_counter() - started,
    }
    log(f"web {med['web'] * 1000:.2f} ms ({result['web_ratio']:.2f}×), system {med['system'] * 1000:.2f} ms, "
        f"sql {med['sql'] * 1000:.2f} ms; statements web {statements['web']['n']}, sql {statements['sql']['n']}")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
