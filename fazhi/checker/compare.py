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
from .relations import Relation, RelationKind, fmt, similarity

MATCH_SIMILARITY = 0.5
UNIT_ALIASES = {"％": "%", "人次": "人次", "件次": "件/次"}


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


def _unit(u: str | None) -> str | None:
    return UNIT_ALIASES.get(u, u) if u else u


def _agrees(claim: Claim, value: Decimal, indicator_unit: str | None = None) -> bool:
    v = claim.value * (10 if claim.unit == "成" else 1)
    if claim.unit in ("万元", "亿元") and _unit(indicator_unit) == "元":
        v = v * (10**4 if claim.unit == "万元" else 10**8)
    match claim.qualifier:
        case Qualifier.EXACT:
            places = -v.as_tuple().exponent if v.as_tuple().exponent < 0 else 0
            q = Decimal(1).scaleb(-places)
            return value.quantize(q) == v or value.quantize(q, rounding="ROUND_DOWN") == v
        case Qualifier.APPROX:
            return abs(value - v) <= max(Decimal(1), v * Decimal("0.1"))
        case Qualifier.AT_LEAST:
            return value >= v
        case Qualifier.AT_MOST:
            return value <= v
    return True


def compare_with_indicators(
    claims: list[Claim], values: list[IndicatorValue]
) -> tuple[list[Relation], list[Finding]]:
    """Map each claim to the indicator with the most similar name and a matching unit; flag differences."""
    relations: list[Relation] = []
    findings: list[Finding] = []
    for c in claims:
        cu = _unit(c.unit)
        candidates: list[tuple[float, IndicatorValue]] = []
        for iv in values:
            iu = _unit(iv.unit)
            if iu != cu and not (cu in ("万元", "亿元") and iu == "元") and not (cu == "成" and iu == "%"):
                continue
            score = similarity(c.subject, iv.name)
            if score >= MATCH_SIMILARITY:
                candidates.append((score, iv))
        if not candidates:
            continue  # not in fazhi
        candidates.sort(key=lambda pair: -pair[0])
        # A subject often names several indicators (调解成功: all mediation, committees, studios…). The
        # claim agrees with fazhi when one of them has its value; it differs only when none does.
        agreeing = [(score, iv) for score, iv in candidates if _agrees(c, iv.value, iv.unit)]
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
