"""Demo reports of 学法: 东洲区 2024 as its report gives them (12 theory-group sessions, 6 seminars,
500 second-level sessions, 400 lectures heard by 15000 people, 3 “法律明白人” classes with 360
trainees), entered by the district; 西市区 2025 has only its 6 “法律明白人” classes, still a draft."""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report

DATASET = "law_study"


def demo_build(ctx) -> int:
    if demo_done(DATASET):
        return 0
    admin, xs_admin = ctx.users["dz_admin"], ctx.users["xs_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=admin, approver=admin,
        values={
            ("center_group_sessions", None): 12,
            ("center_group_seminars", None): 6,
            ("second_level_sessions", None): 500,
            ("lectures", None): 400,
            ("new_leaders", None): 14,
            ("new_leaders_examined", None): 14,
            ("lecture_audience", None): 15000,
            ("training_sessions", None): 3,
            ("training_sessions", "trainees=legal_liaisons"): 3,
            ("training_participants", None): 360,
            ("training_participants", "trainees=legal_liaisons"): 360,
        },
        submitted_on=dt.date(2025, 2, 25), approved_on=dt.date(2025, 2, 27),
    )
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs_admin,
        values={("training_sessions", "trainees=legal_liaisons"): 6},
    )
    return entered
