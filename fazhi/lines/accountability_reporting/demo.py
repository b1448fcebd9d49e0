"""Demo report of 述法 for 东洲区 2024: 55 党政主要负责人 reported, 6 of them on site at the
February meeting and 49 in writing, all within the annual assessment."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "accountability_reporting"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin = ctx.users["dz_admin"]
    return demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=admin, approver=admin,
        values={
            ("leaders", None): 55,
            ("leaders", "form=on_site"): 6,
            ("leaders", "form=written"): 49,
            ("sessions", None): 1,
            ("assessed_leaders", None): 55,
        },
        submitted_on=dt.date(2025, 2, 19), approved_on=dt.date(2025, 2, 20),
    )
