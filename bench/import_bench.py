"""Import benchmark (issue 14 item 9): a generated 人民调解 upstream export (.xlsx and GB18030 .csv) imported
by `import_run` (rows checked and staged, records with their timeline, clocks, audit rows and rollups
written in chunks), against python-calamine's raw read of the same .xlsx (and stdlib csv's of the .csv:
calamine does not read CSV), measured in the same run, with the import's peak memory.

    DATABASE_URL=... python -m bench.import_bench --rows 100000 [--formats xlsx,csv] --out R.json

The database must be empty (bench/run.py makes a fresh one): it is migrated and given an org tree here.
Files are generated once into $BENCH_DIR/import/ and reused. Each import runs in its own process
(`--child`), which reads the file from the disk (`import_run(path=…)`, as `fazhi import` does for a large
file) and reports its time and peak resident memory (ru_maxrss) beside its resident memory before the import.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/bench")) / "import"
REGISTER = "people_mediation"
TOWNS = ["第1区第1街道", "第1区第2镇", "第1区第3镇", "第1区第4街道", "第1区第5镇"]
HEADERS = ["编号", "承办单位", "受理日期", "调解组织类型", "纠纷类型", "申请人", "纠纷简要情况", "调解员", "协议形式",
           "申请司法确认", "调解补贴（元）", "状态", "结果", "办结日期"]
ORGANIZATIONS = ["村（居）人民调解委员会", "乡镇（街道）人民调解委员会"]
DISPUTES = ["婚姻家庭", "邻里纠纷", "房屋宅基地", "合同纠纷", "损害赔偿", "劳动争议"]
SUMMARIES = ["因宅基地边界发生争执，双方各执一词", "邻里间因排水问题产生矛盾", "婚后财产分割协商未果",
             "拖欠务工报酬，多次催要未付", "车辆刮擦赔偿金额有分歧", "租赁合同到期押金未退"]
MEDIATORS = ["张建国", "李秀英", "王海涛", "刘淑珍", "陈志强"]


def log(msg: str) -> None:
    print(f"[import {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _rows(n: int, prefix: str, excel: bool):
    """Realistic rows: 70% concluded with an outcome and a closing date, some still mediating or registered;
    dates as Excel dates (.xlsx) or in the text forms upstream systems write (.csv)."""
    rng = random.Random(14)
    start = dt.date(2024, 1, 1)
    for i in range(n):
        opened = start + dt.timedelta(days=rng.randrange(0, 600))
        r = rng.random()
        status, outcome, closed = ("已结案", rng.choice(["调解成功", "调解成功", "调解成功", "调解不成功"]),
                                   opened + dt.timedelta(days=rng.randrange(1, 40))) if r < 0.7 else (
            ("调解中", "", None) if r < 0.9 else ("已受理", "", None))
        if excel:
            opened_cell, closed_cell = dt.datetime(opened.year, opened.month, opened.day), (
                dt.datetime(closed.year, closed.month, closed.day) if closed else None)
        else:
            opened_cell = opened.isoformat() if i % 2 else f"{opened.year}年{opened.month}月{opened.day}日"
            closed_cell = closed.strftime("%Y.%m.%d") if closed else ""
        yield [f"{prefix}{i:07d}", TOWNS[i % len(TOWNS)], opened_cell, rng.choice(ORGANIZATIONS), rng.choice(DISPUTES),
               None if excel else "", f"{rng.choice(SUMMARIES)}（{i}）", rng.choice(MEDIATORS),
               rng.choice(["书面协议", "口头协议"]), rng.choice(["是", "否"]), rng.choice([0, 100, 200, 300.5]),
               status, outcome, closed_cell]


def files_make(n: int, formats: list[str]) -> dict[str, Path]:
    WORK.mkdir(parents=True, exist_ok=True)
    made = {}
    for fmt in formats:
        path = WORK / f"mediation-{n}.{fmt}"
        if not path.exists():
            t = time.perf_counter()
            tmp = path.with_suffix(".tmp")
            if fmt == "xlsx":
                from openpyxl import Workbook

                book = Workbook(write_only=True)
                sheet = book.create_sheet("人民调解案件")
                sheet.append(HEADERS)
                for row in _rows(n, "TJX", excel=True):
                    sheet.append(row)
                book.save(tmp)
            else:
                with open(tmp, "w", encoding="gb18030", newline="") as f:
                    writer = csv.writer(f)
                    writer.writerow(HEADERS)
                    writer.writerows(_rows(n, "TJC", excel=False))
            tmp.rename(path)
            log(f"generated {path.name} in {time.perf_counter() - t:.1f}s")
        made[fmt] = path
    return made


def raw_read(path: Path) -> dict:
    """The baseline: every row of the file read once (python-calamine for .xlsx, stdlib csv for .csv)."""
    t = time.perf_counter()
    rows = 0
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_path(str(path))
        for _ in book.get_sheet_by_name(book.sheet_names[0]).iter_rows():
            rows += 1
    else:
        with open(path, encoding="gb18030", newline="") as f:
            for _ in csv.reader(f):
                rows += 1
    seconds = time.perf_counter() - t
    return {"rows": rows - 1, "seconds": seconds, "rate": (rows - 1) / seconds}


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def child(path: Path) -> None:
    """One import in this process; prints its JSON result."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from fazhi.core.models import AuditEvent
    from fazhi.imports.services import import_run
    from fazhi.registers.models import Record, RecordEvent

    records, events, audits = Record.objects.count(), RecordEvent.objects.count(), AuditEvent.objects.count()
    before = _rss_kb()
    t = time.perf_counter()
    result = import_run(acting_user=None, register=REGISTER, filename=path.name, path=path)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from django.db.models import Sum

    from fazhi.registers.models import RecordRollup

    rolled = RecordRollup.objects.filter(register=REGISTER).aggregate(n=Sum("count"))["n"] or 0
    print(json.dumps({
        "rows": result.rows, "accepted": result.accepted, "rejected": result.rejected, "committed": result.committed,
        "errors": [e.message for e in result.errors[:5]], "seconds": seconds, "rate": result.rows / seconds,
        "rss_before_kb": before, "peak_rss_kb": peak, "file_bytes": path.stat().st_size,
        "records_written": Record.objects.count() - records, "events_written": RecordEvent.objects.count() - events,
        "audit_rows_written": AuditEvent.objects.count() - audits, "rollup_count_total": rolled,
    }))


