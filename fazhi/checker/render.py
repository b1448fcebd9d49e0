"""Outputs of a check: JSON (the contract), an annotated HTML page, and a terminal table."""

from __future__ import annotations

import json
import shutil
import tempfile
import unicodedata
from html import escape
from typing import Protocol

from .findings import KIND_LABELS, Severity
from .relations import clean, fmt
from .service import CheckResult, iter_report_check

SPOOL_BYTES = 4 * 1024 * 1024
SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "提示", Severity.INFO: "信息"}


def render_json(result: CheckResult) -> str:
    return json.dumps(result.as_json(), ensure_ascii=False, indent=2)


class Writer(Protocol):
    """Where stream_json writes: a text file, or the command's output without added newlines."""

    def write(self, s: str, /) -> object: ...


def stream_json(out: Writer, *, text: str, unit: str | None = None, year: int | None = None,
                indicator_source=None, whole_report: bool | None = None) -> tuple[bool, list[str]]:
    """Write the JSON contract for ``text`` to ``out`` paragraph by paragraph, in bounded memory.

    Claims go straight to ``out``; relations and findings are spooled to temporary files (they come
    after the claims in the contract). Findings are in paragraph order, document-level ones last.
    ``text`` must already have passed ``check_text``. Returns (has error-level findings, notes).
    """
    notes: list[str] = []
    has_errors = False
    out.write('{\n  "claims": [')
    sep = "\n    "
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as rel_spool, \
            tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+", encoding="utf-8") as find_spool:
        first_claim = first_rel = first_finding = True
        for part in iter_report_check(text=text, unit=unit, year=year, indicator_source=indicator_source,
                                      notes=notes, whole_report=whole_report):
            for c in part.claims:
                out.write(("" if first_claim else ",") + sep + json.dumps(c.as_json(), ensure_ascii=False))
                first_claim = False
            for r in part.relations:
                rel_spool.write(("" if first_rel else ",") + sep + json.dumps(r.as_json(), ensure_ascii=False))
                first_rel = False
            for f in part.findings:
                find_spool.write(("" if first_finding else ",") + sep + json.dumps(f.as_json(), ensure_ascii=False))
                first_finding = False
                has_errors = has_errors or f.severity is Severity.ERROR
        out.write('\n  ],\n  "relations": [')
        rel_spool.seek(0)
        shutil.copyfileobj(rel_spool, out)
        out.write('\n  ],\n  "findings": [')
        find_spool.seek(0)
        shutil.copyfileobj(find_spool, out)
    out.write("\n  ]\n}\n")
    return has_errors, notes


def render_html(result: CheckResult, title: str = "报告检查结果") -> str:
    text = result.text
    n = len(text)
    # Boundaries of claims and finding spans; each segment between two boundaries is one <span>.
    bounds = {0, n}
    for c in result.claims:
        bounds.update((c.start, c.end))
    for f in result.findings:
        for a, b in f.spans:
            bounds.update((max(0, a), min(n, b)))
    points = sorted(bounds)
    claim_at: dict[int, object] = {}
    for c in result.claims:
        claim_at[c.start] = c
    starts: dict[int, list[str]] = {}
    finding_ranges = []
    for i, f in enumerate(result.findings):
        for j, (a, b) in enumerate(f.spans):
            starts.setdefault(a, []).append(f"f{i}-{j}")
            finding_ranges.append((a, b, i))
    claims_sorted = sorted(result.claims, key=lambda c: c.start)
    ci = 0
    out: list[str] = []
    for a, b in zip(points, points[1:], strict=False):
        for anchor in starts.get(a, []):
            out.append(f'<a class="anchor" id="{anchor}"></a>')
        while ci < len(claims_sorted) and claims_sorted[ci].end <= a:
            ci += 1
        claim = claims_sorted[ci] if ci < len(claims_sorted) and claims_sorted[ci].start <= a else None
        classes = []
        fids = sorted({i for fa, fb, i in finding_ranges if fa <= a and b <= fb})
        if fids:
            classes.append("flagged")
        seg = escape(text[a:b]).replace("\n", "<br>\n")
        attrs = ""
        if claim is not None:
            classes.append("claim")
            tip = f"{claim.id}: {fmt(claim.value)} {claim.unit or ''} {claim.qualifier} · {claim.subject}"
            if claim.period:
                tip += f" · {claim.period}"
            attrs = f' title="{escape(tip)}" data-claim="{claim.id}"'
        if fids:
            attrs += f' data-findings="{" ".join(f"f{i}" for i in fids)}"'
        if classes:
            out.append(f'<span class="{" ".join(classes)}"{attrs}>{seg}</span>')
        else:
            out.append(seg)
    items = []
    for i, f in enumerate(result.findings):
        assert f.severity is not None  # Finding.__post_init__ gives every finding its severity
        links = " ".join(f'<a href="#f{i}-{j}">{escape(clean(text[a:b])[:20]) or "位置"}</a>'
                         for j, (a, b) in enumerate(f.spans))
        items.append(
            f'<li class="{f.severity}" id="f{i}"><a href="#f{i}-0" class="jump" data-finding="f{i}">'
            f'<b>{SEVERITY_LABELS[f.severity]} · {KIND_LABELS[f.kind]}</b></a> {escape(f.message)}'
            f'<div class="spans">{links}</div></li>')
    rel_ok = sum(1 for r in result.relations if r.holds)
    notes = "".join(f"<p class=note>{escape(x)}</p>" for x in result.notes)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; margin: 0; display: flex; }}
