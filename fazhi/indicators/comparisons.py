"""同比 and rankings of sibling units (also per 100k population), on values already computed.

Pure functions: nothing here reads the database or runs the engine (the engine ranks with `rank_rows`
and evaluates `yoy()` with `year_on_year`; selectors.py computes what the pages compare).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from fazhi.core.models import OrgUnit


def year_on_year(current: Decimal | None, previous: Decimal | None, *, rate: bool) -> Decimal | None:
    """同比, the one definition used by indicator formulas (`yoy(code)`), the report and the pages.

    A number: the percent change against the same period of the year before,
    (current − previous) ÷ previous × 100 (增长/下降 x%). A rate (itself a percentage): the change in
    个百分点, current − previous (提高/下降 x个百分点). None when either year has no value, and for a
    number when the previous year is 0 — a missing year is 暂无数据, never −100% or +∞.
    """
    if current is None or previous is None:
        return None
    if rate:
        return current - previous
    if previous == 0:
        return None
    return (current - previous) / previous * 100


def yoy_words(change: Decimal, *, points: bool) -> str:
    """增长12% / 下降3.5% / 提高2.3个百分点 / 持平: a change as reports and pages print it after 同比."""
    number = f"{abs(change):f}"  # as given: the pages round to one decimal, the report normalizes
    if change == 0:
        return "持平"
    if points:
        return f"{'提高' if change > 0 else '下降'}{number}个百分点"
    return f"{'增长' if change > 0 else '下降'}{number}%"


class _Value(Protocol):
    """What the comparisons read of a computed value (engine.IndicatorValue, a snapshot value)."""

    @property
    def value(self) -> Decimal | None: ...
    @property
    def exact(self) -> Decimal | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def denominator(self) -> Decimal | None: ...


@dataclass(frozen=True)
class YearOnYear:
    code: str
    current: Decimal | None
    previous: Decimal | None
    change: Decimal | None  # absolute change, in the indicator's unit
    percent: Decimal | None  # relative change in %, for numbers (增长/下降 x%)
    points: Decimal | None  # change in 百分点, for rates

    @property
    def phrase(self) -> str:
        """同比增长12% / 同比下降3.5% / 同比提高2.3个百分点 / 同比持平 / 暂无数据."""
        if self.points is not None:
            return f"同比{yoy_words(self.points, points=True)}"
        if self.percent is not None:
            return f"同比{yoy_words(self.percent, points=False)}"
        return "暂无数据"


def yoy_from_values(code: str, now: _Value | None, before: _Value | None, *, decimals: int = 1) -> YearOnYear:
    """同比 of one indicator from its values of two years: `year_on_year` of the exact values, rounded
    half up to `decimals` as the pages print it."""
    cur = now.value if now else None
    prev = before.value if before else None
    rate = now is not None and now.kind == "rate"
    change = year_on_year(now.exact if now else None, before.exact if before else None, rate=rate)
    if cur is None or prev is None:
        return YearOnYear(code, cur, prev, None, None, None)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = None if change is None else change.quantize(quantum, rounding=ROUND_HALF_UP)
    return YearOnYear(code, cur, prev, cur - prev, None if rate else rounded, rounded if rate else None)


@dataclass(frozen=True)
class RankRow:
    unit: OrgUnit
    value: Decimal | None  # the indicator value, or per 100k population when asked
    raw: Decimal | None
    rank: int | None  # competition ranking (1, 1, 3); None when left out
    excluded: str = ""  # why a unit is not ranked


# Units compared with each other in a ranking: towns with streets (乡镇街道), departments with departments …
# A ranking mixing 区保密局 with the towns would put every department at the bottom (or first at 0).
_RANK_FAMILIES = {"town": "town", "street": "town"}


def rank_family(kind: str) -> str:
    """The kind a unit is ranked among (towns and streets together; every other kind by itself)."""
    return _RANK_FAMILIES.get(kind, kind)


def _rank_key(row: RankRow) -> Decimal:
    assert row.value is not None  # only rows with a value are ranked
    return row.value


def rank_rows(units: list[OrgUnit], values: Mapping[int, _Value | None], *, min_count: int, per_population: bool,
              descending: bool) -> list[RankRow]:
    """Rank `units` (siblings) by their values (keyed by unit id); units without a value, below the minimum
    count (the denominator for rates) or, per population, without population are left out."""
    rows: list[RankRow] = []
    for unit in units:
        v = values.get(unit.pk)
        raw = v.value if v else None
        size = (v.denominator if v and v.kind == "rate" else raw) if v else None
        if raw is None:
            rows.append(RankRow(unit, None, None, None, "无数据"))
            continue
        if size is not None and size < min_count:
            rows.append(RankRow(unit, None, raw, None, f"基数不足{min_count}"))
            continue
        value = raw
        if per_population:
            if not unit.population:
                rows.append(RankRow(unit, None, raw, None, "缺少人口数"))
                continue
            value = (raw * 100000 / unit.population).quantize(Decimal("0.1"))
        rows.append(RankRow(unit, value, raw, None))
    ranked = sorted((r for r in rows if r.value is not None), key=_rank_key, reverse=descending)
    out, previous_value, previous_rank = [], None, 0
    for position, row in enumerate(ranked, start=1):
        rank = previous_rank if row.value == previous_value else position
        out.append(RankRow(row.unit, row.value, row.raw, rank))
        previous_value, previous_rank = row.value, rank
    return out + [r for r in rows if r.value is None]
