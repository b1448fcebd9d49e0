"""The seam to fazhi's indicators: compare claims with indicator values of a unit and year.

The indicator engine does not exist yet; anything with an ``indicator_values(unit, year)`` method that
returns :class:`IndicatorValue` rows can be passed as ``indicator_source`` to ``report_check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, runtime_checkable

from .claims import Claim, Qualifier
from .findings import Finding, FindingKind
from .relations import Relation, RelationKind, containment, fmt, grams_of

MATCH_SIMILARITY = 0.5
UNIT_ALIASES = {"％": "%", "人次": "人次", "件次": "件/次"}
# A name that negates what the subject does not (不予受理 against 受理) is another figure.
NEGATIONS = ("不予", "未")


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    code: str
    name: str
    value: Decimal
    unit: str | None


@runtime_checkable
class IndicatorSource(Protocol):
    def indicator_values(self, unit: str, year: int) -> list[IndicatorValue]:
        """Indicator values (code, name, value, unit) of an org unit for a report year."""
        ...


class FixedIndicatorSource:
    """Figures read beforehand (e.g. from a snapshot, in the web worker): a check in a forked child compares
    with them without touching the database."""

    def __init__(self, values: list[IndicatorValue]) -> None:
        self.values = values

    def indicator_values(self, unit: str, year: int) -> list[IndicatorValue]:
        return self.values


def _unit(u: str | None) -> str | None:
    return UNIT_ALIASES.get(u, u) if u else u


def _negated_only_in(name: str, subject: str) -> bool:
    return any(word in name and word not in subject for word in NEGATIONS)


CONTEXT_CHARS = 80  # how far back the report may have named what a short subject refers to
CONTEXT_SHARE = 0.5


def _fits_context(name: str, subject: str, context: str) -> bool:
    """An indicator name that qualifies the subject (万件清理办结率 for 办结率, 反诈宣传覆盖群众 for 覆盖群众)
    is the claim's figure only if the report named that qualifier shortly before."""
    qualifier = "".join(ch for ch in name if ch not in subject)
    return len(qualifier) < 2 or containment(qualifier, context) >= CONTEXT_SHARE


def _agrees(claim: Claim, value: Decimal, indicator_unit: str | None = None) -> bool:
    v = claim.value * (10 if claim.unit == "成" else 1)
    if claim.unit in ("万元", "亿元") and _unit(indicator_unit) == "元":
        v = v * (10**4 if claim.unit == "万元" else 10**8)
    match claim.qualifier:
        case Qualifier.EXACT:
            exponent = v.as_tuple().exponent
            assert isinstance(exponent, int)  # a claim's value is a finite number (never NaN or infinity)
            places = -exponent if exponent < 0 else 0
            q = Decimal(1).scaleb(-places)
            return value.quantize(q) == v or value.quantize(q, rounding="ROUND_DOWN") == v
        case Qualifier.APPROX:
            return abs(value - v) <= max(Decimal(1), v * Decimal("0.1"))
        case Qualifier.AT_LEAST:
            return value >= v
        case Qualifier.AT_MOST:
            return value <= v
    return True


