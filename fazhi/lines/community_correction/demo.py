"""Demo persons under 社区矫正 in 东洲区, reproducing the 2024 flow of the seed report:
89 on the register at the start of 2024, 68 received, 52 released, 2 moved to another place of
execution, so 103 at the end — 98 缓刑, 3 暂予监外执行, 1 管制, 1 假释. Plus 81 审前调查评估 (in the
pretrial_assessment line) and earlier persons released in 2023, so 2023 has a flow of its own.
"""

from __future__ import annotations

import datetime as dt

from fazhi.datasets.demo import demo_done, demo_report
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "community_correction"
OFFICES = ["哈达镇司法所", "章党镇司法所", "新屯街道司法所", "搭连街道司法所", "万新街道司法所", "龙凤街道司法所"]


def _person_rows(ctx, plan: list[tuple[str, dt.date, str | None, dt.date | None]]) -> list[ImportRow]:
    """plan: (correction type, received on, exit transition or None, exit date)."""
    rows = []
    offices = [ctx.unit("东洲区", name) for name in OFFICES]
    people = {office.pk: iter(ctx.people(org_unit=office, count=len(plan))) for office in offices}
    for i, (kind, received, exit_, exit_on) in enumerate(plan):
        office = offices[i % len(offices)]
        late = i % 37 == 5  # now and then someone reports after the ten days
        effective = received - dt.timedelta(days=ctx.rng.randrange(11, 15) if late else ctx.rng.randrange(2, 10))
        grade = ctx.rng.choice(["ordinary", "ordinary", "ordinary", "lenient", "strict"])
        steps = [ImportStep("report_in", received)]
        if i % 11 == 3:
            steps.append(ImportStep("change_grade", received + dt.timedelta(days=90), fields={"grade": "lenient"},
                                    note="表现良好，经考核调整为宽管。"))
        if exit_ is None and i % 29 == 7:  # an electronic tag (社区矫正法 第二十九条); every other one removed
            tagged = received + dt.timedelta(days=30)
            steps.append(ImportStep("tag", tagged, fields={"e_tag_ground": "no_report",
                                                           "e_tag_approver": "东洲区司法局负责人"}))
            if i % 58 == 7:
                steps.append(ImportStep("untag", tagged + dt.timedelta(days=75), note="经评估不需要继续使用。"))
        if exit_ == "release":
            assert exit_on is not None  # a planned exit always has its date
            steps.append(ImportStep("release", exit_on))
        elif exit_ == "transfer":
            assert exit_on is not None
            steps.append(ImportStep("transfer", exit_on, fields={"new_place": "抚顺市新抚区"}))
        rows.append(ImportRow(
            f"东矫〔{received.year}〕{i + 1:04d}号", office, received,
            {"person": next(people[office.pk]), "correction_type": kind, "effective_on": effective,
             "received_on": received, "grade": grade, "decision_organ": "东洲区人民法院",
             "term_end_on": (exit_on or received + dt.timedelta(days=730))},
            steps=steps,
        ))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    return _education(ctx) + _persons(ctx)


def _education(ctx) -> int:
    """西市区 2025: 24 法治教育 sessions, 98.6% passed (98%以上), 612 psychological services (600余人次)."""
    if demo_done("correction_education"):
        return 0
    xs = ctx.users["xs_admin"]
    return demo_report(
        dataset="correction_education", unit=ctx.unit("西市区"), period_start=dt.date(2025, 1, 1), entered_by=xs,
        values={("education_sessions", None): 24, ("educated", None): 142, ("education_passed", None): 140,
                ("psychological_services", None): 612},
    )


def _persons(ctx) -> int:
    rng = ctx.rng
    remaining = ["probation"] * 98 + ["medical_parole"] * 3 + ["control"] + ["parole"]
    leaving = ["probation"] * 50 + ["parole"] * 3 + ["medical_parole"]
    rng.shuffle(remaining)
    rng.shuffle(leaving)
    exits = ["release"] * 52 + ["transfer"] * 2
    rng.shuffle(exits)
    cohort_dates = ctx.dates(dt.date(2022, 3, 1), dt.date(2023, 12, 20), 89)
    new_dates = ctx.dates(dt.date(2024, 1, 5), dt.date(2024, 12, 20), 68)
    plan: list[tuple[str, dt.date, str | None, dt.date | None]] = []
    # On the register at the start of 2024: 45 leave during 2024, 44 stay.
    for j, received in enumerate(cohort_dates):
        if j < 45:
            plan.append((leaving[j], received, exits[j], ctx.dates(dt.date(2024, 1, 10), dt.date(2024, 12, 20), 1)[0]))
        else:
            plan.append((remaining[j - 45], received, None, None))
    # Received in 2024: the 9 received earliest leave before the end of the year, 59 stay.
    for j, received in enumerate(new_dates):
        if j < 9:
            plan.append((leaving[45 + j], received, exits[45 + j], received + dt.timedelta(days=rng.randrange(60, 150))))
        else:
            plan.append((remaining[44 + j - 9], received, None, None))
    # Persons whose correction ended in 2023 (they give 2023 its own flow).
    for received in ctx.dates(dt.date(2021, 6, 1), dt.date(2022, 10, 31), 40):
        released = min(received + dt.timedelta(days=rng.randrange(400, 560)), dt.date(2023, 12, 20))
        plan.append(("probation", received, "release", released))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=_person_rows(ctx, plan))
