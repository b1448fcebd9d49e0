"""One benchmark case: one database at one size, in its own process (DATABASE_URL chosen by bench.run).

    DATABASE_URL=... python -m bench.case --size city --records 1000000 --districts 20 --out result.json

Migrates the (fresh, empty) database, seeds it, measures and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fazhi.core.periods import period_parse  # noqa: E402
from fazhi.indicators.engine import indicators_compute  # noqa: E402
from fazhi.indicators.registry import indicator_registry  # noqa: E402
from fazhi.registers.models import Record, RecordRollup  # noqa: E402
from fazhi.registers.rollups import rollup_apply, rollup_contributions, rollups_rebuild  # noqa: E402
from fazhi.registers.services import record_create  # noqa: E402

from . import baseline, duck, seed  # noqa: E402

STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def median_of(fn, repeats: int) -> tuple[float, list[float]]:
    times = [timed(fn)[0] for _ in range(repeats)]
    return statistics.median(times), times


def db_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def db_settings() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', "
                           "'synchronous_commit', 'fsync', 'max_wal_size', 'jit') ORDER BY name")
            return ", ".join(f"{n}={v}{'×' + u if u else ''}" for n, v, u in cursor.fetchall())
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        return f"journal_mode={mode}, synchronous={cursor.fetchone()[0]} (fazhi.settings)"


def analyze() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE registers_recordrollup")
            cursor.execute("ANALYZE registers_record")
        else:
            cursor.execute("ANALYZE")


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


# ------------------------------------------------------------------------------------------- measures

def _empty_rollups() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM registers_recordrollup")


def measure_rebuild(repeats: int) -> dict:
    """rollups_rebuild() (key "django": the app's) vs DELETE + INSERT … SELECT … GROUP BY, each run
    starting from an empty rollup table (emptied untimed, so both do the same work), alternating."""
    candidates = {"django": rollups_rebuild, "raw": baseline.raw_rebuild}
    times: dict[str, list[float]] = {k: [] for k in candidates}
    rows = 0
    for i in range(repeats):
        for name, fn in candidates.items():
            _empty_rollups()
            t, n = timed(fn)
            times[name].append(t)
            log(f"rebuild {name} #{i + 1}: {t:.2f} s")
            if i == 0 and name == "django":
                rows = n
                baseline.rollup_copy("bench_rollup_copy")
            elif i == 0:
                n_table, n_copy, only_table, only_copy = baseline.rollup_differences("bench_rollup_copy")
                log(f"compare {name}: {n_table} rows, rollups_rebuild {n_copy} rows, {only_table}/{only_copy} differ")
                assert n_table == n_copy and only_table == 0 and only_copy == 0, f"{name} and rollups_rebuild differ"
    baseline.rollup_drop("bench_rollup_copy")
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {"rollup_rows": rows, "same_rows": True, "ratio": med["django"] / med["raw"]}
    for name in candidates:
        out[f"{name}_s"], out[f"{name}_runs"] = med[name], times[name]
        out[f"{name}_ratio"] = med[name] / med["raw"]
    return out


def _check(values: dict, expected: dict) -> int:
    """Every value the engine computed equals the indicator evaluated on the baseline's numbers."""
    assert set(values) == set(expected), "the engine and the baseline cover different values"
    for key, value in values.items():
        assert baseline.values_agree(value.exact, expected[key]), f"{key}: engine {value.exact}, baseline {expected[key]}"
    return len(values)


def _indicator_pair(units: list, periods: list, repeats: int) -> dict:
    """indicators_compute for the units × periods vs the hand-written GROUP BY of the same rollup terms,
    interleaved. The first run of each gives the values that are checked (untimed check)."""
    _, terms = baseline.rollup_terms(units, periods)
    sql = baseline.indicator_terms_sql([u.pk for u in units], terms)

    def run_engine():
        return indicators_compute(units=units, periods=periods)

    def run_baseline():
        return baseline.indicator_terms(sql, terms)

    out: dict = {"units": len(units), "periods": len(periods), "terms": len(terms)}
    e_runs, b_runs = [], []
    for i in range(repeats):  # interleaved, so that drift in the machine's load affects both alike
        t, values = timed(run_engine)
        e_runs.append(t)
        t, leaves = timed(run_baseline)
        b_runs.append(t)
        log(f"{len(units)} unit(s) × {len(periods)} period(s) run {i + 1}: engine {e_runs[-1]:.3f} s, "
            f"baseline {b_runs[-1]:.3f} s")
        if i == 0:
            expected = baseline.expected_values(leaves, units, periods)
            out["values"] = out["checked_values"] = _check(values, expected)
    e, b = statistics.median(e_runs), statistics.median(b_runs)
    out.update({"engine_s": e, "engine_runs": e_runs, "baseline_s": b, "baseline_runs": b_runs, "ratio": e / b})
    return out


def measure_indicators(tree: seed.Tree, repeats: int, repeats_all: int, result: dict, out: str) -> dict:
    reg = indicator_registry()
    district = tree.districts[0].unit
    one = _indicator_pair([district], [period_parse(str(seed.LAST_DAY.year))], repeats)
    log(f"one district-year: engine {one['engine_s'] * 1000:.1f} ms, baseline {one['baseline_s'] * 1000:.1f} ms, "
        f"({one['values']} values, {one['terms']} terms)")
    result["indicators"] = {"indicators": len(reg.indicators), "one": one}
    _save(result, out)  # a partial result, in case the all-districts measurement does not finish
    all_ = _indicator_pair([d.unit for d in tree.districts], [period_parse(str(y)) for y in seed.YEARS], repeats_all)
    log(f"all districts × years: engine {all_['engine_s']:.2f} s, baseline {all_['baseline_s']:.2f} s, "
        f"({all_['values']} values, {all_['terms']} terms)")
    return {"indicators": len(reg.indicators), "one": one, "all": all_}


def _same_values(values: dict, other: dict, name: str) -> int:
    """The comparator's values equal the engine's: every value (exact, to 1e-6) and has_data."""
    assert set(values) == set(other), f"the engine and {name} cover different values"
    for key, value in values.items():
        theirs = other[key]
        assert baseline.values_agree(value.exact, theirs.exact), f"{key}: engine {value.exact}, {name} {theirs.exact}"
        assert value.has_data == theirs.has_data, f"{key}: has_data differs ({name})"
    return len(values)


def _honest_pair(label: str, units: list, periods: list, repeats: int, con, narrow: bool) -> dict:
    """indicators_compute vs the same call with its rollup reads replaced by DuckDB over the raw records
    (bench/duck.py) and, with `narrow`, by the narrow GROUP BY of the raw records in the same database,
    interleaved; the first run's values are checked equal (untimed)."""
    sources = {"duckdb": duck.duck_leaves(con)}
    if narrow:
        sources["narrow"] = duck.narrow_leaves()

    def run_engine():
        return indicators_compute(units=units, periods=periods)

    def runner(source):
        def run():
            with duck.engine_over(source):
                return indicators_compute(units=units, periods=periods)
        return run

    runs: dict[str, list[float]] = {"engine": [], **{k: [] for k in sources}}
    out: dict = {"label": label, "units": len(units), "periods": len(periods)}
    for i in range(repeats):
        t, values = timed(run_engine)
        runs["engine"].append(t)
        for name, source in sources.items():
            t, theirs = timed(runner(source))
            runs[name].append(t)
            if i == 0:
                out["checked_values"] = _same_values(values, theirs, name)
        log(f"{label} run {i + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.1f} ms" for k, v in runs.items()))
    med = {k: statistics.median(v) for k, v in runs.items()}
    for name, times in runs.items():
        out[f"{name}_s"], out[f"{name}_runs"] = med[name], times
    for name in sources:
        out[f"ratio_{name}"] = med["engine"] / med[name]
    return out


