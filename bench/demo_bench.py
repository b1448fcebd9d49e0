"""`fazhi demo` against a bare executemany of all the rows it writes (issue 17, scope 4).

    DATABASE_URL=… BENCH_COPY_URL=… python -m bench.demo_bench --out /tmp/bench/demo-sqlite.json

On the (fresh) database of DATABASE_URL: `migrate`, then `demo_build()` (what `fazhi demo` runs) timed,
with its statements counted (`connection.execute_wrapper`). Every row the demo added is then read back,
table by table, and written into a second fresh, migrated database (BENCH_COPY_URL) by one bare
`executemany` per table in one transaction, foreign keys and triggers off (SQLite `PRAGMA foreign_keys`,
PostgreSQL `session_replication_role = replica`): the comparator is the cost of just storing the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

import dj_database_url  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

# The comparator's database: the default's settings with BENCH_COPY_URL's name, host and engine.
settings.DATABASES["copy"] = {**settings.DATABASES["default"], **dj_database_url.parse(os.environ["BENCH_COPY_URL"])}


def log(message: str) -> None:
    print(f"[demo {connection.vendor}] {message}", file=sys.stderr, flush=True)


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_"))


def _max_ids(conn) -> dict[str, int]:
    """Rows present per table before the demo: every table's row count and, where it has one, its max id."""
    out = {}
    with conn.cursor() as cursor:
        for table in _tables():
            cols = [c.name for c in conn.introspection.get_table_description(cursor, table)]
            if "id" in cols:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                out[table] = cursor.fetchone()[0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    started, load_before = time.perf_counter(), list(os.getloadavg())
    call_command("migrate", verbosity=0)
    before = _max_ids(connection)
    with connection.cursor() as cursor:
        counts_before = {}
        for table in _tables():
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts_before[table] = cursor.fetchone()[0]
    statements: Counter[str] = Counter()

    def count(execute, sql, params, many, context):
        statements[" ".join(sql.split()[:2])[:40]] += 1
        return execute(sql, params, many, context)

    from fazhi.demo import demo_build

    t0, c0 = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(count):
        demo_build()
    demo_s, demo_cpu = time.perf_counter() - t0, time.process_time() - c0
    log(f"demo {demo_s:.1f} s ({sum(statements.values())} statements)")

    # Every row the demo added, per table (rows with an id above the pre-demo maximum; tables without an id
    # column: all rows beyond the count before, which for the demo's link tables means all of them).
    data: dict[str, tuple[list[str], list[tuple]]] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            cols = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            if "id" in cols:
                cursor.execute(f'SELECT * FROM "{table}" WHERE id > %s', [before.get(table, 0)])
            elif counts_before[table] == 0:
                cursor.execute(f'SELECT * FROM "{table}"')
            else:
                continue
            rows = cursor.fetchall()
            if rows:
                data[table] = (cols, rows)
    total = sum(len(r) for _, r in data.values())
    log(f"{total} rows in {len(data)} tables")

    # The comparator: the same rows into a fresh migrated database, one executemany per table.
    copy = connections["copy"]
    call_command("migrate", database="copy", verbosity=0)
    copy.ensure_connection()
    with copy.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF" if copy.vendor == "sqlite" else
                       "SET session_replication_role = replica")
        # Rows migrations put there (roles, calendar…) are dropped first, untimed, so the demo's ids fit.
        for table in data:
            cursor.execute(f'DELETE FROM "{table}"')
    adapt = (lambda v: json.dumps(v) if isinstance(v, dict | list) else v) if copy.vendor == "postgresql" else None
    t0 = time.perf_counter()
    with copy.cursor() as cursor:
        cursor.execute("BEGIN")
        for table, (cols, rows) in data.items():
            sql = (f'INSERT INTO "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in cols)}) '
                   f'VALUES ({", ".join(["%s"] * len(cols))})')
            cursor.executemany(sql, [tuple(map(adapt, r)) for r in rows] if adapt else rows)
        cursor.execute("COMMIT")
    baseline_s = time.perf_counter() - t0
    log(f"executemany of the same rows: {baseline_s:.2f} s")
    result = {
        "vendor": connection.vendor, "demo_s": demo_s, "demo_cpu_s": demo_cpu, "baseline_s": baseline_s,
        "ratio": demo_s / baseline_s, "rows": total, "tables": {t: len(r) for t, (_, r) in data.items()},
        "records": len(data.get("registers_record", ([], []))[1]),
        "statements": sum(statements.values()), "statement_kinds": dict(statements.most_common(12)),
        "load_average": {"before": load_before, "after": list(os.getloadavg())},
        "elapsed_s": time.perf_counter() - started,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
