"""Demo records of 人民调解 for both districts: mostly concluded, a few still open or overdue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.registers.models import Record
from fazhi.registers.services import record_create, record_transition

REGISTER = "people_mediation"
DISPUTES = ["marriage_family", "neighbourhood", "land_housing", "contract", "damages", "labour", "property_management", "other"]
ORG_TYPES = ["village", "village", "town", "town", "traffic", "police", "personal"]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    created = 0
    plans = [("东洲区", "DZ", 2024, 120, ["哈达镇", "新屯街道"], "hd_mediator"),
             ("西市区", "XS", 2025, 60, ["西城街道", "清河镇"], "xs_admin")]
    for district, prefix, year, count, towns, username in plans:
        user = ctx.users[username]
        for i in range(count):
            town = towns[i % len(towns)]
            if username == "hd_mediator" and town != "哈达镇":
                user = ctx.users["xt_mediator"]
            elif username == "hd_mediator":
                user = ctx.users["hd_mediator"]
            unit = ctx.unit(district, town)
            opened = dt.date(year, 1, 2) + dt.timedelta(days=ctx.rng.randrange(0, 350))
            record = record_create(
                acting_user=user, register=REGISTER, org_unit=unit, external_id=f"{prefix}-TJ-{year}-{i + 1:04d}",
                opened_on=opened,
                payload={
                    "organization_type": ctx.rng.choice(ORG_TYPES),
                    "dispute_type": ctx.rng.choice(DISPUTES),
                    "party": ctx.person(org_unit=unit, acting_user=user).pk,
                    "summary": "双方因琐事发生争执，申请调解。",
                },
            )
            record_transition(acting_user=user, record=record, transition="start", on_date=opened)
            days = ctx.rng.choice([3, 7, 12, 20, 26, 40])
            outcome = "success" if ctx.rng.random() < 0.92 else "failure"
            record_transition(
                acting_user=user, record=record, transition="conclude", on_date=opened + dt.timedelta(days=days),
                outcome=outcome, fields={"mediator_name": user.first_name, "agreement_form": "written",
                                         "subsidy": 200 if outcome == "success" else 100},
            )
            created += 1
    # A few open cases in the current month, two of them already past the one-month limit.
    today = timezone.localdate()
    for i, age in enumerate([45, 38, 20, 6, 2]):
        user = ctx.users["hd_mediator"]
        unit = ctx.unit("东洲区", "哈达镇")
        record_create(
            acting_user=user, register=REGISTER, org_unit=unit, external_id=f"DZ-TJ-OPEN-{i + 1:03d}",
            opened_on=today - dt.timedelta(days=age),
            payload={"organization_type": "village", "dispute_type": "neighbourhood",
                     "party": ctx.person(org_unit=unit, acting_user=user).pk, "summary": "邻里通行纠纷。"},
        )
        created += 1
    return created
