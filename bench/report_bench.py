"""How long one district's annual report takes as .docx and as PDF (issue 5), and how much of it is spent
outside the renderer.

    python -m bench.report_bench [--out report.json] [--docx-repeats 5] [--pdf-repeats 3] [--db PATH] [--profile]

Runs in its own process on a fresh SQLite database in a temporary directory (DATABASE_URL is set here,
whatever the environment says): `migrate` and the demo data, by the code of `fazhi demo`
(`call_command("demo")`, about a minute), which also freezes the snapshots of 东洲区 2024 and 西市区 2025.
Then, for each of those reports, as the download view (fazhi/web/report_views.py) does it:

- outside the renderer: `report_outline()` + `snapshot_latest` + `snapshot_values` + `report_build`
- .docx: `render_docx(doc)`
- PDF: `render_docx(doc)` + `docx_to_pdf(…)`; `docx_to_pdf` starts a new LibreOffice process with a new
  private profile for every call, so its start-up is part of every PDF (measured alone on an empty document)

Each report's PDF goes through the glyph check of fazhi/reports/glyphs.py, untimed.

Wall-clock medians (`time.perf_counter`) of the repeats after one untimed warm-up pass, whose times are kept
as the cold figures; CPU times too (`process_time`; for the PDF with LibreOffice's), which a busy machine
disturbs less. `--db PATH` reuses (or creates) that SQLite file instead, to iterate quickly. Prints the
result as JSON (or writes it to --out); bench/run.py runs this as a subprocess and writes its table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCX_TARGET_S = 1.5
PDF_TARGET_S = 6.0
OUTSIDE_RATIO_TARGET = 0.5
REPORTS = (("东洲区", 2024), ("西市区", 2025))

STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[report {time.perf_counter() - STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def _cpu() -> float:
    """CPU seconds of this process and its finished children (LibreOffice)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _median(runs: list[float]) -> float:
    return statistics.median(runs) if runs else float("nan")


def soffice_version() -> str | None:
    from fazhi.reports.pdf import soffice_path

    soffice = soffice_path()
    if soffice is None:
        return None
    try:
        out = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return soffice
    return out.strip() or soffice


class Report:
    """One district-year: the steps of the download view, each timed."""

    def __init__(self, unit_name: str, year: int):
        from fazhi.core.models import OrgUnit
        from fazhi.core.periods import period_parse

        self.unit = OrgUnit.objects.get(name=unit_name)
        self.period = period_parse(str(year))

    def outside(self) -> tuple[dict, object]:
        """Everything before a renderer runs; the parts' times and the document."""
        from fazhi.indicators.selectors import snapshot_latest, snapshot_values
        from fazhi.reports.builder import report_build
        from fazhi.reports.registry import ReportOutlineUnavailable, report_outline

        cpu = time.process_time()
        t0 = time.perf_counter()
        try:
            definition = report_outline()  # loaded once at start-up; this is the lookup the views do
        except ReportOutlineUnavailable as exc:
            raise SystemExit(f"report definition does not load: {exc}") from exc
        t1 = time.perf_counter()
        snapshot = snapshot_latest(None, org_unit=self.unit, period=self.period)
        values = snapshot_values(snapshot)
        t2 = time.perf_counter()
        doc = report_build(definition=definition, unit=self.unit, period=self.period, values=values)
        t3 = time.perf_counter()
        return {"s": t3 - t0, "definition_s": t1 - t0, "snapshot_s": t2 - t1, "build_s": t3 - t2,
                "cpu_s": time.process_time() - cpu}, doc


