"""The indicator terms that read records instead of rollups — distinct(…, field=…) and sum(…, field=…) —
against a hand-written SQL query of the same figures, on the synthetic data of bench/seed.py.

    DATABASE_URL=sqlite:////tmp/bench/distinct.sqlite3 python -m bench.distinct_bench --records 1000000 --districts 10

Migrates a fresh database, seeds it, and prints a markdown table (results are copied into bench/notes.md by
hand: these cases are not part of `make bench`, whose docs/benchmarks.md they would otherwise reset).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from fazhi.core.periods import period_parse  # noqa: E402
from fazhi.indicators.engine import indicators_compute  # noqa: E402
from fazhi.indicators.registry import indicators_load  # noqa: E402
from fazhi.registers.rollups import rollups_rebuild  # noqa: E402

from . import seed  # noqa: E402
from .case import db_version  # noqa: E402

EXTRA = """
kind: indicators
indicators:
  - {code: bench_mediators, name: 调解员人数, unit: 名, formula: "distinct(people_mediation, field=mediator_name)"}
  - {code: bench_subsidy, name: 调解补贴（按字段求和）, unit: 元, formula: "sum(people_mediation, field=subsidy)"}
"""


def _median(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _json(field: str) -> str:
    if connection.vendor == "postgresql":
        return f"r.payload ->> '{field}'"
    return f"json_extract(r.payload, '$.{field}')"


def _baseline(roots: list[int], year: int, aggregate: str) -> dict[int, object]:
    """The same figure written by hand: one grouped query over records and the closure table."""
    marks = ", ".join(["%s"] * len(roots))
    sql = (f"SELECT c.ancestor_id, {aggregate} FROM registers_record r "
           "JOIN core_orgunitclosure c ON c.descendant_id = r.org_unit_id "
           f"WHERE c.ancestor_id IN ({marks}) AND r.register = 'people_mediation' "
           "AND r.opened_on >= %s AND r.opened_on <= %s GROUP BY c.ancestor_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*roots, f"{year}-01-01", f"{year}-12-31"])
        return dict(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--districts", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    tree = seed.tree_build(args.districts)
    seed.records_insert(tree, args.records)
    rollups_rebuild()
    seeded = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp()) / "bench_extra"
    folder.mkdir()
    (folder / "indicators.yaml").write_text(EXTRA, encoding="utf-8")
    settings.FAZHI_DEFINITION_DIRS = [str(folder.parent)]
    assert not indicators_load().errors
    roots = [d.unit.pk for d in tree.districts]
    units = [d.unit for d in tree.districts]
    year = period_parse("2024")
    years = [period_parse(str(y)) for y in range(2021, 2026)]
    number = "CAST(NULLIF(r.payload ->> 'subsidy', '') AS numeric)" if connection.vendor == "postgresql" \
        else "json_extract(r.payload, '$.subsidy')"
    cases = [
        ("distinct 调解员, every district × 2024", lambda: indicators_compute(
            units=units, periods=[year], codes=["bench_mediators"]),
         lambda: _baseline(roots, 2024, f"COUNT(DISTINCT {_json('mediator_name')})")),
        ("sum of a field (补贴), every district × 2024", lambda: indicators_compute(
            units=units, periods=[year], codes=["bench_subsidy"]),
         lambda: _baseline(roots, 2024, f"SUM({number})")),
        ("distinct 调解员, every district × 5 years", lambda: indicators_compute(
            units=units, periods=years, codes=["bench_mediators"]),
         lambda: [_baseline(roots, y, f"COUNT(DISTINCT {_json('mediator_name')})") for y in range(2021, 2026)]),
    ]
    # The engine's figures are the hand-written query's.
    engine = indicators_compute(units=units, periods=[year], codes=["bench_mediators"])
    hand = _baseline(roots, 2024, f"COUNT(DISTINCT {_json('mediator_name')})")
    assert all(engine[(r, "2024", "bench_mediators")].value == hand.get(r, 0) for r in roots)
    print(f"{db_version()}, {args.records:,} records, {args.districts} districts, seeded in {seeded:.0f} s, "
          f"median of {args.repeats}\n")
    print("| measurement | engine | hand-written SQL | ratio |\n|---|---|---|---|")
    for name, ours, theirs in cases:
        a, b = _median(ours, args.repeats), _median(theirs, args.repeats)
        print(f"| {name} | {a * 1000:.0f} ms | {b * 1000:.0f} ms | {a / b:.2f}× |")


if __name__ == "__main__":
    main()