def measure_honest(tree: seed.Tree, repeats: int, result: dict, out: str, narrow: bool = False) -> dict:
    """The indicators against honest comparators (issue 17 item 1): one district-year and the root of the
    first city (and of the province when it has several cities), one year each."""
    con, load = duck.duck_load()
    log(f"DuckDB loaded (untimed): {load['records']} records, {load['closure_rows']} closure rows in "
        f"{load['load_s']:.1f} s")
    honest: dict = {"duckdb_version": duck.duckdb.__version__, "load": load, "year": seed.LAST_DAY.year,
                    "load_average": [os.getloadavg()[0]]}
    result["honest"] = honest
    year = [period_parse(str(seed.LAST_DAY.year))]
    cases = [("district", tree.districts[0].unit), ("city", tree.cities[0])]
    if len(tree.cities) > 1:
        cases.append(("province", tree.province))
    for label, unit in cases:
        honest[label] = _honest_pair(f"{label} root × one year", [unit], year, repeats, con, narrow)
        _save(result, out)
    con.close()
    honest["load_average"].append(os.getloadavg()[0])
    return honest


def measure_page(tree: seed.Tree, repeats: int) -> dict:
    """The indicators page's figures (issue 17 item 3): as the page computed them before — indicators_compute
    for the year and the year before, then rules_check, each its own engine pass — against
    indicator_page_figures (one pass), interleaved; the results are checked equal."""
    from fazhi.indicators.rules import rules_check
    from fazhi.indicators.selectors import indicator_page_figures

    year = period_parse(str(seed.LAST_DAY.year))

    def before(unit):
        return (indicators_compute(units=[unit], periods=[year, year.shifted_years(-1)]),
                rules_check(units=[unit], period=year))

    def now(unit):
        return indicator_page_figures(unit=unit, period=year)

    out: dict = {"year": year.code}
    for label, unit in (("district", tree.districts[0].unit), ("city", tree.cities[0])):
        runs: dict[str, list[float]] = {"before": [], "now": []}
        queries: dict[str, tuple[int, int]] = {}
        results = {}
        for _ in range(repeats):
            for name, fn in (("before", before), ("now", now)):
                with CaptureQueriesContext(connection) as captured:
                    t, results[name] = timed(lambda fn=fn, unit=unit: fn(unit))
                runs[name].append(t)
                queries[name] = (len(captured.captured_queries),
                                 sum("registers_recordrollup" in q["sql"] for q in captured.captured_queries))
        assert results["before"] == results["now"], "the one-pass page figures differ"
        med = {k: statistics.median(v) for k, v in runs.items()}
        out[label] = {"before_s": med["before"], "now_s": med["now"], "before_runs": runs["before"],
                      "now_runs": runs["now"], "before_queries": queries["before"][0],
                      "before_rollup_queries": queries["before"][1], "now_queries": queries["now"][0],
                      "now_rollup_queries": queries["now"][1], "ratio": med["now"] / med["before"]}
        log(f"page figures, {label} root: before {med['before'] * 1000:.0f} ms ({queries['before'][0]} queries), "
            f"one pass {med['now'] * 1000:.0f} ms ({queries['now'][0]} queries)")
    out["load_average"] = os.getloadavg()[0]
    return out


