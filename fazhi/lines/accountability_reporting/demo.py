"""Demo reports of 述法: 东洲区 2024, 55 党政主要负责人 reported, 6 of them on site at the February
meeting and 49 in writing, all within the annual assessment; 西市区 2025, all 38 who had to report
(全覆盖), 7 on site."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "accountability_reporting"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin = ctx.users["dz_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=admin, approver=admin,
        values={
            ("leaders", None): 55,
            ("leaders", "form=on_site"): 6,
            ("leaders", "form=written"): 49,
            ("sessions", None): 1,
            ("assessed_leaders", None): 55,
            ("leaders_due", None): 55,
        },
        submitted_on=dt.date(2025, 2, 19), approved_on=dt.date(2025, 2, 20),
    )
    xs = ctx.users["xs_admin"]
    return entered + demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs, approver=xs,
        values={("leaders", None): 38, ("leaders", "form=on_site"): 7, ("leaders", "form=written"): 31,
                ("sessions", None): 1, ("leaders_due", None): 38},
        submitted_on=dt.date(2026, 1, 16), approved_on=dt.date(2026, 1, 19),
    )
