"""Relations over one table: column and row totals against 合计, share columns against their counts and
against 100 %, the "forced rounding" of a share column, and which other denominator a wrong share fits.

Rounding is allowed as the figures show it: a share written with d decimals holds when the exact share,
rounded half-up or truncated to d decimals, gives it; a sum of figures rounded to d decimals may miss
its total by half a unit of the last place per part.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from .claims import Claim, Qualifier
from .denominators import DenominatorIndex
from .findings import Finding, FindingKind, Severity
from .relations import Relation, RelationKind, fmt
from .tables import TOTAL_HEADER, Cell, Row, Table

HUNDRED = Decimal(100)
EXPLICIT_SHARE = re.compile(r"比例|占比|比重|百分比|构成|占")


def _places(v: Decimal) -> int:
    exponent = v.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def share_fits(shown: Decimal, exact: Decimal) -> str | None:
    """How ``shown`` (a percentage as written) fits ``exact``: "四舍五入", "截断" or None."""
    q = Decimal(1).scaleb(-_places(shown))
    if exact.quantize(q, rounding=ROUND_HALF_UP) == shown:
        return "四舍五入"
    if exact.quantize(q, rounding=ROUND_DOWN) == shown:
        return "截断"
    return None


def _pct(shown: Cell) -> Decimal:
    return shown.value / 10 if shown.unit == "‰" else shown.value


class TableChecker:
    def __init__(self, table: Table, claim_of: Callable[[Cell], Claim]) -> None:
        self.t = table
        self.claim = claim_of
        self.relations: list[Relation] = []
        self.findings: list[Finding] = []
        self._den_index: dict[Decimal, tuple[DenominatorIndex, list[tuple[Row, int, Cell]]]] = {}

    def run(self) -> None:
        t = self.t
        width = len(t.columns)
        totals = [r for r in t.rows if r.is_total]
        total_row = totals[0] if len(totals) == 1 else None
        parts = [r for r in t.rows if not r.is_total and not r.is_sub]
        share_cols = [j for j in range(width) if t.column_is_share(j)]
        count_cols = [j for j in range(width) if j not in share_cols]
        if total_row is not None:
            for j in count_cols:
                self._column_total(j, total_row, parts)
        for j in range(width):
            if j in count_cols and TOTAL_HEADER.search(t.columns[j]):
                self._row_totals(j, [c for c in count_cols if c != j])
        for j in share_cols:
            self._share_column(j, count_cols, total_row, parts)

    # -- sums ------------------------------------------------------------------------------------------
    def _value(self, row: Row, j: int) -> Decimal | None:
        c = row.cells[j]
        if c is not None:
            return c.value
        return Decimal(0) if row.empty[j] else None

    def _column_total(self, j: int, total_row: Row, parts: list[Row]) -> None:
        total = total_row.cells[j]
        values = [self._value(r, j) for r in parts]
        if total is None or len(parts) < 2 or any(v is None for v in values):
            return
        cells = [c for r in parts if (c := r.cells[j]) is not None]
        s = sum((v for v in values if v is not None), Decimal(0))
        holds, note = self._sum_holds(total, cells, s)
        col = self.t.columns[j] or f"第{j + 1}列"
        detail = f"{fmt(total.value)} {'=' if holds else '≠'} " + " + ".join(fmt(v) for v in values if v is not None)
        ids = [self.claim(total).id] + [self.claim(c).id for c in cells]
        self.relations.append(Relation(RelationKind.TOTAL_PARTS, ids, holds, detail + note))
        if not holds:
            self.findings.append(Finding(
                FindingKind.SUM_MISMATCH,
                f"表格“{col}”列各行之和为{fmt(s)}，与“{total_row.label}”行的{fmt(total.value)}不符",
                [(total.start, total.end)] + [(c.start, c.end) for c in cells]))

    def _sum_holds(self, total: Cell, cells: list[Cell], s: Decimal) -> tuple[bool, str]:
        if s == total.value:
            return True, ""
        if any(c.qualifier is not Qualifier.EXACT for c in [total, *cells]):
            ok = abs(s - total.value) <= max(Decimal(1), total.value * Decimal("0.05"))
            return ok, "（含约数）" if ok else ""
        places = max([_places(c.value) for c in [total, *cells]])
        if places:
            tolerance = Decimal(len(cells) + 1) * Decimal(5).scaleb(-places - 1)
            if abs(s - total.value) <= tolerance:
                return True, "（四舍五入误差）"
        return False, ""

    def _row_totals(self, j: int, others: list[int]) -> None:
        t = self.t
        others = [c for c in others if (t.units[c] == t.units[j] or t.units[c] is None or t.units[j] is None)
                  and not t.columns[c].startswith(("其中", "含"))]
        if len(others) < 2:
            return
        checked: list[tuple[Row, Cell, list[Cell], Decimal, bool]] = []
        for row in t.rows:
            total = row.cells[j]
            if total is not None and total.unit in ("%", "‰"):
                continue  # a row of shares (a transposed table) is checked against 100 %, not summed here
            values = [self._value(row, c) for c in others]
            if total is None or any(v is None for v in values):
                continue
            cells = [cell for c in others if (cell := row.cells[c]) is not None]
            s = sum((v for v in values if v is not None), Decimal(0))
            holds, _ = self._sum_holds(total, cells, s)
            checked.append((row, total, cells, s, holds))
        # Only a column that is the sum of the others in most rows is a row total.
        if not checked or (len(checked) > 2 and 2 * sum(1 for *_x, h in checked if h) < len(checked)):
            return
        for row, total, cells, s, holds in checked:
            detail = f"{fmt(total.value)} {'=' if holds else '≠'} " + " + ".join(fmt(c.value) for c in cells)
            self.relations.append(Relation(RelationKind.TOTAL_PARTS,
                                           [self.claim(total).id] + [self.claim(c).id for c in cells], holds, detail))
            if not holds:
                self.findings.append(Finding(
                    FindingKind.SUM_MISMATCH,
                    (f"表格“{row.label}”行" if row.label else "表格中") +
                    f"各项之和为{fmt(s)}，与“{t.columns[j]}”{fmt(total.value)}不符",
                    [(total.start, total.end)] + [(c.start, c.end) for c in cells]))

    # -- shares ----------------------------------------------------------------------------------------
    def _denominator(self, k: int, total_row: Row | None, parts: list[Row]) -> tuple[Decimal, str] | None:
        total = total_row.cells[k] if total_row is not None else None
        if total_row is not None and total is not None:
            return total.value, f"“{total_row.label}”{fmt(total.value)}"
        values = [self._value(r, k) for r in parts]
        if any(v is None for v in values):
            return None
        s = sum((v for v in values if v is not None), Decimal(0))
        return s, f"各行之和{fmt(s)}"

    def _share_column(self, j: int, count_cols: list[int], total_row: Row | None, parts: list[Row]) -> None:
        t = self.t
        if not count_cols:
            return
        explicit = bool(EXPLICIT_SHARE.search(t.columns[j]))
        before = [c for c in count_cols if c < j]
        # the count column the shares are of: the one most rows fit, else the nearest one before
        best: tuple[int, int, Decimal, str] | None = None
        for k in sorted(count_cols, key=lambda c: (c not in before, -c if c < j else c)):
            den = self._denominator(k, total_row, parts)
            if den is None or den[0] <= 0:
                continue
            n_fit = sum(1 for r in parts if r.cells[j] is not None and r.cells[k] is not None
                        and share_fits(_pct(r.cell(j)), r.cell(k).value / den[0] * HUNDRED))
            if best is None or n_fit > best[1]:
                best = (k, n_fit, den[0], den[1])
        rows = [r for r in parts if r.cells[j] is not None]
        if best is None or len(rows) < 2:
            return
        k, n_fit, denominator, den_text = best
        rows = [r for r in rows if r.cells[k] is not None]
        if not explicit and 2 * n_fit < len(rows):
            self._row_rates(j, count_cols)  # e.g. 结案率 = 结案 ÷ 收案 in each row
            return
        fits = []
        for r in rows:
            shown, count = r.cell(j), r.cell(k)  # `rows` holds only rows with both cells
            exact = count.value / denominator * HUNDRED
            fits.append((r, shown, count, exact, share_fits(_pct(shown), exact)))
        col = t.columns[j] or f"第{j + 1}列"
        shown_sum = sum((_pct(c) for r in parts if (c := r.cells[j]) is not None), Decimal(0))
        all_rows = all(r.cells[j] is not None for r in parts)
        total_share = total_row.cells[j] if total_row is not None else None
        total_count = total_row.cells[k] if total_row is not None else None
        forced = all_rows and (shown_sum == HUNDRED) and any(f[4] is None for f in fits)
        for r, shown, count, exact, how in fits:
            ids = [self.claim(shown).id, self.claim(count).id] + (
                [self.claim(total_count).id] if total_count else [])
            detail = (f"{fmt(count.value)} / {fmt(denominator)} = {fmt(exact.quantize(Decimal('0.0001')))}%，"
                      f"表中写{fmt(shown.value)}{shown.unit or '%'}" + (f"（{how}）" if how else ""))
            self.relations.append(Relation(RelationKind.RATE, ids, how is not None, detail))
            if how is not None:
                continue
            q = Decimal(1).scaleb(-_places(_pct(shown)))
            rounded = exact.quantize(q, rounding=ROUND_HALF_UP)
            spans = [(shown.start, shown.end), (count.start, count.end)]
            if forced and abs(_pct(shown) - exact) < q:
                self.findings.append(Finding(
                    FindingKind.FORCED_ROUNDING,
                    f"表格“{r.label}”的{col}{fmt(shown.value)}%与{fmt(count.value)}÷{den_text}不符（应为{fmt(rounded)}%），"
                    f"疑为使该列合计凑足100%而调整",
                    spans, Severity.WARNING))
                continue
            other = self._other_denominator(r, shown, k, denominator)
            msg = (f"表格“{r.label}”的{col}{fmt(shown.value)}%与{fmt(count.value)}÷{den_text}不符"
                   f"（应为{fmt(rounded)}%）")
            if other:
                msg += f"；该比例与{other}相符，疑为用错了分母"
            self.findings.append(Finding(FindingKind.RATE_MISMATCH, msg, spans))
        if all_rows and len(parts) >= 2 and not forced:
            places = max(_places(_pct(c)) for r in parts if (c := r.cells[j]) is not None)
            tolerance = Decimal(len(parts)) * Decimal(1).scaleb(-places)
            partition = total_row is None or (
                total_count is not None
                and sum((self._value(r, k) or Decimal(0) for r in parts), Decimal(0)) == total_count.value)
            target = _pct(total_share) if total_share is not None else HUNDRED
            if partition and abs(shown_sum - target) > tolerance:
                cells = [c for r in parts if (c := r.cells[j]) is not None]
                self.findings.append(Finding(
                    FindingKind.SUM_MISMATCH,
                    f"表格“{col}”列各行之和为{fmt(shown_sum)}%，不等于{fmt(target)}%",
                    [(c.start, c.end) for c in cells if c is not None]))

    def _row_rates(self, j: int, count_cols: list[int]) -> None:
        """A rate column computed within each row (numerator ÷ denominator of two count columns): the
        pair most rows fit is the rule; the rows that break it are reported."""
        t = self.t
        rows = [r for r in t.rows if r.cells[j] is not None]
        best: tuple[int, int, int] | None = None
        for a in count_cols:
            for b in count_cols:
                if a == b:
                    continue
                n_fit = sum(1 for r in rows if r.cells[a] is not None and r.cells[b] is not None
                            and r.cell(b).value > 0
                            and share_fits(_pct(r.cell(j)), r.cell(a).value / r.cell(b).value * HUNDRED))
                if best is None or n_fit > best[2]:
                    best = (a, b, n_fit)
        if best is None:
            return
        a, b, n_fit = best
        usable = [r for r in rows if r.cells[a] is not None and r.cells[b] is not None and r.cell(b).value > 0]
        if len(usable) < 2 or 2 * n_fit <= len(usable):
            return
        col = t.columns[j] or f"第{j + 1}列"
        for r in usable:
            shown, num, den = r.cell(j), r.cell(a), r.cell(b)  # `rows` and `usable` hold only filled cells
            exact = num.value / den.value * HUNDRED
            how = share_fits(_pct(shown), exact)
            detail = (f"{fmt(num.value)} / {fmt(den.value)} = {fmt(exact.quantize(Decimal('0.0001')))}%，"
                      f"表中写{fmt(shown.value)}%" + (f"（{how}）" if how else ""))
            self.relations.append(Relation(RelationKind.RATE, [self.claim(c).id for c in (shown, num, den)],
                                           how is not None, detail))
            if how is None:
                q = Decimal(1).scaleb(-_places(_pct(shown)))
                self.findings.append(Finding(
                    FindingKind.RATE_MISMATCH,
                    f"表格“{r.label}”的{col}{fmt(shown.value)}%与{t.columns[a]}{fmt(num.value)}÷{t.columns[b]}"
                    f"{fmt(den.value)}不符（应为{fmt(exact.quantize(q, rounding=ROUND_HALF_UP))}%）",
                    [(shown.start, shown.end), (num.start, num.end), (den.start, den.end)]))

    def _other_denominator(self, row: Row, shown: Cell, k: int, used: Decimal) -> str | None:
        """A denominator in the table that gives the shown share: another column's total, a row's figure.

        The first such cell in reading order, found through an index built once per denominator (see
        ``denominators``): scanning the table for each wrong share was cubic on long tables."""
        t = self.t
        count = row.cells[k]
        if count is None:
            return None
        index = self._den_index.get(used)
        if index is None:
            share = [t.column_is_share(j) for j in range(len(t.columns))]
            cells = [(r, j, c) for r in t.rows for j, c in enumerate(r.cells)
                     if c is not None and not share[j] and c.value != used]
            index = self._den_index[used] = (DenominatorIndex([(c.value, c) for _r, _j, c in cells]), cells)
        found = index[0].first_fit(count.value, count, _pct(shown), _places(_pct(shown)),
                                   lambda exact: share_fits(_pct(shown), exact) is not None)
        if found is None:
            return None
        r, j, c = index[1][found]
        name = f"“{r.label}”{t.columns[j]}".rstrip()
        return f"{fmt(count.value)}÷{name}{fmt(c.value)}"
