"""The checked text cut into segments for the checker page: each figure (claim) found, the figures that a
checked relation links, and the spans each finding quotes, so that a template can highlight them (escaping the
text itself) and list every finding with its quotes linking to their places.

Pure data, no HTML: the page's template renders it (Django escapes every segment)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .findings import KIND_LABELS
from .relations import clean, fmt
from .render import SEVERITY_LABELS
from .service import CheckResult

MAX_ANNOTATED_CHARS = 200_000  # of text shown annotated; the findings list always covers the whole report
MAX_QUOTE = 40  # characters of a finding's quote in the list


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    claim: str = ""  # the claim's id when the segment is (part of) a figure
    tip: str = ""  # the figure as the checker read it: value, unit, subject
    related: str = ""  # "ok" / "fails" when the figure takes part in a relation that holds / does not
    findings: tuple[int, ...] = ()  # the findings whose spans cover the segment
    anchors: tuple[str, ...] = ()  # ids of the quotes starting here (f<finding>-<span>)

    @property
    def classes(self) -> str:
        names = []
        if self.claim:
            names.append("claim")
        if self.related:
            names.append(f"related-{self.related}")
        if self.findings:
            names.append("flagged")
        return " ".join(names)

    @property
    def finding_ids(self) -> str:
        return " ".join(f"f{i}" for i in self.findings)


@dataclass(frozen=True, slots=True)
class Quote:
    anchor: str  # the id of the place in the text
    text: str
    shown: bool  # False when the place lies beyond the annotated part of the text


@dataclass(frozen=True, slots=True)
class AnnotatedFinding:
    index: int
    kind: str
    kind_label: str
    severity: str
    severity_label: str
    message: str
    quotes: list[Quote] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Annotation:
    segments: list[Segment]
    findings: list[AnnotatedFinding]
    truncated: bool  # the text is longer than the annotated part


def annotate(result: CheckResult, max_chars: int = MAX_ANNOTATED_CHARS) -> Annotation:
    text = result.text
    n = min(len(text), max_chars)
    claims = sorted((c for c in result.claims if c.start < n), key=lambda c: c.start)
    related: dict[str, str] = {}
    for relation in result.relations:
        for claim_id in relation.claims:
            if not relation.holds:
                related[claim_id] = "fails"
            else:
                related.setdefault(claim_id, "ok")
    spans = [(max(0, a), min(n, b), i, j) for i, f in enumerate(result.findings) for j, (a, b) in enumerate(f.spans)
             if a < n and b > a]
    bounds = {0, n}
    for c in claims:
        bounds.update((c.start, min(c.end, n)))
    for a, b, _i, _j in spans:
        bounds.update((a, b))
    points = sorted(bounds)
    # Which findings cover each elementary segment: a sweep over the boundaries (a finding's spans are few).
    opening: dict[int, list[int]] = {}
    closing: dict[int, list[int]] = {}
    anchors: dict[int, list[str]] = {}
    for a, b, i, j in spans:
        opening.setdefault(a, []).append(i)
        closing.setdefault(b, []).append(i)
        anchors.setdefault(a, []).append(f"f{i}-{j}")
    open_count: dict[int, int] = {}
    claim_starts = [c.start for c in claims]
    segments: list[Segment] = []
    for a, b in zip(points, points[1:], strict=False):
        for i in closing.get(a, []):
            open_count[i] -= 1
        for i in opening.get(a, []):
            open_count[i] = open_count.get(i, 0) + 1
        k = bisect_right(claim_starts, a) - 1
        claim = claims[k] if k >= 0 and claims[k].start <= a < claims[k].end else None
        covering = tuple(sorted(i for i, count in open_count.items() if count > 0))
        tip = ""
        if claim is not None:
            tip = f"{fmt(claim.value)}{claim.unit or ''} · {claim.subject}" + (f" · {claim.period}" if claim.period else "")
        segments.append(Segment(
            text=text[a:b], claim=claim.id if claim else "", tip=tip,
            related=related.get(claim.id, "") if claim else "", findings=covering,
            anchors=tuple(anchors.get(a, ()))))
    findings = []
    for i, f in enumerate(result.findings):
        assert f.severity is not None  # Finding.__post_init__ gives every finding its severity
        quotes = [Quote(anchor=f"f{i}-{j}", text=clean(text[a:b])[:MAX_QUOTE] or "—", shown=a < n and b > a)
                  for j, (a, b) in enumerate(f.spans)]
        findings.append(AnnotatedFinding(
            index=i, kind=str(f.kind), kind_label=KIND_LABELS[f.kind], severity=str(f.severity),
            severity_label=SEVERITY_LABELS[f.severity], message=f.message, quotes=quotes))
    return Annotation(segments=segments, findings=findings, truncated=len(text) > n)
