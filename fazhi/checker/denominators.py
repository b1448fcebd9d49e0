"""Which other figure of a table a wrong share fits: an index answering in O(log n) per share.

Scanning every cell of the table for every wrong share of it is cubic on a long one-cell-per-line table
(each scan also asked which columns are shares). The index sorts the candidate denominators once; for a
share ``s`` written with ``d`` decimals, ``share_fits`` holds exactly when the computed share
``count / den * 100`` lies in ``[s - q/2, s + q)`` (``q = 10**-d``: half-up rounding or truncation), and
that value falls as ``den`` grows, so the fitting denominators are one contiguous run of the sorted
values. The answer is the first fitting candidate in reading order, as the scan gave: the smallest
reading index over that run (a sparse table of minima), the share's own count cell left out.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from decimal import Decimal

HUNDRED = Decimal(100)


class DenominatorIndex:
    def __init__(self, candidates: list[tuple[Decimal, object]]) -> None:
        """``candidates``: (value, key) in reading order; keys identify cells (compared by identity)."""
        self.keys = [key for _v, key in candidates]
        self.cand_values = [v for v, _key in candidates]
        first: dict[Decimal, list[int]] = {}
        for i, (value, _key) in enumerate(candidates):
            if value > 0:  # a zero or negative denominator gives no share
                slot = first.setdefault(value, [])
                if len(slot) < 2:
                    slot.append(i)
        self.values = sorted(first)
        self.first = [first[v][0] for v in self.values]
        self.second = [first[v][1] if len(first[v]) > 1 else None for v in self.values]
        self.position = {v: p for p, v in enumerate(self.values)}
        # sparse table: mins[k][p] = min(first[p : p + 2**k])
        self.mins = [self.first]
        width = 1
        while 2 * width <= len(self.first):
            prev = self.mins[-1]
            self.mins.append([min(prev[p], prev[p + width]) for p in range(len(prev) - width)])
            width *= 2

    def _min(self, lo: int, hi: int) -> int | None:
        """Smallest reading index over sorted positions lo..hi (inclusive)."""
        if lo > hi:
            return None
        k = (hi - lo + 1).bit_length() - 1
        return min(self.mins[k][lo], self.mins[k][hi - (1 << k) + 1])

    def first_fit(self, count: Decimal, count_key: object, shown: Decimal, places: int,
                  fits: Callable[[Decimal], bool]) -> int | None:
        """Reading index of the first candidate ``den`` (not ``count_key``) with ``fits(count / den * 100)``."""
        q = Decimal(1).scaleb(-places)
        low, high = shown - q / 2, shown + q

        def band(den: Decimal) -> int:
            # 0: share too high (den too small), 1: in the fitting range, 2: too low
            exact = count / den * HUNDRED
            return 0 if exact >= high else (1 if exact >= low else 2)

        values = self.values
        lo = bisect_left(values, 1, key=band)
        hi = bisect_left(values, 2, lo=lo, key=band) - 1
        if lo > hi:
            return None
        best = self._best(lo, hi, count_key)
        if best is not None and fits(count / self.cand_values[best] * HUNDRED):
            return best
        # Not expected (the run is exactly where the share fits); should it happen, answer as the scan did.
        for i in sorted(i for p in range(lo, hi + 1) for i in (self.first[p], self.second[p]) if i is not None):
            if self.keys[i] is not count_key and fits(count / self.cand_values[i] * HUNDRED):
                return i
        return None

    def _best(self, lo: int, hi: int, count_key: object) -> int | None:
        best = self._min(lo, hi)
        if best is None or self.keys[best] is not count_key:
            return best
        # the share's own count cell comes first: take the next one in reading order
        p = self.position[self.cand_values[best]]
        options = [i for i in (self._min(lo, p - 1), self._min(p + 1, hi), self.second[p]) if i is not None]
        return min(options) if options else None