def measure_create(tree: seed.Tree, n: int) -> dict:
    """record_create (full service) and create + rollup_apply vs a bare Record.objects.create, interleaved."""
    town = seed.OrgUnit.objects.get(pk=tree.districts[0].towns[0])
    payload = {"organization_type": "village", "dispute_type": "neighbourhood", "summary": "相邻通行纠纷"}
    opened = dt.date(2025, 6, 2)

    def fields(i: int, kind: str) -> dict:
        return dict(register="people_mediation", definition_version=1, org_unit=town,
                    external_id=f"BENCH-{kind}-{i:06d}", status="registered", outcome="", category="village",
                    opened_on=opened, payload=dict(payload))

    def bare(i: int) -> None:
        Record.objects.create(**fields(i, "bare"))

    def bare_atomic(i: int) -> None:
        with transaction.atomic():
            Record.objects.create(**fields(i, "bare-atomic"))

    def with_rollup(i: int) -> None:
        with transaction.atomic():
            record = Record.objects.create(**fields(i, "rollup"))
            rollup_apply(before=[], after=rollup_contributions(record))

    def service(i: int) -> None:
        record_create(acting_user=None, register="people_mediation", org_unit=town,
                      external_id=f"BENCH-service-{i:06d}", payload=dict(payload), opened_on=opened)

    times: dict[str, list[float]] = {"bare": [], "bare_atomic": [], "rollup": [], "service": []}
    for i in range(-10, n):  # the first 10 rounds warm up and are not counted
        for kind, fn in (("bare", bare), ("bare_atomic", bare_atomic), ("rollup", with_rollup), ("service", service)):
            t, _ = timed(lambda fn=fn, i=i: fn(i + 10))
            if i >= 0:
                times[kind].append(t)
    med = {k: statistics.median(v) for k, v in times.items()}
    log(f"create: bare {med['bare'] * 1000:.2f} ms, bare in atomic {med['bare_atomic'] * 1000:.2f} ms, +rollup {med['rollup'] * 1000:.2f} ms, "
        f"service {med['service'] * 1000:.2f} ms")
    return {"n": n, "bare_s": med["bare"], "bare_atomic_s": med["bare_atomic"], "rollup_s": med["rollup"],
            "service_s": med["service"], "rollup_vs_atomic": med["rollup"] / med["bare_atomic"],
            "rollup_ratio": med["rollup"] / med["bare"], "service_ratio": med["service"] / med["bare"]}


