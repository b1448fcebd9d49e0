"""西市区 2025: 23 schools with 46 法治副校长 (2 each), 32 activities, 19 prosecutors as 法治副校长,
1086 students reached (the report says 超千人)."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "school_rule_of_law"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    xs = ctx.users["xs_admin"]
    return demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("schools", None): 23, ("vice_principals", None): 46, ("activities", None): 32,
                ("prosecutor_vice_principals", None): 19, ("students_reached", None): 1086},
    )
