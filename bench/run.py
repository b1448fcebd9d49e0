"""The benchmarks of issues 3 (item 8), 5 (report rendering), 6, 13 (serving), 14 (import) and 17: `make bench`.

    python -m bench.run [--sizes district,city,province] [--databases sqlite,postgres] [--write docs/benchmarks.md]
    python -m bench.run --from-json A.json B.json --report-json R.json --no-checker --write docs/benchmarks.md
    python -m bench.run --serving-only --write docs/benchmarks.md   # only the serving section, spliced in
    python -m bench.run --import-only [--import-rows 100000] [--import-memory-rows 1000000] --write docs/benchmarks.md
    python -m bench.run --writes-only --write docs/benchmarks.md    # only record writes and `fazhi demo`

Each size × database runs in its own process (`bench.case`) on a fresh database: SQLite files under
/tmp/bench (or $BENCH_DIR), PostgreSQL databases `fazhi_bench_<size>` on $BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432; created and dropped by this runner). The report checker's throughput
comes from bench/checker_bench.py, and the annual report's .docx/PDF times from bench/report_bench.py (on
its own fresh SQLite database with the demo data), each run as a subprocess in the same run; --report-json
reuses a saved result of bench/report_bench.py instead. The serving benchmark (issue 13 item 12:
the workbench and 驾驶舱 under 16 clients on `fazhi serve` over the demo data, against a static file) is
bench/serving_bench.py, also a subprocess (`--no-serving` leaves it out, `--serving-json` reuses a result);
`--serving-only` runs just it and replaces its section of the --write file, keeping the rest. Likewise
bench/reportcli_bench.py (issue 17 items 5–6: `fazhi report` start-up, the warm PDF converter, the checker
with the platform comparison; `--no-reportcli`, `--reportcli-json`, `--reportcli-only`). Every figure
is a ratio to a baseline measured in the same run, with the absolute times. The writes section (issue 17
item 4: `record_register` through the web path vs hand-written SQL, `fazhi demo` vs a bare executemany of
its rows) is bench/writes_bench.py and bench/demo_bench.py per database (`--no-writes`, `--no-demo`,
`--writes-json`, `--writes-only` as for serving).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# name → records, districts, repeats of the rebuild (each repeat runs every candidate once)
SIZES = {
    "district": {"records": 50_000, "districts": 1, "rebuild_repeats": 3, "all_repeats": 3},
    "city": {"records": 1_000_000, "districts": 10, "rebuild_repeats": 1, "all_repeats": 3},
    "province": {"records": 10_000_000, "districts": 100, "rebuild_repeats": 1, "all_repeats": 1},
}
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/bench"))


def _size(spec: str) -> tuple[str, dict]:
    """'city' or 'custom:2000000:20' (records, districts)."""
    if spec in SIZES:
        return spec, SIZES[spec]
    m = re.fullmatch(r"(\w+):(\d+):(\d+)", spec)
    if not m:
        sys.exit(f"unknown size {spec!r}: use {', '.join(SIZES)} or name:records:districts")
    return m.group(1), {"records": int(m.group(2)), "districts": int(m.group(3)), "rebuild_repeats": 1,
                        "all_repeats": 1}


def _psql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run_case(name: str, size: dict, database: str) -> dict:
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"{database}-{name}.json"
    if database == "sqlite":
        path = WORK / f"{name}.sqlite3"
        for p in WORK.glob(f"{name}.sqlite3*"):
            p.unlink()
        url = f"sqlite:///{path}"
    else:
        db = f"fazhi_bench_{name}"
        _psql(f"DROP DATABASE IF EXISTS {db}")
        _psql(f"CREATE DATABASE {db}")
        url = f"{POSTGRES}/{db}"
    cmd = [sys.executable, "-m", "bench.case", "--size", name, "--records", str(size["records"]),
           "--districts", str(size["districts"]), "--rebuild-repeats", str(size["rebuild_repeats"]),
           "--all-repeats", str(size["all_repeats"]), "--out", str(out)]
    print(f"== {database} {name}: {size['records']:,} records, {size['districts']} districts", file=sys.stderr,
          flush=True)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    try:
        subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        if database == "sqlite":
            for p in WORK.glob(f"{name}.sqlite3*"):
                p.unlink()
        else:
            _psql(f"DROP DATABASE IF EXISTS fazhi_bench_{name}")


def run_checker(mb: float = 5.0) -> dict:
    """bench/checker_bench.py as it is, its printed figures parsed."""
    cmd = [sys.executable, str(ROOT / "bench" / "checker_bench.py"), "--mb", str(mb)]
    text = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    def num(pattern: str) -> float:
        m = re.search(pattern, text)
        if not m:
            raise RuntimeError(f"checker_bench output changed: {pattern!r} not in\n{text}")
        return float(m.group(1))
    return {
        "mb": num(r"input: ([\d.]+) MB"),
        "seconds": num(r"checker: ([\d.]+) s CPU"),
        "mb_per_s": num(r"checker: [\d.]+ s CPU -> ([\d.]+) MB/s"),
        "baseline_s": num(r"baseline \(regex scan of digit runs\): ([\d.]+) s"),
        "baseline_mb_per_s": num(r"baseline .*-> ([\d.]+) MB/s"),
        "ratio": num(r"ratio checker/baseline time: ([\d.]+)x"),
        "output": text.strip(),
    }


def run_checker_doubling() -> list[dict]:
    """bench/checker_bench.py --doubling (seed reports and one-cell-a-line tables, 1 to 8 MB)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "checker-doubling.json"
    cmd = [sys.executable, str(ROOT / "bench" / "checker_bench.py"), "--doubling", "--json", str(out)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.read_text(encoding="utf-8"))


