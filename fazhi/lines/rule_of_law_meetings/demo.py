"""Demo reports of 法治建设会议: 东洲区 2024 (3 coordination groups, 6 committee-office meetings, 2 reports heard by the
district Party committee, 29 government Party-group meetings, 27 executive meetings, 130 major
matters); 西市区 2025 has only its report to the city Party committee so far (a draft)."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "rule_of_law_meetings"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin, xs_admin = ctx.users["dz_admin"], ctx.users["xs_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=admin, approver=admin,
        values={
            ("coordination_groups", None): 3,
            ("committee_office_meetings", None): 6,
            ("reports_heard", None): 2,
            ("government_party_group_meetings", None): 29,
            ("executive_meetings", None): 27,
            ("major_matters", None): 130,
            ("key_projects", None): 1,
        },
        submitted_on=dt.date(2025, 2, 20), approved_on=dt.date(2025, 2, 21),
    )
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs_admin,
        values={("reports_to_superior", None): 1},
    )
    return entered
