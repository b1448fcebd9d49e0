"""Acceptance: killing the process during a commit leaves the whole batch or none of it, on both databases.

A child process (tests/imports/commit_child.py) commits an import of some thousands of rows and stops inside
the batch's transaction — after its first records, or after all of them while the staged rows are written —
where it is killed with SIGKILL. The database then holds none of the batch: no record, no event, no rollup,
no audit row; only the batch's own row and its staged raw rows may remain, none marked as written. Left alone, the same child commits all of it.

SQLite: the child writes a copy of the session's migrated file with the personas (tests/serving.py).
PostgreSQL: the child writes the test database itself (a transactional test, so it sees the personas).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.serving import SECRET, server_env

REPO = Path(settings.BASE_DIR)
ROWS = 2000
# The tables the batch writes, in the order of the commit: records (with their events, clocks and audit
# rows), the rollups, then the staging table, the batch's row and its audit row.
COUNTED = {
    "records": "SELECT COUNT(*) FROM registers_record WHERE register = 'people_mediation'",
    "events": "SELECT COUNT(*) FROM registers_recordevent",
    "rollups": "SELECT COUNT(*) FROM registers_recordrollup WHERE register = 'people_mediation'",
    "staged": "SELECT COUNT(*) FROM imports_stagedrow",
    "batches": "SELECT COUNT(*) FROM imports_importbatch",
    "committed": "SELECT COUNT(*) FROM imports_importbatch WHERE status = 'committed'",
    "audit": "SELECT COUNT(*) FROM core_auditevent WHERE action = 'import.committed'",
    "written_staged": "SELECT COUNT(*) FROM imports_stagedrow WHERE record_id IS NOT NULL",
}
# Where the child stops: after the first INSERT into that table inside the batch's transaction.
KILL_POINTS = ["registers_recordevent", "imports_stagedrow"]


def _child(env: dict[str, str], marker: Path, table: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.imports.commit_child", str(ROWS), table, str(marker)],
                            cwd=REPO, env={**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_inside_the_commit(env: dict[str, str], tmp_path: Path, table: str) -> None:
    marker = tmp_path / "inside"
    child = _child(env, marker, table)
    deadline = time.monotonic() + 300
    while not marker.exists():
        if child.poll() is not None:
            out, err = child.communicate()
            pytest.fail(f"the child ended before it was inside the commit ({table}): {out}{err[-3000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail("the child never reached the commit")
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL


def _run_to_the_end(env: dict[str, str], tmp_path: Path) -> None:
    child = _child(env, tmp_path / "never", "no_such_table")
    out, err = child.communicate(timeout=600)
    assert child.returncode == 0, err[-3000:]
    assert out.split() == [str(ROWS), "True"]


# What a killed commit may leave: the batch's own row and its staged raw rows (checked and staged chunk by
# chunk before the write, so a large file's progress shows), never marked as written.
STAGING = {"staged", "batches"}


def _assert_none_of_it(counts: dict[str, int], before: dict[str, int]) -> None:
    written = {k: v for k, v in counts.items() if k not in STAGING}
    assert written == {k: v for k, v in before.items() if k not in STAGING}, \
        "a killed commit left part of its batch behind"
    assert counts["written_staged"] == before["written_staged"]


def _assert_all_of_it(counts: dict[str, int], before: dict[str, int]) -> None:
    assert counts["records"] == before["records"] + ROWS
    assert counts["staged"] == before["staged"] + ROWS
    assert counts["committed"] == before["committed"] + 1
    assert counts["audit"] == before["audit"] + 1
    assert counts["rollups"] > before["rollups"]


# --- SQLite: a file the child process writes -------------------------------------------------------------

def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:  # opening it recovers the WAL: uncommitted frames are dropped
        return {name: db.execute(sql).fetchone()[0] for name, sql in COUNTED.items()}


@pytest.fixture
def sqlite_file(served_database, tmp_path) -> tuple[Path, dict[str, str]]:
    import shutil

    path = tmp_path / "serve.sqlite3"  # the file server_env points the child at
    shutil.copy(served_database, path)
    return path, server_env(tmp_path, FAZHI_SECRET_KEY=SECRET)


@pytest.mark.parametrize("table", KILL_POINTS)
def test_sqlite_a_commit_killed_midway_leaves_none_of_the_batch(sqlite_file, tmp_path, table):
    path, env = sqlite_file
    before = _sqlite_counts(path)
    _kill_inside_the_commit(env, tmp_path, table)
    _assert_none_of_it(_sqlite_counts(path), before)
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sqlite_a_commit_left_alone_writes_all_of_the_batch(sqlite_file, tmp_path):
    path, env = sqlite_file
    before = _sqlite_counts(path)
    _run_to_the_end(env, tmp_path)
    _assert_all_of_it(_sqlite_counts(path), before)


# --- PostgreSQL: the test database itself ---------------------------------------------------------------

def _pg_env(tmp_path: Path) -> dict[str, str]:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    url = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return {**server_env(tmp_path, FAZHI_SECRET_KEY=SECRET), "DATABASE_URL": url}


def _pg_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        out = {}
        for name, sql in COUNTED.items():
            cursor.execute(sql)
            out[name] = cursor.fetchone()[0]
        return out


needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the run's database is not PostgreSQL (DATABASE_URL=postgres://…)")


# The child must see the personas, so the test commits them (a transactional test); serialized_rollback
# restores the migrations' rows (roles, calendar) that its flush removes, as the other concurrency tests do.
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("table", KILL_POINTS)
def test_postgresql_a_commit_killed_midway_leaves_none_of_the_batch(personas, tmp_path, table):
    before = _pg_counts()
    _kill_inside_the_commit(_pg_env(tmp_path), tmp_path, table)
    _assert_none_of_it(_pg_counts(), before)


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_a_commit_left_alone_writes_all_of_the_batch(personas, tmp_path):
    before = _pg_counts()
    _run_to_the_end(_pg_env(tmp_path), tmp_path)
    _assert_all_of_it(_pg_counts(), before)