def measure_report(unit_name: str, year: int, *, docx_repeats: int, pdf_repeats: int, pdf: bool) -> dict:
    from fazhi.indicators.selectors import snapshot_latest
    from fazhi.indicators.services import snapshot_freeze
    from fazhi.reports.document import Heading
    from fazhi.reports.pdf import docx_to_pdf
    from fazhi.reports.render import render_docx, render_text

    report = Report(unit_name, year)
    if snapshot_latest(None, org_unit=report.unit, period=report.period) is None:  # `fazhi demo` froze one
        snapshot_freeze(acting_user=None, org_unit=report.unit, period=report.period, note="report_bench")
    # Warm-up pass, untimed in the medians: imports (python-docx, lxml), caches, LibreOffice's files.
    cold_outside, doc = report.outside()
    started = time.perf_counter()
    docx = render_docx(doc)
    cold = {"outside_s": cold_outside["s"], "docx_s": time.perf_counter() - started}
    result: dict = {
        "unit": unit_name, "year": year, "figures": len(doc.figures()),
        "headings": sum(isinstance(b, Heading) for b in doc.blocks),
        "paragraphs": sum(not isinstance(b, Heading) for b in doc.blocks),
        "characters": len(render_text(doc)), "docx_bytes": len(docx), "cold": cold,
    }
    if pdf:
        started = time.perf_counter()
        pdf_bytes = docx_to_pdf(render_docx(doc))
        cold["pdf_s"] = time.perf_counter() - started
        result.update(pdf_bytes=len(pdf_bytes), **_pdf_facts(pdf_bytes, docx))

    outside_runs: list[dict] = []
    docx_runs: list[float] = []
    docx_cpu_runs: list[float] = []
    pdf_runs: list[float] = []
    convert_runs: list[float] = []
    pdf_cpu_runs: list[float] = []
    for i in range(max(docx_repeats, pdf_repeats if pdf else 0)):
        parts, doc = report.outside()
        outside_runs.append(parts)
        if i < docx_repeats:
            cpu, started = time.process_time(), time.perf_counter()
            render_docx(doc)
            docx_runs.append(time.perf_counter() - started)
            docx_cpu_runs.append(time.process_time() - cpu)
        if pdf and i < pdf_repeats:
            cpu = _cpu()
            started = time.perf_counter()
            docx = render_docx(doc)
            rendered = time.perf_counter()
            docx_to_pdf(docx)
            ended = time.perf_counter()
            pdf_runs.append(ended - started)
            convert_runs.append(ended - rendered)
            pdf_cpu_runs.append(_cpu() - cpu)
    outside_s = _median([p["s"] for p in outside_runs])
    result["outside"] = {"median_s": outside_s, "runs": [p["s"] for p in outside_runs],
                         **{k: _median([p[k] for p in outside_runs]) for k in ("definition_s", "snapshot_s", "build_s", "cpu_s")}}
    docx_s = _median(docx_runs)
    result["docx"] = {"median_s": docx_s, "runs": docx_runs, "target_s": DOCX_TARGET_S,
                      "holds": docx_s <= DOCX_TARGET_S, "ratio": outside_s / docx_s,
                      "ratio_holds": outside_s / docx_s <= OUTSIDE_RATIO_TARGET, "cpu_s": _median(docx_cpu_runs),
                      "cpu_ratio": result["outside"]["cpu_s"] / _median(docx_cpu_runs)}
    if pdf:
        pdf_s = _median(pdf_runs)
        result["pdf"] = {"median_s": pdf_s, "runs": pdf_runs, "convert_s": _median(convert_runs),
                         "convert_runs": convert_runs, "cpu_s": _median(pdf_cpu_runs), "target_s": PDF_TARGET_S,
                         "holds": pdf_s <= PDF_TARGET_S, "ratio": outside_s / pdf_s,
                         "ratio_holds": outside_s / pdf_s <= OUTSIDE_RATIO_TARGET}
    return result


def _pdf_facts(pdf: bytes, docx: bytes) -> dict:
    """Pages, and the glyph check (untimed): a fast PDF with tofu in it would be no result."""
    import pdfplumber

    from fazhi.reports.glyphs import docx_font_names, pdf_glyph_check

    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        pages = len(opened.pages)
    facts: dict = {"pages": pages}
    if shutil.which("fc-list") and shutil.which("fc-match"):
        check = pdf_glyph_check(pdf, fonts=docx_font_names(docx))
        facts["glyphs"] = {"chars": check.chars, "problems": [str(p) for p in check.problems[:20]],
                           "problem_count": len(check.problems)}
    return facts


