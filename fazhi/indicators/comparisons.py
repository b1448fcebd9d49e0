"""同比, rankings of sibling units (also per 100k population), monthly trends."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.models import OrgUnit
from fazhi.core.periods import Period, PeriodType, period_parse

from .engine import IndicatorValue, indicators_compute
from .registry import indicator


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
        """Report phrasing: 同比增长12% / 下降3.5% / 提高2.3个百分点 / 持平."""
        if self.points is not None:
            if self.points == 0:
                return "同比持平"
            return f"同比{'提高' if self.points > 0 else '下降'}{abs(self.points)}个百分点"
        if self.percent is None:
            return ""
        if self.percent == 0:
            return "同比持平"
        return f"同比{'增长' if self.percent > 0 else '下降'}{abs(self.percent)}%"


def indicator_yoy(*, unit: OrgUnit, period: Period, code: str, decimals: int = 1) -> YearOnYear:
    previous = period.shifted_years(-1)
    values = indicators_compute(units=[unit], periods=[period, previous], codes=[code])
    now = values.get((unit.pk, period.code, code))
    before = values.get((unit.pk, previous.code, code))
    return yoy_from_values(code, now, before, decimals=decimals)


def yoy_from_values(code: str, now: IndicatorValue | None, before: IndicatorValue | None, *, decimals: int = 1
                    ) -> YearOnYear:
    cur = now.value if now else None
    prev = before.value if before else None
    if cur is None or prev is None:
        return YearOnYear(code, cur, prev, None, None, None)
    quantum = Decimal(1).scaleb(-decimals)
    change = cur - prev
    if now is not None and now.kind == "rate":
        return YearOnYear(code, cur, prev, change, None, change.quantize(quantum))
    percent = None if prev == 0 else (change / prev * 100).quantize(quantum)
    return YearOnYear(code, cur, prev, change, percent, None)


@dataclass(frozen=True)
class RankRow:
    unit: OrgUnit
    value: Decimal | None  # the indicator value, or per 100k population when asked
    raw: Decimal | None
    rank: int | None  # competition ranking (1, 1, 3); None when left out
    excluded: str = ""  # why a unit is not ranked


def indicator_ranking(
    *, parent: OrgUnit, period: Period, code: str, per_population: bool = False, min_count: int | None = None,
    descending: bool = True,
) -> list[RankRow]:
    """Rank the children of `parent`; units below the minimum count or without population are left out."""
    loaded = indicator(code)
    minimum = loaded.definition.min_count if min_count is None else min_count
    children = list(OrgUnit.objects.filter(parent=parent, kind__in=loaded.definition.levels).order_by("pk"))
    values = indicators_compute(units=children, periods=[period], codes=[code])
    rows: list[RankRow] = []
    for child in children:
        v = values.get((child.pk, period.code, code))
        raw = v.value if v else None
        size = (v.denominator if v and v.kind == "rate" else raw) if v else None
        if raw is None:
            rows.append(RankRow(child, None, None, None, "无数据"))
            continue
        if size is not None and size < minimum:
            rows.append(RankRow(child, None, raw, None, f"基数不足{minimum}"))
            continue
        value = raw
        if per_population:
            if not child.population:
                rows.append(RankRow(child, None, raw, None, "缺少人口数"))
                continue
            value = (raw * 100000 / child.population).quantize(Decimal("0.1"))
        rows.append(RankRow(child, value, raw, None))
    ranked = sorted((r for r in rows if r.value is not None), key=lambda r: r.value, reverse=descending)
    out, previous_value, previous_rank = [], None, 0
    for position, row in enumerate(ranked, start=1):
        rank = previous_rank if row.value == previous_value else position
        out.append(RankRow(row.unit, row.value, row.raw, rank))
        previous_value, previous_rank = row.value, rank
    return out + [r for r in rows if r.value is None]


def indicator_trend(*, unit: OrgUnit, year: int, code: str) -> list[IndicatorValue | None]:
    """Monthly values of one year (one query for all twelve months)."""
    months = [period_parse(f"{year}-{m:02d}") for m in range(1, 13)]
    months = [m for m in months if m.type == PeriodType.MONTH]
    values = indicators_compute(units=[unit], periods=months, codes=[code])
    return [values.get((unit.pk, m.code, code)) for m in months]
