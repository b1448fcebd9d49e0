"""西市区 2025: 7 lawyers reviewed 146 licence and penalty case files concluded from January 2021 to
May 2025 (the seed report's figures), with scores and grades."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "enforcement_case_review"
LAWYERS = ["刘律师", "陈律师", "杨律师", "黄律师", "吴律师", "徐律师", "孙律师"]
DEPARTMENTS = ["区司法局", "区营商局", "区人力资源和社会保障局"]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    office = ctx.unit("西市区", "区司法局")
    rows = []
    for i, drawn in enumerate(ctx.dates(dt.date(2025, 6, 2), dt.date(2025, 6, 30), 146)):
        score = Decimal(ctx.rng.randrange(680, 990)) / 10
        grade = "excellent" if score >= 90 else "qualified" if score >= 75 else "unqualified"
        rows.append(ImportRow(
            f"西卷评〔2025〕{i + 1}号", office, drawn,
            {"drawn_on": drawn, "department": ctx.unit("西市区", DEPARTMENTS[i % 3]).pk,
             "case_number": f"西执〔{2021 + i % 5}〕{100 + i}号", "case_kind": "licence" if i % 3 == 0 else "penalty"},
            steps=[ImportStep("assign", drawn, fields={"reviewer": LAWYERS[i % 7], "reviewer_kind": "lawyer"}),
                   ImportStep("score", drawn + dt.timedelta(days=ctx.rng.randrange(3, 20)),
                              fields={"score": score, "problems": "" if grade != "unqualified" else "证据不充分。"},
                              outcome=grade)],
        ))
    return record_bulk_import(acting_user=ctx.users["xs_admin"], register=REGISTER, rows=rows)
