"""西市区 2025: 法制审核 staff 5% of 560.

The inspection plans, enforcement permits and 涉企检查 filings of the seed reports (东洲区 2024: 38
departments, 71 permits; 西市区 2025: 409 filings) are register records now (lines/law_enforcement/demo.py),
as are the 146 case files reviewed by 7 lawyers (lines/enforcement_case_review/demo.py)."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "law_enforcement_supervision"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    xs = ctx.users["xs_admin"]
    return demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("enforcement_staff", None): 560, ("legal_review_staff", None): 28},
    )