def checker_doubling_section(rows: list[dict]) -> list[str]:
    """The time ratio per doubling of the text (≈ 2 is linear), beside the baseline's over the same texts."""
    lines = [
        "### Report checker: time per doubling (issue 12 item 7, issue 17 item 5)",
        "",
        "`bench/checker_bench.py --doubling` (one core, CPU time): the seed reports repeated (`seeds`) and long "
        "tables written one cell a line, 1000 rows each with one share in seven wrong (`tables`), at 1, 2, 4 and "
        "8 MB. Baseline: the regex scan of digit runs over the same text in the same run (best of 3; it takes "
        "milliseconds, so its own ratios are noisy). A ratio of 2 per doubling is linear time.",
        "",
        "| text | size | checker | MB/s | baseline | checker/baseline | checker per doubling | baseline per doubling | target | holds |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r.get("time_ratio")
        mine = f"×{ratio:.2f}" if ratio else "—"
        base = f"×{r['baseline_time_ratio']:.2f}" if ratio else "—"
        lines.append(
            f"| {r['kind']} | {r['mb']:.2f} MB | {r['seconds']:.2f} s | {r['mb'] / r['seconds']:.2f} | "
            f"{r['baseline_s']:.3f} s | {r['ratio']:.0f}× | {mine} | "
            f"{base} | per doubling ≤ ×2.3 | "
            f"{_ok(ratio <= 2.3) if ratio else ''} |")
    return lines + [""]


def run_report() -> dict:
    """bench/report_bench.py in its own process (it makes its own temporary SQLite database)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "report.json"
    print("== annual report rendering (bench.report_bench)", file=sys.stderr, flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, "-m", "bench.report_bench", "--out", str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def run_serving() -> dict:
    """bench/serving_bench.py in its own process (its own server over a copy of the cached demo database)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "serving.json"
    print("== serving (bench.serving_bench)", file=sys.stderr, flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    larger = os.environ.get("BENCH_SERVING_DATABASE")  # a larger SQLite database with the demo personas
    subprocess.run([sys.executable, "-m", "bench.serving_bench", "--out", str(out),
                    *(["--database", larger] if larger else [])], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


SERVING_HEADING = "## Serving: workbench and 驾驶舱 under 16 clients (issue 13 item 12)"


def serving_section(s: dict) -> list[str]:
    """The p50/p95 of each page and of the static file, measured by the same server in the same run."""
    st = s["static"]
    target_ms = s["target_p95_s"] * 1000
    load = s["load_average"]
    demo = ("reused from the cache" if s["demo_cached"] else f"built by `fazhi demo` in {s['demo_s']:.0f} s")
    lines = [
        SERVING_HEADING,
        "",
        f"`bench/serving_bench.py`: `fazhi serve` (gunicorn, {s['workers']} workers on {s['cores']} cores, "
        "whitenoise) on a free 127.0.0.1 port over a copy of the "
        + (f"database `{s['database']}`" if s.get("database", "demo") != "demo" else "demo database")
        + (f", {s['records']:,} records" if s.get("records") else "")
        + f" (SQLite, {demo}); {s['clients']} concurrent clients (threads, one keep-alive `requests` session each), "
        f"{s['requests']} timed requests per client and page after 2 warm-up requests; each persona signed in "
        "once through the login form. Baseline: the static file "
        f"`{st['path']}` from the same server, measured before and after the pages (p50/p95 the median of the "
        "two phases). Wall-clock latency per request as the client sees it.",
        "",
        "| measurement | p50 | p95 | baseline p95 (static, same run) | ratio p95 | throughput | target | holds |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in s["pages"]:
        lines.append(
            f"| {p['label']} ({p['bytes'] / 1024:.0f} KB) | {_ms(p['p50_s'])} | {_ms(p['p95_s'])} | "
            f"{_ms(st['p95_s'])} | {p['ratio_p95']:.1f}× | {p['throughput']:.1f} req/s | "
            f"p95 ≤ {target_ms:.0f} ms | {_ok(p['holds'])} |")
    lines.append(f"| static `{st['path']}` | {_ms(st['p50_s'])} | {_ms(st['p95_s'])} | | 1.0× | "
                 f"{st['throughput']:.1f} req/s | (baseline) | |")
    if s.get("database", "demo") == "demo":
        lines += ["", "A larger database (issue 17 asks for 1M visible records): `BENCH_SERVING_DATABASE=/path/to.sqlite3 "
                  "make bench-serving` serves a copy of any fazhi SQLite database holding the demo personas; this run "
                  "used the demo only."]
    before = s.get("before")  # the same benchmark of an earlier commit, run right after (its own static file)
    if before:
        bst = before["static"]
        lines += ["", f"For comparison, the same benchmark of the code before the page caches ({before['commit']}), "
                  "run right after on the same database copy, with its own static-file baseline (load average "
                  f"before {', '.join(f'{x:.2f}' for x in before['load_average']['before'])}, after "
                  f"{', '.join(f'{x:.2f}' for x in before['load_average']['after'])}):", "",
                  "| measurement (before) | p50 | p95 | static p95 (that run) | ratio p95 | throughput |",
                  "|---|---|---|---|---|---|"]
        for p in before["pages"]:
            lines.append(f"| {p['label']} | {_ms(p['p50_s'])} | {_ms(p['p95_s'])} | {_ms(bst['p95_s'])} | "
                         f"{p['ratio_p95']:.1f}× | {p['throughput']:.1f} req/s |")
        lines.append(f"| static `{bst['path']}` | {_ms(bst['p50_s'])} | {_ms(bst['p95_s'])} | | 1.0× | "
                     f"{bst['throughput']:.1f} req/s |")
    prof = s.get("profile") or {}
    notes = []
    for label, q in prof.items():
        if not isinstance(q, dict):
            continue
        top = ", ".join(f"`{name}` {cum * 1000:.0f} ms" for name, cum in q["top"][:4])
        notes.append(f"{label.split(' (')[0]}: {q['queries']} SQL queries ({_ms(q['sql_s'])} in SQL), "
                     f"{_ms(q['single_s'])} alone; cumulative: {top}")
    lines += ["", "The pages are read-only here, so after the first request each is served from the page cache "
              "(web/page_cache.py, keyed by the data version): the first request after a write recomputes its page "
              "(the figures themselves from the per-version caches of core/dataversion.py); writes are not measured.",
              "", f"Load average of the first run (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load['before'])}; after: "
              f"{', '.join(f'{x:.2f}' for x in load['after'])} on {s['cores']} cores (shared machine; the clients "
              "run on the same cores as the server)."]
    if notes:
        lines += ["", "One request per page in-process (Django test client, same database, information): "
                  + "; ".join(notes) + "."]
    return lines + [""]


def run_reportcli() -> dict:
    """bench/reportcli_bench.py in its own process (a copy of the cached demo database of the serving bench)."""
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / "reportcli.json"
    print("== CLI, warm PDF and checker with the platform comparison (bench.reportcli_bench)", file=sys.stderr,
          flush=True)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    subprocess.run([sys.executable, "-m", "bench.reportcli_bench", "--out", str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


REPORTCLI_HEADING = "## Reports where people wait: `fazhi report`, the warm PDF, the checker with the platform comparison (issue 17 items 5–6)"


def reportcli_section(r: dict) -> list[str]:
    """The CLI start-up, warm against cold PDF, and the checker on real text with the platform comparison."""
    from bench.reportcli_bench import CHECKER_TARGET_MB_S, CLI_TARGET_S, LINEAR_TARGET, PDF_TARGET_S

    load = r["load_average_start"]
    lines = [
        REPORTCLI_HEADING,
        "",
        "`bench/reportcli_bench.py` on a copy of the demo database (SQLite; 东洲区 2024 and its frozen snapshot). "
        f"The machine: {r['cores']} cores, shared — load average {load[0]:.1f} at the start and "
        f"{r.get('load_average_end', load)[0]:.1f} at the end — so the absolute times are several times those of "
        "an idle machine (a bare `python -c pass` below shows by how much); the ratios to the baselines of the "
        "same run are what to read.",
        "",
    ]
    if r.get("note"):
        lines += [r["note"], ""]
    cli = r.get("cli")
    if cli:
        fz, dj, setup, py = cli["fazhi_report"], cli["django_report"], cli["django_setup"], cli["python"]
        lines += [
            "| what (wall clock, new process, median) | time | baseline (same run) | ratio | target | holds |",
            "|---|---|---|---|---|---|",
            f"| `fazhi report --unit 东洲区 --year 2024 -o X.docx` | {_ms(fz['median_s'])} | {_ms(dj['median_s'])} "
            f"the same through `python -m django report` (system checks, web stack imported: `fazhi report` before) "
            f"| {fz['median_s'] / dj['median_s']:.2f}× | ≤ {CLI_TARGET_S:g} s | {_ok(fz['median_s'] <= CLI_TARGET_S)} |",
            f"| … of which the floor: `django.setup()` with fazhi's settings | {_ms(setup['median_s'])} | "
            f"{_ms(py['median_s'])} `python -c pass` | {setup['median_s'] / py['median_s']:.1f}× | (information) | |",
        ]
        if "cpu_s" in fz:
            lines += [
                f"| … CPU time (user + system) of `fazhi report` | {_ms(fz['cpu_s'])} | {_ms(dj['cpu_s'])} "
                f"`python -m django report`; {_ms(setup['cpu_s'])} `django.setup()`; {_ms(py['cpu_s'])} `python -c pass` "
                f"| {fz['cpu_s'] / dj['cpu_s']:.2f}× | (information) | |",
            ]
        lines += [""]
    pdf = r.get("pdf")
    if pdf and "unavailable" in pdf:
        lines += [f"PDF: not measured ({pdf['unavailable']}).", ""]
    elif pdf:
        lines += [
            "| what (wall clock, median) | time | baseline (same run) | ratio | target | holds |",
            "|---|---|---|---|---|---|",
            f"| 东洲区 2024 annual report ({pdf['pages']} pages) .docx → PDF, warm converter (`docx_to_pdf`) | "
            f"{_ms(pdf['warm_s'])} | {_ms(pdf['cold_s'])} `cold_docx_to_pdf` (a new LibreOffice) | "
            f"{pdf['warm_s'] / pdf['cold_s']:.2f}× | ≤ {PDF_TARGET_S:g} s | {_ok(pdf['warm_s'] <= PDF_TARGET_S)} |",
            f"| … glyph check of the warm PDF | {pdf['glyph_problems']} problems in {pdf['glyph_chars']} characters "
            "| | | 0 | " + _ok(pdf["glyph_problems"] == 0) + " |",
            f"| … starting the converter (once per `fazhi serve`, untimed in the rows above) | "
            f"{_ms(pdf['converter_start_s'])} | | | (information) | |",
            "",
        ]
    ck = r.get("checker")
    if ck:
        rows = ck["rows"]
        first, last = rows[0], rows[-1]
        per_mb_ratio = (last["seconds"] / last["mb"]) / (first["seconds"] / first["mb"])
        lines += [
            f"Checker: the seed reports repeated, `report_check` with unit 东洲区 and year 2024 against the demo "
            f"snapshot ({ck['values']} indicator values, read once); CPU time, best of 3 below 1 MB. Baselines in the "
            "same run: the same text checked without the platform comparison, and the regex scan of digit runs.",
            "",
            "| text | checker with the platform comparison | MB/s | as before (every claim × every value) | "
            "without the comparison | regex scan | claims | compared with an indicator | mismatches | target | holds |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            before = row.get("before_s")
            before_cell = (f"{_ms(before)} ({row['mb'] / before:.2f} MB/s; now {before / row['seconds']:.1f}× faster)"
                           if before else "—")
            lines.append(
                f"| {row['mb']:.2f} MB | {_ms(row['seconds'])} | {row['mb_per_s']:.2f} | {before_cell} | {_ms(row['plain_s'])} "
                f"({row['seconds'] / row['plain_s']:.2f}×) | {_ms(row['scan_s'])} ({row['seconds'] / row['scan_s']:.0f}×) "
                f"| {row['claims']} | {row['indicator_relations']} | {row['mismatches']} | ≥ {CHECKER_TARGET_MB_S:g} MB/s | "
                f"{_ok(row['mb_per_s'] >= CHECKER_TARGET_MB_S)} |")
        lines += [
            "",
            f"Linear: seconds per MB at {last['mb']:.2f} MB are {per_mb_ratio:.2f}× those at {first['mb']:.2f} MB "
            f"(target ≤ {LINEAR_TARGET:g}×: {_ok(per_mb_ratio <= LINEAR_TARGET)}).",
            "",
        ]
    return lines
HONEST_HEADING = "## Indicators against honest comparators: DuckDB on the raw records (issue 17 items 1 and 3)"
HONEST_TARGETS = {"district": 1.0, "city": 1.5, "province": 1.5}  # engine ÷ DuckDB, issue 17's target rows


def honest_section(results: list[dict]) -> list[str]:
    """engine ÷ DuckDB over the same raw records (bench/duck.py), per database and case size."""
    cases = [r for r in results if r.get("honest")]
    lines = [
        HONEST_HEADING,
        "",
        "`bench/case.py` phase `honest` (`bench/duck.py`): `indicators_compute` for every indicator at one root "
        "unit and one year, against the same call with the engine's rollup reads (`_rollup_values`) replaced "
        "by DuckDB computing the same rollup terms straight from the raw records (one grouped query per "
        "register with records over the closure table, a `FILTER` aggregate per term and period). Everything "
        "else — formulas, 同比 inputs, has_data, the rank pass over the siblings, data values — is the engine's "
        "own code in both, so the ratio is what the rollup reads cost against a columnar engine over the raw "
        "records. DuckDB's copy is loaded **untimed** (setup): the records read from the application database "
        "through Django's connection, written to CSV and loaded into an in-memory DuckDB table per register, "
        "with the month of opening and closing, the amount and the rollup dimensions/fields extracted from "
        "the JSON payload into typed columns (no JSON parsed in the timed part; no DuckDB extension, nothing "
        "downloaded). DuckDB runs in the same process with one thread per core. Registers with no records "
        "are skipped by DuckDB (it spends 25–40 ms planning each wide query even over an empty table); the "
        "engine queries them. Runs interleaved (engine, DuckDB, …); medians; every value (exact to 1e-6) and "
        "its has_data checked equal to the engine's in the first run.",
        "",
        "| database | data | root | values | engine | DuckDB on raw records | engine ÷ DuckDB | target | holds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in cases:
        h = r["honest"]
        for label in ("district", "city", "province"):
            c = h.get(label)
            if not c:
                continue
            target = HONEST_TARGETS[label]
            lines.append(
                f"| {r['database']} | {r['records']:,} records | {label} × {h.get('year', 2025)} | {c['checked_values']} | "
                f"{_ms(c['engine_s'])} | {_ms(c['duckdb_s'])} | {c['ratio_duckdb']:.2f}× | ≤ {target:g}× | "
                f"{_ok(c['ratio_duckdb'] <= target)} |")
    pages = [r for r in results if r.get("page")]
    if pages:
        lines += [
            "",
            "The indicators page's figures (phase `page`): as the page computed them before (`indicators_compute` "
            "for the year and the year before, then `rules_check`: two engine passes, each with its rank pass) "
            "against `indicator_page_figures` (one evaluator for values, rules and rankings), interleaved, "
            "medians of 3, results checked equal.",
            "",
            "| database | data | root | before | one pass | ratio | queries before → one pass (rollup reads) |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in pages:
            for label in ("district", "city"):
                p = r["page"].get(label)
                if p:
                    lines.append(
                        f"| {r['database']} | {r['records']:,} records | {label} × {r['page']['year']} | "
                        f"{_ms(p['before_s'])} | {_ms(p['now_s'])} | {p['ratio']:.2f}× | {p['before_queries']} "
                        f"({p['before_rollup_queries']}) → {p['now_queries']} ({p['now_rollup_queries']}) |")
    notes = []
    for r in cases:
        h = r["honest"]
        runs = "; ".join(f"{label}: engine " + ", ".join(f"{t * 1000:.0f}" for t in h[label]["engine_runs"])
                         + " ms, DuckDB " + ", ".join(f"{t * 1000:.0f}" for t in h[label]["duckdb_runs"]) + " ms"
                         for label in ("district", "city", "province") if h.get(label))
        load = h.get("load_average")
        notes.append(f"{r['database']}, {r['records']:,} records: DuckDB {h['duckdb_version']}, copy of "
                     f"{h['load']['records']:,} records loaded in {h['load']['load_s']:.1f} s (untimed); runs {runs}"
                     + (f"; load average (1 min) before/after {load[0]:.1f}/{load[1]:.1f} on {os.cpu_count()} cores" if load else "") + ".")
    for r in cases:
        rows = (r.get("rebuild") or r.get("build") or {}).get("rollup_rows")
        if rows:
            notes.append(f"{r['database']}, {r['records']:,} records: {rows:,} rollup rows "
                         f"({rows / r['records']:.2f} per record); a city or province root reads every rollup row "
                         "of its subtree through the closure table (the coarser rollup tier of issue 17 item 3 "
                         "is not built).")
    if notes:
        lines += ["", *notes]
    return lines + [""]


def splice_section(text: str, heading: str, section: list[str]) -> str:
    """`text` with the section under `heading` replaced (or inserted before "## How the figures are taken")."""
    block = "\n".join(section).rstrip() + "\n\n"
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        at = next((i for i, line in enumerate(lines) if line.startswith("## How the figures are taken")), len(lines))
        return "".join(lines[:at]) + block + "".join(lines[at:])
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[:start]) + block + "".join(lines[end:])


# ------------------------------------------------------------------------------ import (issue 14 item 9)

IMPORT_HEADING = "## Import (issue 14 item 9)"


def run_import(rows: int, databases: list[str], formats: str = "xlsx,csv") -> list[dict]:
    """bench/import_bench.py on a fresh database per database (SQLite file / PostgreSQL fazhi_bench_import)."""
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    for database in databases:
        if database == "sqlite":
            for p in WORK.glob("import.sqlite3*"):
                p.unlink()
            url = f"sqlite:///{WORK / 'import.sqlite3'}"
        else:
            _psql("DROP DATABASE IF EXISTS fazhi_bench_import")
            _psql("CREATE DATABASE fazhi_bench_import")
            url = f"{POSTGRES}/fazhi_bench_import"
        out = WORK / f"import-{database}-{rows}-{formats.replace(',', '-')}.json"
        print(f"== import {database}: {rows:,} rows ({formats})", file=sys.stderr, flush=True)
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
        subprocess.run([sys.executable, "-m", "bench.import_bench", "--rows", str(rows), "--formats", formats,
                        "--out", str(out)], cwd=ROOT, env=env, check=True)
        results.append(json.loads(out.read_text(encoding="utf-8")))
    return results


def _imports(args: argparse.Namespace) -> tuple[list[dict], list[dict]]:
    """(rate results, memory results): saved ones (--import-json; a csv-only one is a memory result) or run."""
    if args.import_json:
        saved = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.import_json]
        return [r for r in saved if "xlsx" in r["formats"]], [r for r in saved if "xlsx" not in r["formats"]]
    results = run_import(args.import_rows, [d.strip() for d in args.databases.split(",")])
    memory = run_import(args.import_memory_rows, ["sqlite"], formats="csv") if args.import_memory_rows else []
    return results, memory


def import_section(results: list[dict], memory: list[dict], notes: list[str] | None = None) -> list[str]:
    """Import rate against the raw read rate of the same file (same run), and the import's peak memory."""
    lines = [
        IMPORT_HEADING,
        "",
        "`bench/import_bench.py`: a generated 人民调解 upstream export (14 columns as the register's template names "
        "them; 70 % concluded with an outcome and a closing date, so most rows also get a 结案 transition; "
        "Excel dates in the .xlsx, text dates 2024年3月5日 / 2024-03-05 / 2024.03.05 in the GB18030 .csv) "
        "committed by `import_run(path=…)` (as `fazhi import` does for a large file) into a fresh database as "
        "the system user: every row checked, staged and written in chunks of 2,000 through `record_bulk_import` "
        "(records, timeline events, clocks, one hash-chained audit row per record, rollups maintained in bulk). "
        "Baseline, same file, same run: python-calamine's raw read of the .xlsx (open + `iter_rows` over every "
        "row); calamine does not read CSV, so the .csv's baseline is stdlib `csv.reader` over the decoded file. "
        "Peak memory is the import process's `ru_maxrss` (it reads the file from the disk); \"before\" is its "
        "resident memory after Django's set-up.",
        "",
        "| database | file | rows | raw read (baseline) | import | ratio | target | holds | peak memory (before) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for fmt, f in r["formats"].items():
            raw, imp = f["raw"], f["import"]
            lines.append(
                f"| {r['database']} | .{fmt} ({imp['file_bytes'] / 1e6:.1f} MB) | {imp['rows']:,} | "
                f"{raw['rate']:,.0f} rows/s ({raw['seconds']:.2f} s) | {imp['rate']:,.0f} rows/s "
                f"({imp['seconds']:.0f} s) | {f['ratio']:.4f}× | ≥ 0.5× | {_ok(f['ratio'] >= 0.5)} | "
                f"{imp['peak_rss_kb'] / 1024:,.0f} MB ({imp['rss_before_kb'] / 1024:,.0f} MB) |")
    if memory:
        lines += ["", "Peak memory against the file's size (same import, more rows):", "",
                  "| database | file | rows | file size | peak memory | before the import | peak − before |",
                  "|---|---|---|---|---|---|---|"]
        for r in sorted([*results, *memory], key=lambda r: (r["database"], r["rows"])):
            for fmt, f in r["formats"].items():
                imp = f["import"]
                lines.append(f"| {r['database']} | .{fmt} | {imp['rows']:,} | {imp['file_bytes'] / 1e6:.1f} MB | "
                             f"{imp['peak_rss_kb'] / 1024:,.0f} MB | {imp['rss_before_kb'] / 1024:,.0f} MB | "
                             f"{(imp['peak_rss_kb'] - imp['rss_before_kb']) / 1024:,.0f} MB |")
    written = [f"{r['database']} .{fmt}: {f['import']['records_written']:,} records, "
               f"{f['import']['events_written']:,} timeline events, {f['import']['audit_rows_written']:,} audit rows"
               for r in results for fmt, f in r["formats"].items()]
    loads = ", ".join(f"{r['database']} {r['load']:.1f} → {r['load_after']:.1f}" for r in [*results, *memory])
    lines += ["", f"Written: {'; '.join(written)}. Load average (1 min) before → after: {loads} on "
              f"{results[0]['cores'] if results else '?'} cores (shared machine)."]
    lines += [f"- {note}" for note in notes or []]
    return lines + [""]
# ------------------------------------------------------------------------------- writes (issue 17 item 4)

WRITES_HEADING = "## Record writes and `fazhi demo` (issue 17 item 4)"


def _fresh_database(database: str, name: str) -> str:
    """The URL of a new empty database `name` (an SQLite file under WORK, or a PostgreSQL database)."""
    WORK.mkdir(parents=True, exist_ok=True)
    if database == "sqlite":
        for p in WORK.glob(f"{name}.sqlite3*"):
            p.unlink()
        return f"sqlite:///{WORK / f'{name}.sqlite3'}"
    _psql(f"DROP DATABASE IF EXISTS {name}")
    _psql(f"CREATE DATABASE {name}")
    return f"{POSTGRES}/{name}"


def _drop_database(database: str, name: str) -> None:
    if database == "sqlite":
        for p in WORK.glob(f"{name}.sqlite3*"):
            p.unlink()
    else:
        _psql(f"DROP DATABASE IF EXISTS {name}")


def run_writes(databases: list[str], *, n: int = 200, demo: bool = True) -> dict:
    """bench/writes_bench.py and bench/demo_bench.py, each in its own process on fresh databases."""
    out: dict = {"create": [], "demo": []}
    for database in databases:
        print(f"== writes {database} (bench.writes_bench)", file=sys.stderr, flush=True)
        target = WORK / f"writes-{database}.json"
        env = {**os.environ, "DATABASE_URL": _fresh_database(database, "fazhi_bench_writes")}
        try:
            subprocess.run([sys.executable, "-m", "bench.writes_bench", "--n", str(n), "--out", str(target)],
                           cwd=ROOT, env=env, check=True)
        finally:
            _drop_database(database, "fazhi_bench_writes")
        out["create"].append(json.loads(target.read_text(encoding="utf-8")))
        if not demo:
            continue
        print(f"== demo {database} (bench.demo_bench)", file=sys.stderr, flush=True)
        target = WORK / f"demo-{database}.json"
        env = {**os.environ, "DATABASE_URL": _fresh_database(database, "fazhi_bench_demo"),
               "BENCH_COPY_URL": _fresh_database(database, "fazhi_bench_demo_copy")}
        try:
            subprocess.run([sys.executable, "-m", "bench.demo_bench", "--out", str(target)], cwd=ROOT, env=env,
                           check=True)
        finally:
            _drop_database(database, "fazhi_bench_demo")
            _drop_database(database, "fazhi_bench_demo_copy")
        out["demo"].append(json.loads(target.read_text(encoding="utf-8")))
    return out


def _load(load: dict) -> str:
    return (f"load average (1 min) {load['before'][0]:.2f} before, {load['after'][0]:.2f} after")


def writes_section(w: dict) -> list[str]:
    """record_create through the web path vs hand-written SQL of the same rows; `fazhi demo` vs executemany."""
    lines = [
        WRITES_HEADING,
        "",
        "`bench/writes_bench.py` (a fresh database per run): a 人民调解 record created by a 人民调解员 through "
        "`record_register` — the call the 登记 page makes, with its access check; the user is read again before "
        "each create, untimed, as each request does — against hand-written SQL writing the same rows in one "
        "transaction (the record, its rollup row, its clock, its timeline event and audit row with both "
        "history chains moved; the rows each wrote are counted per table and must be equal). Interleaved, "
        "medians after 10 warm-up rounds. Statements counted with `connection.execute_wrapper`; on PostgreSQL "
        "a round trip is each statement plus the `BEGIN` and `COMMIT` psycopg sends itself. "
        "`bench/demo_bench.py`: `demo_build()` (what `fazhi demo` runs) on a fresh database, against one bare "
        "`executemany` per table of every row it wrote, into a second fresh database in one transaction "
        "(foreign keys and triggers off).",
        "",
        "| measurement | measured | baseline (same run) | ratio | target | holds |",
        "|---|---|---|---|---|---|",
    ]
    for c in w.get("create", []):
        db = "SQLite" if c["vendor"] == "sqlite" else "PostgreSQL"
        rt = c["round_trips"]
        lines += [
            f"| {db}: `record_register` by a 人民调解员 (web path) | {_ms(c['web_s'])} | {_ms(c['sql_s'])} "
            f"hand-written SQL, same rows | {c['web_ratio']:.2f}× | ≤ 2× | {_ok(c['web_ratio'] <= 2)} |",
            f"| … same, CPU time of this process | {_ms(c['cpu']['web'])} | {_ms(c['cpu']['sql'])} | "
            f"{c['web_cpu_ratio']:.2f}× | (information) | |",
            f"| … `record_create(acting_user=None)` (the earlier, flattering row: no access check) | "
            f"{_ms(c['system_s'])} | {_ms(c['sql_s'])} | {c['system_ratio']:.2f}× | (kept for comparison) | |",
        ]
        if c["vendor"] == "postgresql":
            lines.append(f"| … round trips per create (web path) | {rt['web']} | {rt['sql']} hand-written SQL | "
                         f"{rt['web'] / rt['sql']:.2f}× | ≤ 4 | {_ok(rt['web'] <= 4)} |")
        else:
            lines.append(f"| … statements per create (web path) | {rt['web']} | {rt['sql']} hand-written SQL | "
                         f"{rt['web'] / rt['sql']:.2f}× | (information) | |")
    for d in w.get("demo", []):
        db = "SQLite" if d["vendor"] == "sqlite" else "PostgreSQL"
        lines.append(
            f"| {db}: `fazhi demo` ({d['records']:,} records, {d['rows']:,} rows, {d['statements']:,} statements) | "
            f"{_ms(d['demo_s'])} | {_ms(d['baseline_s'])} bare executemany of the same rows | {d['ratio']:.1f}× | "
            f"≤ 2× | {_ok(d['ratio'] <= 2)} |")
    for b in w.get("before", []):  # the same benchmark on the code before issue 17's changes (information)
        db = "SQLite" if b["vendor"] == "sqlite" else "PostgreSQL"
        lines.append(
            f"| {db}, before issue 17 item 4 ({b['commit']}): `record_register` (web path) | {_ms(b['web_s'])} "
            f"(CPU {_ms(b['cpu']['web'])}) | {_ms(b['sql_s'])} (CPU {_ms(b['cpu']['sql'])}) | {b['web_ratio']:.2f}× "
            f"(CPU {b['web_cpu_ratio']:.2f}×), {b['round_trips']['web']} "
            f"{'round trips' if b['vendor'] == 'postgresql' else 'statements'} | (kept for comparison) | |")
    if not w.get("demo"):
        lines.append("| `fazhi demo` vs a bare executemany of all its rows | not measured in this run | | | ≤ 2× | – |")
    notes = []
    for c in w.get("create", []):
        kinds = ", ".join(f"{k} {v}" for k, v in c["statements"]["web"]["kinds"].items())
        notes.append(f"{c['vendor']}: {c['n']} creates of each kind, {_load(c['load_average'])}; the web path's "
                     f"statements: {kinds}")
    for d in w.get("demo", []):
        top = ", ".join(f"{k} {v}" for k, v in list(d["statement_kinds"].items())[:6])
        notes.append(f"{d['vendor']} demo: CPU time of the process {d['demo_cpu_s']:.1f} s, "
                     f"{_load(d['load_average'])}; statements by kind: {top}")
    return lines + [
        "", "; ".join(notes) + ". The machine has 2 cores shared with other work: "
        "wall-clock figures include waits for a busy CPU (the CPU-time row is less disturbed by it).",
        "",
        "What a create sends on PostgreSQL (web path): `BEGIN`; the access check (one fixed statement: memberships "
        "× closure, no queryset built per call); the closed-year check (one statement for all the years the "
        "record touches); the record; its rollup upsert; its clock; both history chain heads locked in one "
        "`SELECT … FOR UPDATE`; the timeline event; the audit row; both heads moved in one `UPDATE`; `COMMIT`. "
        "Before issue 17 it also checked access twice (record_register, then record_create), opened three "
        "savepoints (six statements) and locked and moved each chain head separately. ≤ 4 round trips is not "
        "reached: the hand-written SQL itself needs 9, because each history row's SHA-256 chains on its "
        "predecessor's hash, which must be read (locked) before the row can be written; reaching 4 would need "
        "the hash computed in the database or the statements pipelined (psycopg pipeline mode), not done.",
        "",
    ]


# ------------------------------------------------------------------------------------------- the doc

def _sh(cmd: str) -> str:
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = _sh("free -h | awk '/^Mem:/ {print $2}'")
    return {"cpu": cpu, "cores": _sh("nproc"), "memory": mem, "python": platform.python_version(),
            "os": platform.platform()}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _ok(holds: bool) -> str:
    return "yes" if holds else "**no**"


def _indicator_rows(r: dict) -> list[str]:
    ind = r.get("indicators")
    if not ind:
        return []
    one, all_ = ind["one"], ind.get("all")
    rows = [
        f"| all {ind['indicators']} indicators, one district × one year (`indicators_compute`, {one['values']} "
        f"values) | {_ms(one['engine_s'])} | {_ms(one['baseline_s'])} hand-written GROUP BY (previous, flattering comparator) | "
        f"{one['ratio']:.2f}× | ≤ 1.3× | {_ok(one['ratio'] <= 1.3)} |",
    ]
    if "before_analyze_s" in one:
        rows.append(f"| … same, first queries right after the rebuild, before ANALYZE | {_ms(one['before_analyze_s'])} | "
                    "| | (information) | |")
    full = r["districts"] >= 100 and r["records"] >= 10_000_000  # the province size of the requirement
    if r["vendor"] == "sqlite" and full:
        rows.append(f"| … same, absolute | {_ms(one['engine_s'])} | | | ≤ 1 s on SQLite at province size | "
                    f"{_ok(one['engine_s'] <= 1)} |")
    if not all_:
        rows.append("| all indicators, all districts × 5 years | not measured (run did not get this far) | | | "
                    "≤ 30 s | – |")
        return rows
    size_note = "" if full else " (not at the province size)"
    rows.append(
        f"| all indicators, all {all_['units']} districts × {all_['periods']} years (one call, "
        f"{all_['values']} values) | {_ms(all_['engine_s'])} | {_ms(all_['baseline_s'])} hand-written GROUP BY (previous, flattering comparator) | "
        f"{all_['ratio']:.2f}× | ≤ 30 s (province: 100 districts, 10 M records) | "
        f"{_ok(all_['engine_s'] <= 30)}{size_note} |")
    return rows


def case_table(r: dict) -> list[str]:
    rows = ["| measurement | measured | baseline (same run) | ratio | target | holds |",
            "|---|---|---|---|---|---|", *_indicator_rows(r)]
    cr = r.get("create")
    if cr:
        rows += [
            f"| `record_create` (full service: validation, clocks, timeline, audit, rollup) | {_ms(cr['service_s'])} | "
            f"{_ms(cr['bare_s'])} bare `Record.objects.create` | {cr['service_ratio']:.2f}× | ≤ 1.5× | "
            f"{_ok(cr['service_ratio'] <= 1.5)} |",
            f"| `Record.objects.create` + `rollup_apply` (one transaction) | {_ms(cr['rollup_s'])} | "
            f"{_ms(cr['bare_s'])} bare `Record.objects.create` | {cr['rollup_ratio']:.2f}× | ≤ 1.5× | "
            f"{_ok(cr['rollup_ratio'] <= 1.5)} |",
            f"| … same, vs a bare create inside `transaction.atomic()` | {_ms(cr['rollup_s'])} | "
            f"{_ms(cr['bare_atomic_s'])} | {cr['rollup_vs_atomic']:.2f}× | (information) | |",
        ]
    reb = r.get("rebuild")
    if reb:
        rows.append(
            f"| `rollups_rebuild()` of {r['records']:,} records → {reb['rollup_rows']:,} rollup rows | "
            f"{_ms(reb['django_s'])} | {_ms(reb['raw_s'])} raw `INSERT … SELECT … GROUP BY` | {reb['ratio']:.2f}× | "
            f"≤ 1.5× (aim) | {_ok(reb['ratio'] <= 1.5)} |")
    return rows


def case_notes(r: dict) -> str:
    parts = []
    if r.get("reused"):
        parts.append(f"This case reused an already seeded database and ran only the phases {', '.join(r['phases'])}.")
    if "build" in r:
        parts.append(f"Its rollups were built by `rollups_rebuild()` as untimed setup ({r['build']['seconds']:.0f} s, "
                     f"{r['build']['rollup_rows']:,} rows).")
    reb = r.get("rebuild")
    if reb:
        runs = "; ".join(f"{k.removesuffix('_runs')} " + ", ".join(f"{t:.2f}" for t in v) + " s"
                         for k, v in reb.items() if k.endswith("_runs"))
        parts.append(f"Rebuild runs (each from an empty rollup table, emptied untimed; alternating): {runs}. "
                     f"All candidates produced the same {reb['rollup_rows']:,} rows (checked with EXCEPT both ways).")
    ind = r.get("indicators")
    if ind:
        text = (f"Indicator values checked equal to the indicators evaluated on the baseline's numbers: "
                f"{ind['one']['checked_values']} (one district-year, {ind['one']['terms']} rollup terms)")
        if "all" in ind:
            text += f" and {ind['all']['checked_values']} (all, {ind['all']['terms']} rollup terms)"
        parts.append(text + ".")
    if r.get("create"):
        parts.append(f"Record creates: {r['create']['n']} of each kind, interleaved, after 10 warm-up rounds.")
    parts.append(f"Case wall time {r['elapsed_s'] / 60:.1f} min.")
    return " ".join(parts)


def report_section(report: dict) -> list[str]:
    """The table of bench/report_bench.py's result (issue 5)."""
    targets = report["targets"]
    docx_t, pdf_t, ratio_t = targets["docx_s"], targets["pdf_s"], targets["outside_ratio"]
    repeats = report["repeats"]
    lines = [
        "## Annual report rendering (issue 5)",
        "",
        f"`bench/report_bench.py` on the demo data (`fazhi demo` on "
        f"{'an existing' if report.get('database_reused') else 'a fresh'} {report['database']} database, "
        f"{report['demo_s']:.0f} s untimed), each report as the download view makes it; wall-clock medians of "
        f"{repeats['docx']} runs (.docx) and {repeats['pdf'] or 'no'} runs (PDF) after one untimed warm-up run. "
        "\"Outside the renderer\" is `report_outline()` + `snapshot_latest`/`snapshot_values` + "
        "`report_build`; the PDF is `render_docx` + `docx_to_pdf` (LibreOffice).",
        "",
        "| measurement | measured | baseline (same run) | ratio | target | holds |",
        "|---|---|---|---|---|---|",
    ]
    for r in report["reports"]:
        name = f"{r['unit']} {r['year']}"
        out, docx = r["outside"], r["docx"]
        lines += [
            f"| {name} as .docx: `render_docx` ({r['figures']} figures, {r['docx_bytes'] / 1024:.0f} KB) | "
            f"{_ms(docx['median_s'])} | | | ≤ {docx_t:g} s | {_ok(docx['median_s'] <= docx_t)} |",
            f"| … time outside the renderer vs `render_docx` | {_ms(out['median_s'])} | "
            f"{_ms(docx['median_s'])} `render_docx` | {docx['ratio']:.2f}× | ≤ {ratio_t:g}× | "
            f"{_ok(docx['ratio'] <= ratio_t)} |",
        ]
        pdf = r.get("pdf")
        if not pdf:
            lines.append(f"| {name} as PDF | not measured (no LibreOffice, or `--no-pdf`) | | | ≤ {pdf_t:g} s | – |")
            continue
        startup = report.get("startup")
        lines += [
            f"| {name} as PDF: `render_docx` + `docx_to_pdf` ({r['pages']} pages) | {_ms(pdf['median_s'])} | | | "
            f"≤ {pdf_t:g} s | {_ok(pdf['median_s'] <= pdf_t)} |",
            f"| … time outside the renderer vs the PDF renderer | {_ms(out['median_s'])} | "
            f"{_ms(pdf['median_s'])} `render_docx` + `docx_to_pdf` | {pdf['ratio']:.3f}× | ≤ {ratio_t:g}× | "
            f"{_ok(pdf['ratio'] <= ratio_t)} |",
            f"| … `docx_to_pdf` alone (a new LibreOffice process each time) | {_ms(pdf['convert_s'])} | "
            + (f"{_ms(startup['median_s'])} `docx_to_pdf` of an empty document (LibreOffice start-up) | "
               f"{pdf['convert_s'] / startup['median_s']:.2f}× | (information) | |" if startup else
               "| | (information) | |"),
        ]
    lines += ["", _report_notes(report), ""]
    return lines


def _report_notes(report: dict) -> str:
    parts = []
    for r in report["reports"]:
        out, cold = r["outside"], r["cold"]
        text = (f"{r['unit']} {r['year']}: outside the renderer = definition {_ms(out['definition_s'])} + snapshot "
                f"values {_ms(out['snapshot_s'])} + `report_build` {_ms(out['build_s'])} (medians; runs "
                + ", ".join(f"{t * 1000:.0f}" for t in out["runs"]) + " ms); `render_docx` runs "
                + ", ".join(f"{t * 1000:.0f}" for t in r["docx"]["runs"]) + " ms")
        if "cpu_ratio" in r["docx"]:
            text += (f"; in CPU time (less disturbed by other load) outside {_ms(out['cpu_s'])} vs `render_docx` "
                     f"{_ms(r['docx']['cpu_s'])}, {r['docx']['cpu_ratio']:.2f}×")
        if r.get("pdf"):
            text += ("; PDF runs " + ", ".join(f"{t:.2f}" for t in r["pdf"]["runs"]) + " s, CPU time (this process "
                     f"and LibreOffice) {r['pdf']['cpu_s']:.2f} s")
        text += (f"; first (cold) run: outside {_ms(cold['outside_s'])}, `render_docx` {_ms(cold['docx_s'])}"
                 + (f", PDF {_ms(cold['pdf_s'])}" if "pdf_s" in cold else ""))
        glyphs = r.get("glyphs")
        if glyphs:
            text += (f"; glyph check of the PDF (`fazhi/reports/glyphs.py`): {glyphs['chars']} characters, "
                     f"{glyphs['problem_count']} missing or fallback glyphs")
        parts.append(text + ".")
    if report.get("soffice"):
        parts.append(f"{report['soffice']}.")
    load = report.get("load_average")
    if load:
        parts.append(f"Load average (1 min) before/after: {load['before'][0]:.2f}/{load['after'][0]:.2f} on "
                     f"{report.get('cores', '?')} cores; wall-clock times include any wait for a busy CPU.")
    return " ".join(parts)


def document(results: list[dict], checker: dict | None, info: dict, args_line: str,
             report: dict | None = None, doubling: list[dict] | None = None, serving: dict | None = None) -> str:
    by_db: dict[str, list[dict]] = {}
    for r in results:
        by_db.setdefault(r["vendor"], []).append(r)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{args_line}` (`make bench`); do not edit by hand. Issue 3 item 8 (indicators, rollups, "
        "record writes), issue 5 (annual report as .docx and PDF) and issue 6 (report checker throughput).",
        "",
        "## Machine and run",
        "",
        f"- date: {info['date']}",
        f"- CPU: {info['machine']['cpu']}, {info['machine']['cores']} cores (`nproc`); memory {info['machine']['memory']} "
        "(`free -h`)",
        f"- Python {info['machine']['python']}, {info['machine']['os']}",
        f"- databases: {', '.join(sorted({r['database'] for r in results})) or '—'}",
        "- every figure is the median of repeated runs in the same process (repeats below), as a ratio to a "
        "baseline measured in the same run; wall-clock `time.perf_counter`.",
        *[f"- {note}" for note in info.get("run_notes", [])],
        "",
        "## Data",
        "",
        "Synthetic and deterministic (`bench/seed.py`, seed 1): a province → cities (10 districts each) → districts; "
        "each district has a 司法局 with 法律援助中心, 行政复议办公室, 交调委 and 公调室, and 12 towns/streets "
        "(18 units per district, built with `orgunit_create`). Records of 2021–2025 (opening dates with a mild "
        "upward trend; 78 % 人民调解, 18 % 法律援助, 4 % 行政复议) with the statuses, outcomes, categories and "
        "rollup dimensions of `fazhi/lines/*/register.yaml`, closing dates, amounts (调解补贴, 挽回经济损失), are "
        "inserted in bulk (executemany on SQLite, COPY on PostgreSQL); the rollups are then built by "
        "`rollups_rebuild()`.",
        "",
        "| size | records | districts | org units | rollup rows | seeding (s) | database |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        rollup_rows = (r.get("rebuild") or r.get("build") or {}).get("rollup_rows", 0)
        seeding = f"{r['seed_s']:.0f}" if "seed_s" in r else "(reused)"
        lines.append(f"| {r['size']} | {r['records']:,} | {r['districts']} | {r['units']} | {rollup_rows:,} | "
                     f"{seeding} | {r['database']} |")
    lines += [""]
    for rs in by_db.values():
        lines += [f"## {rs[0]['database']}", "", f"Settings: {rs[0].get('settings', '?')}.", ""]
        for r in rs:
            lines += [f"### {r['size']}: {r['records']:,} records, {r['districts']} district(s)", ""]
            lines += case_table(r)
            lines += ["", case_notes(r), ""]
    if checker:
        lines += [
            "## Report checker (issue 6)",
            "",
            "`bench/checker_bench.py --mb 5` (generated report, one core, CPU time):",
            "",
            "| measurement | measured | baseline (same run) | ratio | target | holds |",
            "|---|---|---|---|---|---|",
            f"| `report_check` throughput on {checker['mb']:.2f} MB | {checker['mb_per_s']:.2f} MB/s "
            f"({checker['seconds']:.2f} s) | {checker['baseline_mb_per_s']:.1f} MB/s regex scan of digit runs "
            f"({checker['baseline_s']:.3f} s) | {checker['ratio']:.1f}× the time | ≥ 1 MB/s on one core | "
            f"{_ok(checker['mb_per_s'] >= 1)} |",
            "",
            "```",
            checker["output"],
            "```",
            "",
        ]
    if doubling:
        lines += checker_doubling_section(doubling)
    if report:
        lines += report_section(report)
    if serving:
        lines += serving_section(serving)
    if any(r.get("honest") for r in results):
        lines += honest_section(results)
    lines += info.get("notes", [])
    return "\n".join(lines).rstrip() + "\n"


def _section_only(write: str | None, heading: str, section: list[str], what: str) -> None:
    """An `--…-only` run: print its section, or replace just that section of the --write file."""
    if not write:
        print("\n".join(section))
        return
    target = ROOT / write
    old = target.read_text(encoding="utf-8") if target.exists() else "# Benchmarks\n\n"
    target.write_text(splice_section(old, heading, section), encoding="utf-8")
    print(f"wrote the {what} section of {write}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="district,city",
                        help="comma-separated: district, city, province, or name:records:districts")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--no-checker", action="store_true")
    parser.add_argument("--no-report", action="store_true", help="leave out the annual report rendering (issue 5)")
    parser.add_argument("--report-json", help="reuse this saved result of bench/report_bench.py instead of running it")
    parser.add_argument("--no-serving", action="store_true", help="leave out the serving benchmark (issue 13)")
    parser.add_argument("--serving-json", help="reuse this saved result of bench/serving_bench.py")
    parser.add_argument("--serving-only", action="store_true",
                        help="run only the serving benchmark; with --write, replace just its section of that file")
    parser.add_argument("--no-import", action="store_true", help="leave out the import benchmark (issue 14)")
    parser.add_argument("--import-only", action="store_true",
                        help="run only the import benchmark; with --write, replace just its section of that file")
    parser.add_argument("--import-rows", type=int, default=int(os.environ.get("BENCH_IMPORT_ROWS", "100000")),
                        help="rows of the import benchmark's files (1000000 for the 1M-row file)")
    parser.add_argument("--import-memory-rows", type=int, default=0,
                        help="also import a .csv of this many rows (e.g. 1000000) on SQLite, to compare peak memory")
    parser.add_argument("--import-json", nargs="*", help="reuse saved results of bench/import_bench.py")
    parser.add_argument("--no-reportcli", action="store_true",
                        help="leave out the CLI / warm PDF / checker-with-platform benchmark (issue 17 items 5–6)")
    parser.add_argument("--reportcli-json", help="reuse this saved result of bench/reportcli_bench.py")
    parser.add_argument("--reportcli-only", action="store_true",
                        help="run only bench/reportcli_bench.py; with --write, replace just its section of that file")
    parser.add_argument("--indicators-only", action="store_true",
                        help="with --from-json: replace just the honest-comparator indicator section of --write")
    parser.add_argument("--no-writes", action="store_true", help="leave out record writes and `fazhi demo` (issue 17)")
    parser.add_argument("--writes-json", help="reuse this saved result of the writes benchmarks")
    parser.add_argument("--writes-only", action="store_true",
                        help="run only the writes benchmarks; with --write, replace just their section of that file")
    parser.add_argument("--writes-n", type=int, default=200, help="writes: creates of each kind")
    parser.add_argument("--no-demo", action="store_true", help="writes: leave out `fazhi demo` (about 2 min per database)")
    parser.add_argument("--write", help="write the markdown report here (e.g. docs/benchmarks.md)")
    parser.add_argument("--from-json", nargs="*", help="only write the report from earlier case JSON files")
    parser.add_argument("--note", action="append", default=[], help="a line for the 'Machine and run' section")
    args = parser.parse_args()

    if args.import_only:
        section = import_section(*_imports(args), notes=args.note)
        _section_only(args.write, IMPORT_HEADING, section, "import")
        return

    if args.writes_only:
        writes = (json.loads(Path(args.writes_json).read_text(encoding="utf-8")) if args.writes_json else
                  run_writes([d.strip() for d in args.databases.split(",")], n=args.writes_n,
                             demo=not args.no_demo))
        (WORK / "writes.json").write_text(json.dumps(writes, ensure_ascii=False), encoding="utf-8")
        _section_only(args.write, WRITES_HEADING, writes_section(writes), "writes")
        return

    if args.serving_only:
        serving = json.loads(Path(args.serving_json).read_text(encoding="utf-8")) if args.serving_json else run_serving()
        _section_only(args.write, SERVING_HEADING, serving_section(serving), "serving")
        return

    if args.reportcli_only:
        reportcli = (json.loads(Path(args.reportcli_json).read_text(encoding="utf-8")) if args.reportcli_json
                     else run_reportcli())
        _section_only(args.write, REPORTCLI_HEADING, reportcli_section(reportcli), "reportcli")
        return

    if args.indicators_only:
        cases = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.from_json or []]
        _section_only(args.write, HONEST_HEADING, honest_section(cases), "honest indicator")
        return

    results: list[dict] = []
    if args.from_json is not None:
        results = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args.from_json]
    else:
        for spec in args.sizes.split(","):
            name, size = _size(spec.strip())
            for database in args.databases.split(","):
                results.append(run_case(name, size, database.strip()))
    checker = None if args.no_checker else run_checker()
    doubling = None if args.no_checker else run_checker_doubling()
    report = None
    if args.report_json:
        report = json.loads(Path(args.report_json).read_text(encoding="utf-8"))
    elif not args.no_report:
        report = run_report()
    reportcli = None
    if args.reportcli_json:
        reportcli = json.loads(Path(args.reportcli_json).read_text(encoding="utf-8"))
    elif not args.no_reportcli:
        reportcli = run_reportcli()
    serving = None
    if args.serving_json:
        serving = json.loads(Path(args.serving_json).read_text(encoding="utf-8"))
    elif not args.no_serving:
        serving = run_serving()
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
            "run_notes": args.note}
    notes_file = ROOT / "bench" / "notes.md"
    if notes_file.exists():
        info["notes"] = notes_file.read_text(encoding="utf-8").splitlines()
    argv = sys.argv[1:]
    args_line = "python -m bench.run " + " ".join("…" if i and argv[i - 1] == "--note" else a for i, a in enumerate(argv))
    text = document(results, checker, info, args_line, report, doubling, serving)
    if not args.no_import:
        text = splice_section(text, IMPORT_HEADING, import_section(*_imports(args)))
    if reportcli:
        text = splice_section(text, REPORTCLI_HEADING, reportcli_section(reportcli))
    writes = None
    if args.writes_json:
        writes = json.loads(Path(args.writes_json).read_text(encoding="utf-8"))
    elif not args.no_writes:
        writes = run_writes([d.strip() for d in args.databases.split(",")], n=args.writes_n,
                             demo=not args.no_demo)
    if writes:
        text = splice_section(text, WRITES_HEADING, writes_section(writes))
    if args.write:
        (ROOT / args.write).write_text(text, encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    else:
        print(text)


if __name__ == "__main__":
    main()
