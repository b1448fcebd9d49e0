"""Where people wait on reports (issue 17 items 5 and 6): `fazhi report -o X.docx` from the shell, the annual
report's PDF from the warm converter, and the checker on real report text with the platform comparison.

    python -m bench.reportcli_bench [--out R.json] [--db DEMO.sqlite3] [--cli-repeats 7] [--pdf-repeats 5]
                                    [--sizes 0.1,1,10]

On a copy of the demo database (`--db`, else the cached one of bench/serving_bench.py, built by `fazhi demo`
when missing), in a temporary FAZHI_VAR_DIR:

- CLI: `python -m fazhi.cli report --unit 东洲区 --year 2024 -o X.docx` run as a new process, wall-clock
  median of the repeats after one untimed run (which also writes the bytecode caches; PYTHONDONTWRITEBYTECODE
  is dropped so every run reads them, as an installed fazhi does). Baselines in the same run: the same command
  through Django's own command line (`python -m django report …`: the system checks run, as `fazhi report` did
  before), `python -c "import django; django.setup()"` with fazhi's settings (the floor of any command) and
  a bare `python -c pass`.
- PDF: the 东洲区 2024 report rendered once to .docx; `docx_to_pdf` with the warm converter running
  (fazhi/reports/pdf_converter.py, started and waited for untimed) against `cold_docx_to_pdf` (a new
  LibreOffice per document) of the same .docx, medians after one untimed conversion each; the warm PDF goes
  through the glyph check of fazhi/reports/glyphs.py, untimed.
- Checker: the seed reports (../shared/seeds, or $FAZHI_SEEDS) repeated to each size, checked by
  `report_check` with unit 东洲区 and year 2024 against the demo snapshot of 东洲区 2024 (read once, as
  `fazhi check --unit … --year …` reads it); CPU time (best of 3 below 1 MB), beside the same text checked
  without the platform comparison and the regex scan of digit runs of bench/checker_bench.py.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT, YEAR = "东洲区", 2024
CLI_TARGET_S = 0.5
PDF_TARGET_S = 1.0
CHECKER_TARGET_MB_S = 2.0
LINEAR_TARGET = 1.3  # seconds per MB at the largest size ≤ this × at the smallest


def log(msg: str) -> None:
    print(f"[reportcli {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _env(var_dir: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FAZHI_", "DJANGO_", "DATABASE_URL")) and k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), FAZHI_VAR_DIR=str(var_dir), DATABASE_URL=f"sqlite:///{database}",
               FAZHI_SECRET_KEY="fazhi-reportcli-bench-" + "k" * 40, FAZHI_PDF_CONVERTER="off")
    if os.environ.get("FAZHI_SEEDS"):
        env["FAZHI_SEEDS"] = os.environ["FAZHI_SEEDS"]
    return env


def _wall(cmd: list[str], env: dict[str, str], cwd: Path, repeats: int) -> dict:
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True, timeout=300)  # untimed first run
    runs, cpus = [], []
    for _ in range(repeats):
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True, timeout=300)
        runs.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
    # CPU time (user + system of the finished process), which a loaded machine disturbs less than wall time
    return {"median_s": statistics.median(runs), "min_s": min(runs), "runs": [round(r, 4) for r in runs],
            "cpu_s": statistics.median(cpus)}


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_cli(env: dict[str, str], work: Path, repeats: int) -> dict:
    py = sys.executable
    out = work / "东洲区2024.docx"
    args = ["report", "--unit", UNIT, "--year", str(YEAR), "-o", str(out)]
    django_env = {**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    result = {
        "fazhi_report": _wall([py, "-m", "fazhi.cli", *args], env, work, repeats),
        "django_report": _wall([py, "-m", "django", *args], django_env, work, repeats),
        "django_setup": _wall([py, "-c", "import django; django.setup()"], django_env, work, repeats),
        "python": _wall([py, "-c", "pass"], env, work, repeats),
    }
    result["docx_bytes"] = out.stat().st_size
    return result


def _median_of(fn, repeats: int) -> tuple[float, list[float]]:
    fn()  # untimed
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), runs


def bench_pdf(repeats: int, cold_repeats: int) -> dict:
    from fazhi.core.models import OrgUnit
    from fazhi.core.periods import period_parse
    from fazhi.indicators.selectors import snapshot_latest
    from fazhi.reports.glyphs import docx_font_names, pdf_glyph_check
    from fazhi.reports.pdf import cold_docx_to_pdf, docx_to_pdf
    from fazhi.reports.pdf_converter import (
        ENV_ADDRESS,
        pdf_converter_available,
        pdf_converter_start,
        pdf_converter_wait,
    )
    from fazhi.reports.registry import report_outline
    from fazhi.reports.render import render_docx
    from fazhi.reports.selectors import report_document

    why = pdf_converter_available()
    if why is not None:
        return {"unavailable": why}
    unit = OrgUnit.objects.get(name=UNIT)
    period = period_parse(str(YEAR))
    snapshot = snapshot_latest(None, org_unit=unit, period=period)
    doc = report_document(definition=report_outline(), unit=unit, period=period, snapshot=snapshot)
    docx = render_docx(doc)
    os.environ.pop(ENV_ADDRESS, None)
    started = time.perf_counter()
    converter = pdf_converter_start()
    assert converter is not None
    try:
        if not pdf_converter_wait(converter):
            return {"unavailable": "the warm converter did not answer"}
        start_s = time.perf_counter() - started
        warm_s, warm_runs = _median_of(lambda: docx_to_pdf(docx), repeats)
        pdf = docx_to_pdf(docx)
    finally:
        converter.stop()
    cold_s, cold_runs = _median_of(lambda: cold_docx_to_pdf(docx), cold_repeats)
    check = pdf_glyph_check(pdf, fonts=docx_font_names(docx))
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        pages = len(opened.pages)
    return {"warm_s": warm_s, "warm_runs": [round(r, 3) for r in warm_runs], "cold_s": cold_s,
            "cold_runs": [round(r, 3) for r in cold_runs], "converter_start_s": start_s, "pages": pages,
            "glyph_problems": len(check.problems), "glyph_chars": check.chars}


def _cpu(fn, best_of: int) -> float:
    best = float("inf")
    for _ in range(best_of):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


@contextlib.contextmanager
def _every_value_scored():
    """The platform comparison as it was before its index (issue 17 item 5): each claim's subject scored
    against the name of every value, the characters and bigrams of both rebuilt for every pair."""
    from fazhi.checker import compare
    from fazhi.checker.relations import similarity

    real = compare.IndicatorIndex.candidates

    def candidates(self, subject, unit):
        values = sorted((e for entries, _g in self._by_unit.values() for e in entries), key=lambda e: e[0])
        cu = compare._unit(unit)
        found = []
        for _position, iv, _n in values:
            iu = compare._unit(iv.unit)
            if iu != cu and not (cu in ("万元", "亿元") and iu == "元") and not (cu == "成" and iu == "%"):
                continue
            if compare._negated_only_in(iv.name, subject):
                continue
            score = similarity(subject, iv.name)
            if score >= compare.MATCH_SIMILARITY:
                found.append((score, iv))
        found.sort(key=lambda pair: -pair[0])
        return found

    compare.IndicatorIndex.candidates = candidates
    try:
        yield
    finally:
        compare.IndicatorIndex.candidates = real


def bench_checker(sizes: list[float]) -> dict:
    import re

    from bench.checker_bench import seed_text
    from fazhi.checker.platform_source import PlatformIndicatorSource
    from fazhi.checker.service import report_check

    source = PlatformIndicatorSource()
    values = source.indicator_values(UNIT, YEAR)

    class Snapshot:  # the snapshot's values, read once (as one `fazhi check --unit --year` reads them)
        def indicator_values(self, unit: str, year: int):
            return values

    rows = []
    for mb in sizes:
        text = seed_text(mb)
        size = len(text.encode("utf-8")) / 1024 / 1024
        best_of = 3 if size < 1 else 1
        result = report_check(text=text, unit=UNIT, year=YEAR, indicator_source=Snapshot())
        seconds = _cpu(lambda text=text: report_check(text=text, unit=UNIT, year=YEAR, indicator_source=Snapshot()),
                       best_of)
        plain = _cpu(lambda text=text: report_check(text=text), best_of)
        before = None
        if size <= 1.5:  # the comparison as it was, every claim scored against every value (slow: small texts only)
            with _every_value_scored():
                before = _cpu(lambda text=text: report_check(text=text, unit=UNIT, year=YEAR,
                                                             indicator_source=Snapshot()), 1)
        scan = _cpu(lambda text=text: sum(1 for _ in re.finditer(r"\d+(?:\.\d+)?", text)), 3)
        rows.append({"mb": round(size, 3), "seconds": seconds, "mb_per_s": size / seconds, "plain_s": plain,
                     "before_s": before,
                     "scan_s": max(scan, 1e-6), "claims": len(result.claims),
                     "indicator_relations": sum(r.kind == "indicator" for r in result.relations),
                     "mismatches": sum(f.kind == "data_mismatch" for f in result.findings)})
        log(f"checker {size:.2f} MB: {seconds:.2f} s CPU ({size / seconds:.2f} MB/s); without the platform "
            f"comparison {plain:.2f} s")
        del text, result
    return {"values": len(values), "notes": source.notes, "rows": rows}


def demo_copy(db: str | None, work: Path) -> Path:
    if db:
        source = Path(db)
    else:
        from bench.serving_bench import demo_database

        source, _seconds = demo_database()
    target = work / "demo.sqlite3"
    shutil.copy(source, target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out")
    parser.add_argument("--db", help="a demo SQLite database to copy (default: bench/serving_bench.py's cache)")
    parser.add_argument("--cli-repeats", type=int, default=7)
    parser.add_argument("--pdf-repeats", type=int, default=5)
    parser.add_argument("--cold-repeats", type=int, default=3)
    parser.add_argument("--sizes", default="0.1,1,10")
    parser.add_argument("--skip", default="", help="comma-separated: cli, pdf, checker")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    work = Path(tempfile.mkdtemp(prefix="reportcli-bench-"))
    try:
        database = demo_copy(args.db, work)
        env = _env(work, database)
        result: dict = {"load_average_start": os.getloadavg(), "cores": os.cpu_count()}
        if "cli" not in skip:
            log("CLI start-up")
            result["cli"] = bench_cli(env, work, args.cli_repeats)
        os.environ.update({k: v for k, v in env.items() if k in ("FAZHI_VAR_DIR", "DATABASE_URL", "FAZHI_SECRET_KEY")})
        os.environ.pop("FAZHI_PDF_CONVERTER", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        if "pdf" not in skip:
            log("PDF, warm and cold")
            result["pdf"] = bench_pdf(args.pdf_repeats, args.cold_repeats)
        if "checker" not in skip:
            log("checker with the platform comparison")
            result["checker"] = bench_checker([float(s) for s in args.sizes.split(",")])
        result["load_average_end"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)


if __name__ == "__main__":
    main()
