"""Throughput of the report checker on a generated multi-MB report.

    .venv/bin/python bench/checker_bench.py [--mb 5] [--seed 1]
    .venv/bin/python bench/checker_bench.py --doubling [--kinds seeds,tables] [--mb 1] [--steps 4] [--json F]

Prints MB/s (UTF-8 bytes of input per second, one core) for ``report_check`` and, measured in the same
run over the same text, for a plain regex scan of every digit run (the baseline), and their ratio.

``--doubling`` checks texts of 1, 2, 4, 8 MB (``--mb`` × 2**i) of each kind — the seed reports repeated
(``seeds``), long tables written one cell a line with some wrong shares (``tables``), the generated
report (``generated``) — and prints, per doubling, the checker's time ratio (≈ 2 is linear) beside the
baseline's over the same texts in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

from fazhi.checker.extract import check_text  # noqa: E402
from fazhi.checker.render import stream_json  # noqa: E402
from fazhi.checker.service import report_check  # noqa: E402

HEADINGS = ["主要举措和成效", "存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况", "下一年度主要安排",
            "其他需要报告的情况"]
SUBHEADINGS = ["推进依法行政", "化解矛盾纠纷", "规范执法行为", "强化监督制约", "深化普法宣传", "优化法治服务"]
LINES = [
    "全年受理{s}案件{a}件，调解成功{b}件，调解成功率{r}%。",
    "组织{s}宣讲共{t}场，进社区{p1}场、进乡村{p2}场、进企业{p3}场。",
    "办理{s}案件{t}件，其中民事案件{p1}件，刑事案件{p2}件，行政案件{p3}件。",
    "截至{m}月底，{s}平台共受理诉求{a}件，办结率{r}%。",
    "发放宣传资料{a}余份，受众{w}万余人次，追回欠薪{money}万元。",
    "召开{s}专题会议{c}次，研究重大事项{c2}项，印发文件{cn}份。",
    "依据《行政复议法》第三十条和区政府〔2024〕{c}号文件，2024年3月至11月开展检查{c2}轮。",
    "实现{s}法律顾问全覆盖，全年提供咨询{a}次。",
]
CN = ["三", "五", "十二", "二十七", "一百零五", "两千三百"]
# Prose without figures, assembled from phrases written for this benchmark.
VERBS = ["坚持", "深化", "健全", "完善", "落实", "推进", "强化", "规范", "优化", "压实"]
OBJECTS = ["依法行政制度体系", "行政执法责任制", "重大行政决策程序", "矛盾纠纷多元化解机制", "公共法律服务网络",
           "行政复议工作机制", "法治督察工作", "普法责任制", "合法性审查机制", "基层依法治理能力"]
TAILS = ["，推动各项工作落到实处。", "，不断提升工作质效。", "，切实维护群众合法权益。", "，营造良好法治环境。",
         "，形成上下联动、齐抓共管的工作格局。", "，确保各项任务如期完成。"]


def prose(rng: random.Random) -> str:
    return rng.choice(VERBS) + rng.choice(OBJECTS) + "，" + rng.choice(VERBS) + rng.choice(OBJECTS) + rng.choice(TAILS)


def generate(target_bytes: int, seed: int, prose_sentences: int = 4, tables: bool = False) -> str:
    """A report-like text; ``prose_sentences`` per paragraph sets the density of figures."""
    args_prose = prose_sentences
    rng = random.Random(seed)
    out: list[str] = ["某区2024年度法治政府建设工作报告", ""]
    size = 0
    part = 0
    while size < target_bytes:
        part += 1
        heading = f"{'一二三四五'[(part - 1) % 5]}、{HEADINGS[(part - 1) % 5]}"
        out.append(heading)
        for k in range(1, 7):
            out.append(f"（{'一二三四五六'[k - 1]}）{rng.choice(SUBHEADINGS)}")
            for _ in range(rng.randint(3, 8)):
                a = rng.randint(100, 5000)
                b = rng.randint(a // 2, a)
                p1, p2, p3 = rng.randint(1, 300), rng.randint(1, 300), rng.randint(1, 300)
                sentences = [prose(rng) for _ in range(args_prose)]
                for template in rng.sample(LINES, 2):
                    sentences.append(template.format(
                        s=rng.choice(SUBHEADINGS), a=a, b=b, r=f"{b / a * 100:.1f}", t=p1 + p2 + p3,
                        p1=p1, p2=p2, p3=p3, m=rng.randint(1, 11), w=rng.randint(1, 9),
                        money=f"{rng.uniform(10, 9000):.2f}", c=rng.randint(1, 40), c2=rng.randint(1, 40),
                        cn=rng.choice(CN)))
                rng.shuffle(sentences)
                line = "".join(sentences)
                out.append(line)
                size += len(line.encode("utf-8")) + 1
            if tables:
                block = table_block(rng, k)
                out.append(block)
                size += len(block.encode("utf-8")) + 1
    return "\n".join(out)


def table_block(rng: random.Random, k: int) -> str:
    """A small table, one cell a line (web pages copied as text) or tab-separated (Word), with a 合计 row."""
    rows = [(rng.choice(SUBHEADINGS) + str(i), rng.randint(10, 900)) for i in range(1, 6)]
    total = sum(v for _l, v in rows)
    if k % 2:
        lines = ["表 各类案件情况", "单位：件", "类别 数量 占比"]
        for label, v in rows:
            lines += [label, str(v), f"{v / total * 100:.1f}%"]
        lines += ["合计", str(total), "100%"]
    else:
        lines = ["单位\t收案数\t办结数"]
        for label, v in rows:
            lines.append(f"{label}\t{v}\t{v - rng.randint(0, 5)}")
        lines.append(f"合计\t{total}\t")
    return "\n".join(lines)


def table_dense(target_bytes: int, seed: int, rows: int = 1000) -> str:
    """Long tables written one cell a line (a web table copied as text), about one share in seven wrong.

    A wrong share sends the checker looking for the denominator it fits among all the table's figures;
    that search, and walking the table's cells paragraph by paragraph, once grew with the square or the
    cube of the table's length."""
    rng = random.Random(seed)
    out: list[str] = ["某区2024年度法治政府建设工作报告", ""]
    size, n = 0, 0
    while size < target_bytes:
        n += 1
        values = [rng.randint(10, 900) for _ in range(rows)]
        total = sum(values)
        lines = [prose(rng), f"表{n} 各类案件情况", "单位：件", "类别", "数量", "占比"]
        for i, v in enumerate(values):
            share = v / total * 100 if i % 7 else v / values[(i + 3) % rows] * 100
            lines += [f"{rng.choice(SUBHEADINGS)}{i + 1}", str(v), f"{share:.2f}%"]
        lines += ["合计", str(total), "100%"]
        block = "\n".join(lines)
        out.append(block)
        size += len(block.encode("utf-8")) + 1
    return "\n".join(out)