def measure_startup(repeats: int) -> dict:
    """`docx_to_pdf` of a document with nothing but a title: LibreOffice's start-up with a new profile."""
    from fazhi.reports.document import Document
    from fazhi.reports.pdf import docx_to_pdf
    from fazhi.reports.render import render_docx

    docx = render_docx(Document(title="空"))
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        docx_to_pdf(docx)
        runs.append(time.perf_counter() - started)
    return {"median_s": _median(runs), "runs": runs}


def profile(unit_name: str, year: int) -> None:
    """cProfile of the outside part and of `render_docx`, to stderr."""
    import cProfile
    import pstats

    from fazhi.reports.render import render_docx

    report = Report(unit_name, year)
    _, doc = report.outside()
    render_docx(doc)
    for name, fn in (("outside the renderer", report.outside), ("render_docx", lambda: render_docx(doc))):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            fn()
        profiler.disable()
        print(f"\n=== {name}: {unit_name} {year}, 5 calls", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="write the JSON here (default: print it)")
    parser.add_argument("--docx-repeats", type=int, default=5)
    parser.add_argument("--pdf-repeats", type=int, default=3)
    parser.add_argument("--db", type=Path, help="use (or create) this SQLite file instead of a fresh temporary one")
    parser.add_argument("--no-pdf", action="store_true", help="leave LibreOffice out")
    parser.add_argument("--profile", action="store_true", help="also print cProfile of the first report to stderr")
    args = parser.parse_args()

    workdir = None
    if args.db is None:
        workdir = Path(tempfile.mkdtemp(prefix="fazhi-report-bench-"))
        database = workdir / "report.sqlite3"
    else:
        database = args.db.resolve()
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    load_before = os.getloadavg()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        log(f"database {database}: migrate + demo (`fazhi demo`)")
        started = time.perf_counter()
        call_command("demo", stdout=io.StringIO())
        demo_s = time.perf_counter() - started
        log(f"demo ready in {demo_s:.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()")
            db_version = f"SQLite {cursor.fetchone()[0]}"
        version = None if args.no_pdf else soffice_version()
        pdf = version is not None
        if not pdf:
            log("no LibreOffice (or --no-pdf): PDF not measured")
        result: dict = {
            "database": db_version, "database_reused": args.db is not None, "demo_s": demo_s, "soffice": version,
            "repeats": {"docx": args.docx_repeats, "pdf": args.pdf_repeats if pdf else 0},
            "targets": {"docx_s": DOCX_TARGET_S, "pdf_s": PDF_TARGET_S, "outside_ratio": OUTSIDE_RATIO_TARGET},
            "reports": [],
        }
        for unit_name, year in REPORTS:
            log(f"{unit_name} {year}")
            one = measure_report(unit_name, year, docx_repeats=args.docx_repeats, pdf_repeats=args.pdf_repeats,
                                 pdf=pdf)
            result["reports"].append(one)
            text = (f"  outside {one['outside']['median_s'] * 1000:.1f} ms, docx {one['docx']['median_s'] * 1000:.1f} ms "
                    f"(ratio {one['docx']['ratio']:.2f})")
            if pdf:
                text += f", pdf {one['pdf']['median_s']:.2f} s (ratio {one['pdf']['ratio']:.3f})"
            log(text)
        if pdf:
            log("LibreOffice start-up (empty document)")
            result["startup"] = measure_startup(args.pdf_repeats)
        if args.profile:
            profile(*REPORTS[0])
        result["load_average"] = {"before": list(load_before), "after": list(os.getloadavg())}
        result["cores"] = os.cpu_count()
        result["elapsed_s"] = time.perf_counter() - STARTED
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        log(f"wrote {args.out}")
    else:
        print(text)


if __name__ == "__main__":
    main()
