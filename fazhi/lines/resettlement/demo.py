"""Demo 刑满释放人员 under 安置帮教.

东洲区: 836 persons within their assistance period at the end of 2024; 8 of those released in 2024
got transitional living support totalling 6300 yuan. 西市区 2025: every release notice handed over
(衔接率100%), 197 of 200 placed and 197 (not the same) under 帮教 (98.5%, printed as 98%以上),
4 reoffended (2.0%, under 3%).
"""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "resettlement"
PLACEMENTS = ["employment", "employment", "self_employment", "family", "family", "welfare"]


def _rows(ctx, *, district: str, prefix: str, offices: list[str], plan: list[dict]) -> list[ImportRow]:
    units = [ctx.unit(district, name) for name in offices]
    people = {u.pk: iter(ctx.people(org_unit=u, count=len(plan))) for u in units}
    rows = []
    for i, p in enumerate(plan):
        unit = units[i % len(units)]
        notified = p["notified"]
        release = notified + dt.timedelta(days=ctx.rng.randrange(20, 35))
        payload = {"person": next(people[unit.pk]), "notified_on": notified, "release_on": release,
                   "origin": "prison", "reoffended": p.get("reoffended", False)}
        if p.get("aid"):
            payload.update(transitional_aid=True, aid_amount=p["aid"])
        mentoring = {"mentored": True, "mentor_group": "司法所干警、社区民警、村（社区）干部"} if p.get("mentored", True) else {}
        steps = [ImportStep("connect", release - dt.timedelta(days=ctx.rng.randrange(1, 10)), fields=mentoring)]
        if p.get("placed", True):
            steps.append(ImportStep("place", release + dt.timedelta(days=ctx.rng.randrange(3, 30)),
                                    fields={"placement": ctx.rng.choice(PLACEMENTS)}))
        if p.get("closed_on"):
            steps.append(ImportStep("close", p["closed_on"]))
        rows.append(ImportRow(f"{prefix}帮〔{notified.year}〕{i + 1:05d}号", unit, notified, payload, steps=steps))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    dz_offices = ["哈达镇司法所", "章党镇司法所", "新屯街道司法所", "搭连街道司法所", "万新街道司法所", "龙凤街道司法所"]
    plan: list[dict] = []
    # Released in 2019: their five-year assistance period ends during 2024.
    for notified in ctx.dates(dt.date(2019, 1, 5), dt.date(2019, 11, 20), 120):
        plan.append({"notified": notified, "closed_on": notified.replace(year=2024) + dt.timedelta(days=40)})
    # Still within the period at the end of 2024: 686 released 2020–2023 and 150 in 2024 (8 with support).
    for notified in ctx.dates(dt.date(2020, 1, 5), dt.date(2023, 11, 20), 686):
        plan.append({"notified": notified})
    aid = [800] * 7 + [700]  # 6300 yuan in all
    for j, notified in enumerate(ctx.dates(dt.date(2024, 1, 5), dt.date(2024, 11, 20), 150)):
        plan.append({"notified": notified, "aid": aid[j] if j < len(aid) else None})
    created = record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER,
                                 rows=_rows(ctx, district="东洲区", prefix="东", offices=dz_offices, plan=plan))
    # 3 not placed (j < 3) and 3 without 帮教 (j in 1, 60, 120): 安置率 and 帮教率 both 98.5%
    xs_plan = [{"notified": d, "placed": j >= 3, "mentored": j not in (1, 60, 120), "reoffended": j in (10, 50, 90, 130)}
               for j, d in enumerate(ctx.dates(dt.date(2025, 1, 5), dt.date(2025, 11, 20), 200))]
    created += record_bulk_import(
        acting_user=ctx.users["xs_admin"], register=REGISTER,
        rows=_rows(ctx, district="西市区", prefix="西", offices=["西城街道司法所", "河东街道司法所", "滨港街道司法所",
                                                                "清河镇司法所"], plan=xs_plan),
    )
    return created