def seed_text(mb: float) -> str:
    folder = Path(os.environ.get("FAZHI_SEEDS") or Path(__file__).resolve().parents[2] / "shared" / "seeds")
    seeds = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not seeds:
        sys.exit(f"no seed reports in {folder}")
    one = "\n".join(seeds)
    return "\n".join([one] * max(1, int(mb * 1024 * 1024 / len(one.encode("utf-8")))))


def _baseline_seconds(text: str) -> float:
    """The regex scan of digit runs, best of 3 (it is short, so one run is noisy)."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        sum(1 for _ in re.finditer(r"\d+(?:\.\d+)?", text))
        best = min(best, time.process_time() - started)
    return max(best, 1e-6)


def doubling(kinds: list[str], mb: float, steps: int, seed: int, json_path: str | None) -> None:
    makers = {"seeds": seed_text, "tables": lambda m: table_dense(int(m * 1024 * 1024), seed),
              "generated": lambda m: generate(int(m * 1024 * 1024), seed, 4, True)}
    results = []
    for kind in kinds:
        prev: dict | None = None
        for i in range(steps):
            text = makers[kind](mb * 2 ** i)
            size = len(text.encode("utf-8")) / 1024 / 1024
            baseline = _baseline_seconds(text)
            started = time.process_time()
            result = report_check(text=text)
            seconds = time.process_time() - started
            row = {"kind": kind, "mb": round(size, 3), "seconds": round(seconds, 3), "baseline_s": round(baseline, 4),
                   "claims": len(result.claims), "findings": len(result.findings),
                   "ratio": round(seconds / baseline, 1),
                   "time_ratio": round(seconds / prev["seconds"], 2) if prev else None,
                   "size_ratio": round(size / prev["mb"], 2) if prev else None,
                   "baseline_time_ratio": round(baseline / prev["baseline_s"], 2) if prev else None}
            del result, text
            results.append(row)
            print(f"{kind} {row['mb']:.2f} MB: checker {seconds:.2f} s CPU ({size / seconds:.2f} MB/s, "
                  f"{row['claims']} claims, {row['findings']} findings); baseline {baseline:.3f} s; "
                  f"checker/baseline {row['ratio']}x"
                  + (f"; per doubling (size x{row['size_ratio']}): checker x{row['time_ratio']}, "
                     f"baseline x{row['baseline_time_ratio']}" if prev else ""), flush=True)
            prev = row
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.0, help="size of the generated report in MB (UTF-8)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stream", action="store_true", help="stream JSON to /dev/null (bounded memory)")
    parser.add_argument("--seeds", action="store_true",
                        help="use the seed reports of ../shared/seeds (read at run time), repeated to --mb")
    parser.add_argument("--tables", action="store_true", help="add a small table after each subsection")
    parser.add_argument("--prose", type=int, default=4,
                        help="sentences without figures per paragraph (4 gives about the seeds' density)")
    parser.add_argument("--doubling", action="store_true",
                        help="time ratio per doubling of the text, from --mb MB for --steps sizes")
    parser.add_argument("--kinds", default="seeds,tables", help="for --doubling: seeds, tables, generated")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--json", help="for --doubling: also write the figures here")
    args = parser.parse_args()
    if args.doubling:
        doubling(args.kinds.split(","), args.mb if "--mb" in sys.argv else 1.0, args.steps, args.seed, args.json)
        return
    if args.seeds:
        text = seed_text(args.mb)
    else:
        text = generate(int(args.mb * 1024 * 1024), args.seed, args.prose, args.tables)
    mb = len(text.encode("utf-8")) / 1024 / 1024

    started = time.perf_counter()
    digits = sum(1 for _ in re.finditer(r"\d+(?:\.\d+)?", text))
    baseline = time.perf_counter() - started

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    if args.stream:
        # What `fazhi check --format json` does: results written out paragraph by paragraph.
        with open(os.devnull, "w", encoding="utf-8") as sink:
            stream_json(sink, text=check_text(text))
        elapsed = time.process_time() - started
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"input: {mb:.2f} MB, {len(text)} characters (streamed JSON to /dev/null)")
        print(f"checker: {elapsed:.2f} s CPU -> {mb / elapsed:.2f} MB/s")
        print(f"baseline (regex scan of digit runs): {baseline:.3f} s -> {mb / baseline:.1f} MB/s")
        print(f"ratio checker/baseline time: {elapsed / baseline:.1f}x")
        print(f"peak RSS: {rss_after / 1024:.0f} MB (before check, text in memory: {rss_before / 1024:.0f} MB)")
        return
    result = report_check(text=text)
    elapsed = time.process_time() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    print(f"input: {mb:.2f} MB, {len(text)} characters, {digits} digit runs, "
          f"{len(result.claims) / mb:.0f} claims per MB (seed reports: about 6000-8000)")
    print(f"checker: {elapsed:.2f} s CPU -> {mb / elapsed:.2f} MB/s "
          f"({len(result.claims)} claims, {len(result.relations)} relations, {len(result.findings)} findings)")
    print(f"baseline (regex scan of digit runs): {baseline:.3f} s -> {mb / baseline:.1f} MB/s")
    print(f"ratio checker/baseline time: {elapsed / baseline:.1f}x")
    print(f"peak RSS: {rss_after / 1024:.0f} MB (before check: {rss_before / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