def _save(result: dict, path: str) -> None:
    result["elapsed_s"] = time.perf_counter() - STARTED
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", required=True)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--districts", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the fast indicator measurements")
    parser.add_argument("--rebuild-repeats", type=int, default=3)
    parser.add_argument("--all-repeats", type=int, default=3)
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true",
                        help="the database is already seeded (by an earlier run with the same size and seed): "
                             "skip migrate and seeding")
    parser.add_argument("--phases", default="rebuild,indicators,honest,page,create",
                        help="any of rebuild, build (build the rollups untimed, as setup), indicators, "
                             "honest (DuckDB and narrow comparators), page (the indicators page's figures in one pass), "
                             "create")
    parser.add_argument("--narrow", action="store_true",
                        help="also the narrow GROUP BY comparator (bench/duck.py; slow: its sums are in Python)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    phases = args.phases.split(",")

    result: dict = {"size": args.size, "records": args.records, "districts": args.districts,
                    "vendor": connection.vendor, "database": db_version(), "settings": db_settings(),
                    "phases": phases, "reused": args.reuse}
    if args.reuse:
        tree = seed.tree_load()
        assert len(tree.districts) == args.districts and count("registers_record") >= args.records
    else:
        call_command("migrate", verbosity=0)
        t, tree = timed(lambda: seed.tree_build(args.districts, args.seed))
        log(f"tree: {count('core_orgunit')} units in {t:.1f} s")
        result["tree_s"] = t
        t, n = timed(lambda: seed.records_insert(tree, args.records, args.seed))
        log(f"records: {n} in {t:.1f} s ({n / t:,.0f}/s)")
        result["seed_s"] = t
        assert n == args.records == count("registers_record")
    result["units"] = count("core_orgunit")
    if "rebuild" in phases:
        result["rebuild"] = measure_rebuild(args.rebuild_repeats)
        _save(result, args.out)
    if "build" in phases:
        _empty_rollups()
        t, rows = timed(rollups_rebuild)
        result["build"] = {"seconds": t, "rollup_rows": rows}
        log(f"rollups built (setup): {rows} rows in {t:.1f} s")
        _save(result, args.out)
    assert RecordRollup.objects.exists()
    if "indicators" in phases:
        # The first indicator query right after the rebuild, before the database has statistics of the new
        # rollup rows (what a user sees until autovacuum/ANALYZE runs), then ANALYZE as setup.
        year = seed.LAST_DAY.year
        one_year = [period_parse(str(year))]
        indicators_compute(units=[tree.districts[0].unit], periods=one_year)  # registry load
        stale, _ = median_of(lambda: indicators_compute(units=[tree.districts[0].unit], periods=one_year), 3)
        t, _ = timed(analyze)
        log(f"one district-year before ANALYZE: {stale * 1000:.1f} ms; ANALYZE {t:.1f} s")
        result["analyze_s"] = t
        result["indicators"] = measure_indicators(tree, args.repeats, args.all_repeats, result, args.out)
        result["indicators"]["one"]["before_analyze_s"] = stale
        _save(result, args.out)
    if "honest" in phases:
        if "indicators" not in phases:
            analyze()
        result["honest"] = measure_honest(tree, args.repeats, result, args.out, narrow=args.narrow)
        _save(result, args.out)
    if "page" in phases:
        result["page"] = measure_page(tree, 3)
        _save(result, args.out)
    if "create" in phases:
        result["create"] = measure_create(tree, args.creates)
    _save(result, args.out)
    log(f"done: {args.out}")


if __name__ == "__main__":
    main()
