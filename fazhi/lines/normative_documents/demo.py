"""东洲区 2024: 24 normative documents of the government, departments and towns; most filed in time,
two found with problems and corrected."""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "normative_documents"
ISSUERS = [("东洲区", "government"), ("区营商局", "department"), ("区交通局", "department"), ("区审计局", "department"),
           ("哈达镇", "town"), ("新屯街道", "town")]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    office = ctx.unit("东洲区", "区司法局")
    rows = []
    for i, published in enumerate(ctx.dates(dt.date(2024, 1, 10), dt.date(2024, 11, 20), 24)):
        issuer_name, kind = ISSUERS[i % len(ISSUERS)]
        issuer = ctx.unit("东洲区", None if issuer_name == "东洲区" else issuer_name)
        filed = published + dt.timedelta(days=35 if i == 7 else ctx.rng.randrange(5, 25))  # one filed late
        steps = [ImportStep("file", filed, fields={"filed_on_time": i != 7})]
        reviewed = filed + dt.timedelta(days=ctx.rng.randrange(5, 14))
        if i in (3, 15):
            steps += [ImportStep("find_problem", reviewed, fields={"problem": "设定了上位法未规定的行政许可条件。"}),
                      ImportStep("correct", reviewed + dt.timedelta(days=20), outcome="amended")]
        else:
            steps.append(ImportStep("pass_review", reviewed, outcome="no_problem"))
        rows.append(ImportRow(
            f"东规备〔2024〕{i + 1}号", office, published,
            {"published_on": published, "title": f"关于规范{ctx.rng.choice(['公共服务', '行政执法', '专项资金', '市场监管'])}工作的通知",
             "document_number": f"东{'政' if kind == 'government' else '部'}发〔2024〕{i + 3}号", "issuer": issuer.pk,
             "issuer_kind": kind, "subject": ctx.rng.choice(["economy", "social", "enforcement", "other"])},
            steps=steps,
        ))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=rows)
