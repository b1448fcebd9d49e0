"""81 审前调查评估 in 东洲区 2024 (the seed report's figure), most within ten working days."""

from __future__ import annotations

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "pretrial_assessment"
OFFICES = ["哈达镇司法所", "章党镇司法所", "新屯街道司法所", "搭连街道司法所", "万新街道司法所", "龙凤街道司法所"]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    cal = workday_calendar()
    offices = [ctx.unit("东洲区", name) for name in OFFICES]
    rows = []
    for i, received in enumerate(ctx.dates(dt.date(2024, 1, 3), dt.date(2024, 12, 10), 81)):
        office = offices[i % len(offices)]
        days = 12 if i % 27 == 4 else ctx.rng.randrange(4, 10)  # a few take longer than ten working days
        outcome = "unsuitable" if i % 8 == 0 else "suitable"
        rows.append(ImportRow(
            f"东评〔2024〕{i + 1}号", office, received,
            {"received_on": received, "subject": ctx.people(org_unit=office, count=1)[0],
             "entrusting_organ": ctx.rng.choice(["court", "court", "court", "procuratorate"])},
            steps=[ImportStep("report", cal.add_working_days(received, days), outcome=outcome,
                              fields={"conclusion_text": "经调查评估，" + ("不" if outcome == "unsuitable" else "")
                                      + "适宜适用社区矫正。"})],
        ))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=rows)
