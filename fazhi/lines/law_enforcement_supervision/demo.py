"""东洲区 2024: 38 departments filed inspection plans, 71 enforcement permits issued or renewed.
西市区 2025: 409 涉企检查 filings, 146 case files reviewed by 7 lawyers, 法制审核 staff 5% of 560."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "law_enforcement_supervision"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    dz, xs = ctx.users["dz_admin"], ctx.users["xs_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=dz, approver=dz,
        values={("planning_departments", None): 38, ("permits_issued", None): 71},
        submitted_on=dt.date(2025, 2, 18), approved_on=dt.date(2025, 2, 19),
    )
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("enterprise_inspections_filed", None): 409, ("case_files_reviewed", None): 146,
                ("case_file_reviewers", None): 7, ("enforcement_staff", None): 560, ("legal_review_staff", None): 28},
    )
    return entered
