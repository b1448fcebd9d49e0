"""东洲区 2024: 18 major penalty decisions filed with the 司法局, one of them late."""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "major_penalty_filing"


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    office = ctx.unit("东洲区", "区司法局")
    departments = ["区交通局", "区营商局", "公安东洲分局"]
    rows = []
    for i, decided in enumerate(ctx.dates(dt.date(2024, 1, 15), dt.date(2024, 11, 30), 18)):
        filed = decided + dt.timedelta(days=22 if i == 4 else ctx.rng.randrange(3, 14))
        rows.append(ImportRow(
            f"东重罚备〔2024〕{i + 1}号", office, decided,
            {"decided_on": decided, "department": ctx.unit("东洲区", departments[i % 3]).pk,
             "decision_number": f"东罚决〔2024〕{200 + i}号",
             "penalty_kind": ctx.rng.choice(["large_fine", "large_fine", "confiscation", "licence_revoked"]),
             "fine_amount": ctx.rng.randrange(50, 500) * 1000, "legal_review_done": True},
            steps=[ImportStep("file", filed),
                   ImportStep("review", filed + dt.timedelta(days=ctx.rng.randrange(2, 10)), outcome="compliant",
                              fields={"opinion": "程序合法，处罚适当。"})],
        ))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=rows)
