"""西市区 2025: the four streets and towns screened 4125 disputes and resolved 4122 (化解率 99%)."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "dispute_screening"
XS_2025 = [("西城街道", 1210, 1210), ("河东街道", 1098, 1097), ("滨港街道", 964, 963), ("清河镇", 853, 852)]


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin = ctx.users["xs_admin"]
    entered = 0
    for name, screened, resolved in XS_2025:
        entered += demo_report(
            dataset=DATASET, unit=ctx.unit("西市区", name), period_start=dt.date(2025, 1, 1), entered_by=admin,
            approver=admin, values={("screened", None): screened, ("resolved", None): resolved},
            submitted_on=dt.date(2026, 1, 12), approved_on=dt.date(2026, 1, 14),
        )
    return entered