main {{ flex: 3; padding: 1.5em 2em; line-height: 1.9; font-size: 16px; }}
aside {{ flex: 2; padding: 1em; background: #f6f6f6; height: 100vh; overflow-y: auto; position: sticky; top: 0; }}
.claim {{ background: #dbeafe; border-bottom: 2px solid #2563eb; }}
.flagged {{ background: #fde68a; }}
.claim.flagged {{ background: #fca5a5; }}
.active {{ outline: 2px solid #dc2626; }}
li.error b {{ color: #b91c1c; }} li.warning b {{ color: #b45309; }}
li {{ margin-bottom: .8em; }} .spans a {{ margin-right: .5em; font-size: 90%; }}
</style></head>
<body><main><h1>{escape(title)}</h1>{notes}<div class="text">{"".join(out)}</div></main>
<aside><h2>发现的问题（{len(result.findings)}）</h2>
<p>数值 {len(result.claims)} 个；核对关系 {len(result.relations)} 项，其中相符 {rel_ok} 项。</p>
<ol>{"".join(items)}</ol></aside>
<script>
document.querySelectorAll("a.jump").forEach(function (a) {{
  a.addEventListener("click", function () {{
    var id = a.dataset.finding;
    document.querySelectorAll(".active").forEach(function (e) {{ e.classList.remove("active"); }});
    document.querySelectorAll("[data-findings~='" + id + "']").forEach(function (e) {{ e.classList.add("active"); }});
  }});
}});
</script></body></html>
"""


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    if _width(s) > w:
        out = ""
        for ch in s:
            if _width(out + ch) > w - 1:
                break
            out += ch
        s = out + "…"
    return s + " " * (w - _width(s))


def render_table(result: CheckResult) -> str:
    lines = []
    head = f"{_pad('级别', 6)} {_pad('类型', 18)} {_pad('位置', 10)} 说明"
    lines.append(head)
    lines.append("-" * 78)
    for f in result.findings:
        assert f.severity is not None  # Finding.__post_init__ gives every finding its severity
        pos = f"{f.spans[0][0]}" if f.spans else "-"
        lines.append(f"{_pad(SEVERITY_LABELS[f.severity], 6)} {_pad(KIND_LABELS[f.kind], 18)} {_pad(pos, 10)} "
                     f"{f.message}")
    if not result.findings:
        lines.append("未发现问题")
    lines.append("-" * 78)
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    ok = sum(1 for r in result.relations if r.holds)
    lines.append(f"数值 {len(result.claims)} 个，核对关系 {len(result.relations)} 项（相符 {ok} 项），"
                 f"问题 {len(result.findings)} 个（错误 {errors} 个）")
    lines.extend(result.notes)
    return "\n".join(lines) + "\n"


RENDERERS = {"json": render_json, "html": render_html, "table": render_table}