def setup_database() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from fazhi.core.models import OrgUnitKind
    from fazhi.core.services import orgunit_create

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        province = orgunit_create(acting_user=None, name="某省", kind=OrgUnitKind.PROVINCE, division_code="330000")
        city = orgunit_create(acting_user=None, name="第1市", kind=OrgUnitKind.CITY, parent=province,
                              division_code="330100")
        district = orgunit_create(acting_user=None, name="第1区", kind=OrgUnitKind.DISTRICT, parent=city,
                                  division_code="330101")
        for name in TOWNS:
            orgunit_create(acting_user=None, name=name, kind=OrgUnitKind.STREET if "街道" in name else OrgUnitKind.TOWN,
                           parent=district)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--out")
    parser.add_argument("--child", help="(internal) import this file in this process")
    parser.add_argument("--make-only", action="store_true", help="only generate the files")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return
    formats = args.formats.split(",")
    files = files_make(args.rows, formats)
    if args.make_only:
        return
    setup_database()
    out: dict = {"rows": args.rows, "database": os.environ.get("DATABASE_URL", "sqlite").split(":")[0],
                 "cores": os.cpu_count(), "load": os.getloadavg()[0], "formats": {}}
    for fmt, path in files.items():
        raw = raw_read(path)
        log(f"{fmt}: raw read {raw['rate']:,.0f} rows/s; importing {args.rows:,} rows …")
        done = subprocess.run([sys.executable, "-m", "bench.import_bench", "--child", str(path)], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            sys.exit(f"import failed:\n{done.stderr[-4000:]}")
        imported = json.loads(done.stdout.strip().splitlines()[-1])
        log(f"{fmt}: import {imported['rate']:,.0f} rows/s, peak {imported['peak_rss_kb'] / 1024:,.0f} MB")
        out["formats"][fmt] = {"raw": raw, "import": imported, "ratio": imported["rate"] / raw["rate"]}
    out["load_after"] = os.getloadavg()[0]
    text = json.dumps(out, indent=2, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
