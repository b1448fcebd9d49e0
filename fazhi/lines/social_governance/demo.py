"""东洲区 2024: all 26 government departments have a legal adviser (全覆盖). 西市区 2025: 20 risk assessments, 33 grid workers, 90 obstructive practices cleared, 3 legal advisers,
3 power lists, 6 anti-fraud events reaching 512 people with 915 leaflets (500余人, 900余份),
5 veterans' briefings for 156 people (150余人次)."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "social_governance"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    xs, dz = ctx.users["xs_admin"], ctx.users["dz_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=dz, approver=dz,
        values={("departments", None): 26, ("departments_with_adviser", None): 26},
        submitted_on=dt.date(2025, 2, 24), approved_on=dt.date(2025, 2, 25),
    )
    return entered + demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("risk_assessments", None): 20, ("grid_workers", None): 33, ("obstructive_practices_cleared", None): 90,
                ("legal_advisers", None): 3, ("power_lists", None): 3, ("anti_fraud_events", None): 6,
                ("anti_fraud_people", None): 512, ("anti_fraud_materials", None): 915, ("veteran_briefings", None): 5,
                ("veteran_audience", None): 156, ("homicides", None): 0},
    ) + sum(
        # the two years before, for 近三年命案零发生
        demo_report(dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(year, 1, 1), entered_by=xs,
                    approver=xs, values={("homicides", None): 0}, submitted_on=dt.date(year + 1, 2, 25),
                    approved_on=dt.date(year + 1, 2, 27))
        for year in (2023, 2024)
    )
