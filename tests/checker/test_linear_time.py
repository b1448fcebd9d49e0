"""The checker's time grows linearly: long one-cell-a-line tables with wrong shares were cubic."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from bench.checker_bench import table_dense
from fazhi.checker.denominators import DenominatorIndex
from fazhi.checker.service import report_check
from fazhi.checker.table_checks import share_fits


def _scan(candidates: list[tuple[Decimal, object]], count: Decimal, key: object, shown: Decimal) -> int | None:
    """The old answer: the first candidate in reading order that fits."""
    for i, (den, k) in enumerate(candidates):
        if k is not key and den > 0 and share_fits(shown, count / den * 100):
            return i
    return None


def test_index_gives_the_first_fit_in_reading_order() -> None:
    rng = random.Random(7)
    for _ in range(200):
        candidates: list[tuple[Decimal, object]] = [
            (Decimal(rng.choice([0, rng.randint(1, 60), rng.randint(1, 3000)])), object()) for _ in range(40)]
        index = DenominatorIndex(candidates)
        for _ in range(10):
            i = rng.randrange(len(candidates))
            count, key = candidates[i]
            shown = Decimal(f"{rng.uniform(0, 120):.{rng.choice([0, 1, 2])}f}")
            places = max(0, -int(shown.as_tuple().exponent))
            got = index.first_fit(count, key, shown, places, lambda e, s=shown: share_fits(s, e) is not None)
            assert got == _scan(candidates, count, key, shown)


def test_long_tables_take_linear_time() -> None:
    # one table each, 250 and 1000 rows (the table's length is what was cubic)
    small, large = table_dense(1, 1, rows=250), table_dense(1, 1, rows=1000)
    times = []
    for text in (small, large):
        started = time.process_time()
        result = report_check(text=text)
        times.append(time.process_time() - started)
        assert any("用错了分母" in f.message for f in result.findings)
    # four times the rows: a linear checker takes about 4x; the cubic one took about 60x
    assert times[1] < 8 * times[0] + 0.5
