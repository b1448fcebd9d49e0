"""The data version, and a per-process cache of what pages compute, keyed by it.

Pages people wait for (the 驾驶舱, the 待办 workbench, the navigation's 登记簿 menu and counts) compute the same
figures again and again between writes. Database triggers change one row, `core_dataversion`, in the same
transaction as every write to the tables those figures are computed from (`TABLES`; each app's migration
installs the triggers of its own tables): a reader that sees the new data sees the new version, so a cached
value is never shown after the write that changed it. Each worker process keeps its values in Django's cache
(local memory by default) under the version read at the start of the computation; a value cached under an
older version is simply never asked for again. Triggers rather than service code: every writer — services,
bulk imports, `rollups rebuild`, raw SQL — changes the version, with no extra round trip.

    counts = version_cached(("work", user.pk, today), lambda: workbench_counts(user, today))
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import caches
from django.db import connection

T = TypeVar("T")

# The tables whose writes change the version, by app (the app's migration installs their triggers).
TABLES = {
    "core": ("core_orgunit", "core_orgunitclosure", "core_membership", "core_role", "core_calendarday",
             "core_notice"),
    "registers": ("registers_record", "registers_recordrollup", "registers_recordclock"),
    "datasets": ("datasets_datavalue", "datasets_datasetreport"),
    "reports": ("reports_annualreport", "reports_sectionassignment"),
}

_BUMP_SQLITE = ("INSERT INTO core_dataversion (id, n, token) VALUES (1, 1, random()) "
                "ON CONFLICT (id) DO UPDATE SET n = n + 1, token = random();")
_FUNCTION_POSTGRES = """CREATE OR REPLACE FUNCTION core_dataversion_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_dataversion (id, n, token) VALUES (1, 1, (random() * 9e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET n = core_dataversion.n + 1, token = (random() * 9e18)::bigint;
    RETURN NULL;
END $$"""


def trigger_statements(vendor: str, tables: tuple[str, ...]) -> list[str]:
    """CREATE statements of the version triggers of `tables` (SQLite: one per row and operation; PostgreSQL:
    one per statement, TRUNCATE included)."""
    if vendor == "sqlite":
        return [f"CREATE TRIGGER {table}_dataversion_{op.lower()} AFTER {op} ON {table} BEGIN {_BUMP_SQLITE} END"
                for table in tables for op in ("INSERT", "UPDATE", "DELETE")]
    if vendor == "postgresql":
        return [_FUNCTION_POSTGRES] + [
            f"CREATE TRIGGER {table}_dataversion AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION core_dataversion_bump()" for table in tables]
    return []


def drop_statements(vendor: str, tables: tuple[str, ...]) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_dataversion_{op.lower()}"
                for table in tables for op in ("INSERT", "UPDATE", "DELETE")]
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_dataversion ON {table}" for table in tables]
    return []


def triggers_migration(tables: tuple[str, ...]) -> Callable[[object, object], None]:
    """A RunPython function installing the version triggers of `tables` (a migration names its own, as TABLES
    said when it was written)."""
    def run(apps: object, schema_editor: object) -> None:
        vendor = schema_editor.connection.vendor  # type: ignore[attr-defined]
        for sql in trigger_statements(vendor, tables):
            schema_editor.execute(sql)  # type: ignore[attr-defined]
    return run


def triggers_unmigration(tables: tuple[str, ...]) -> Callable[[object, object], None]:
    def run(apps: object, schema_editor: object) -> None:
        vendor = schema_editor.connection.vendor  # type: ignore[attr-defined]
        for sql in drop_statements(vendor, tables):
            schema_editor.execute(sql)  # type: ignore[attr-defined]
    return run


def data_version() -> str | None:
    """The current version, None when its row is missing (after a test flushed the tables: nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, token FROM core_dataversion WHERE id = 1")
        row = cursor.fetchone()
    return None if row is None else f"{row[0]}.{row[1]}"


_MISSING = object()


def version_cached(key: tuple[Hashable, ...], compute: Callable[[], T], *, timeout: int = 3600) -> T:
    """`compute()`, or the value it gave under the current data version for the same `key` (whose parts must
    name everything else the value depends on: the user, the unit, the period, today …). The value is stored
    pickled, so each caller gets its own copy."""
    version = data_version()
    if version is None:
        return compute()
    digest = hashlib.blake2b(repr(key).encode(), digest_size=16).hexdigest()
    full = f"fazhi:{version}:{digest}"
    cache = caches["default"]
    hit = cache.get(full, _MISSING)
    if hit is not _MISSING:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(full, value, timeout)
    return value
