"""东洲区 2024: 230 activities, 7500 leaflets, 1300 bags, 10000 beneficiaries, 3 巡回办证点, 18 公证协办.
西市区 2025: 812 consultations (the report says 800余人次), the 一院式 platform took 367 and concluded 301."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "public_legal_services"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    dz, xs = ctx.users["dz_admin"], ctx.users["xs_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=dz, approver=dz,
        values={("events", None): 230, ("leaflets", None): 7500, ("gift_bags", None): 1300,
                ("beneficiaries", None): 10000, ("notary_points", None): 3, ("notary_assists", None): 18},
        submitted_on=dt.date(2025, 2, 25), approved_on=dt.date(2025, 2, 27),
    )
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("events", None): 96, ("consultations", None): 812, ("platform_requests", None): 367,
                ("platform_concluded", None): 301, ("women_children_cases", None): 44,
                ("survey_responses", None): 120, ("survey_satisfied", None): 120},
    )
    # 西市区 2024, for 同比: 40 women's and children's rights cases (2025: 44, up 10%).
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2024, 1, 1), entered_by=xs, approver=xs,
        values={("events", None): 88, ("women_children_cases", None): 40},
        submitted_on=dt.date(2025, 2, 26), approved_on=dt.date(2025, 2, 28),
    )
    return entered