class IndicatorIndex:
    """The indicator values of one check, with what the comparison needs of their names computed once:
    values grouped by (normalised) unit, and per unit an inverted index from each character and bigram
    of a name to the values whose name has it. A claim is then scored only against values of a unit it
    may be compared with whose name shares at least one character with its subject (its subject family);
    every other value scores 0 (no shared character or bigram), below ``MATCH_SIMILARITY``, so the
    candidates, their scores and their order are those of comparing the claim with every value."""

    __slots__ = ("_by_unit",)

    def __init__(self, values: list[IndicatorValue]) -> None:
        # unit -> (entries (position, value, name's gram count), gram -> entry numbers)
        self._by_unit: dict[str | None, tuple[list[tuple[int, IndicatorValue, int]], dict[str, list[int]]]] = {}
        for position, iv in enumerate(values):
            entries, grams_index = self._by_unit.setdefault(_unit(iv.unit), ([], {}))
            grams = grams_of(iv.name)
            for g in grams:
                grams_index.setdefault(g, []).append(len(entries))
            entries.append((position, iv, len(grams)))

    def __bool__(self) -> bool:
        return bool(self._by_unit)

    def candidates(self, subject: str, unit: str | None) -> list[tuple[float, IndicatorValue]]:
        """The values whose name is at least ``MATCH_SIMILARITY`` like ``subject``, most similar first
        (ties in the order of the values), of a unit a claim in ``unit`` may be compared with."""
        if not subject:
            return []  # similarity() of an empty subject is 0
        cu = _unit(unit)
        units = [cu]
        if cu in ("万元", "亿元"):
            units.append("元")
        elif cu == "成":
            units.append("%")
        subject_grams = grams_of(subject)
        size = len(subject_grams)
        found: list[tuple[int, float, IndicatorValue]] = []
        for u in units:
            bucket = self._by_unit.get(u)
            if bucket is None:
                continue
            entries, grams_index = bucket
            shared: dict[int, int] = {}
            for g in subject_grams:
                for k in grams_index.get(g, ()):
                    shared[k] = shared.get(k, 0) + 1
            for k, common in shared.items():
                position, iv, name_size = entries[k]
                score = 2 * common / (size + name_size)  # relations.dice, from the counts
                if score >= MATCH_SIMILARITY and not _negated_only_in(iv.name, subject):
                    found.append((position, score, iv))
        found.sort(key=lambda t: (-t[1], t[0]))
        return [(score, iv) for _position, score, iv in found]


def compare_with_indicators(
    claims: list[Claim], values: list[IndicatorValue] | IndicatorIndex, *, text: str | None = None
) -> tuple[list[Relation], list[Finding]]:
    """Map each claim to the indicator with the most similar name and a matching unit; flag differences.
    With the report's `text`, a claim that agrees with none of its candidates is reported against one only if
    the report named that candidate's qualifier just before the claim (else fazhi cannot tell what it counts).
    ``values`` may be an :class:`IndicatorIndex` built once for the whole report (``iter_report_check``)."""
    index = values if isinstance(values, IndicatorIndex) else IndicatorIndex(values)
    relations: list[Relation] = []
    findings: list[Finding] = []
    for c in claims:
        candidates = index.candidates(c.subject, c.unit)
        if not candidates:
            continue  # not in fazhi
        # A subject often names several indicators (调解成功: all mediation, committees, studios…). The
        # claim agrees with fazhi when one of them has its value; it differs only when none does.
        agreeing = [(score, iv) for score, iv in candidates if _agrees(c, iv.value, iv.unit)]
        if not agreeing and text is not None:
            # A difference is reported only against a figure the report is plainly about here.
            context = text[max(0, c.start - CONTEXT_CHARS):c.end]
            candidates = [(score, iv) for score, iv in candidates if _fits_context(iv.name, c.subject, context)]
            if not candidates:
                continue
        score, iv = agreeing[0] if agreeing else candidates[0]
        holds = bool(agreeing)
        others = len(candidates) - 1
        detail = (f"{iv.code} {iv.name} = {fmt(iv.value)}{iv.unit or ''}，报告写{c.text}"
                  f"（按主语相似度 {score:.2f} 匹配{f'，另有 {others} 个候选指标' if others else ''}）")
        relations.append(Relation(RelationKind.INDICATOR, [c.id, f"indicator:{iv.code}"], holds, detail))
        if not holds:
            findings.append(Finding(
                FindingKind.DATA_MISMATCH,
                f"“{c.subject}{c.text}”与平台指标“{iv.name}”（{iv.code}）的值{fmt(iv.value)}{iv.unit or ''}不符",
                [(c.start, c.end)]))
    return relations, findings
