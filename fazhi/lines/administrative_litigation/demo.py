"""Demo 行政应诉 cases of 西市区 2025: every hearing attended by the organ's head (出庭应诉率100%)."""

from __future__ import annotations

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "administrative_litigation"
DEFENDANTS = ["西市区人民政府", "区市场监管局", "区自然资源局", "区住建局", "区人力资源和社会保障局", "区城管局", "西城街道办事处"]
HEADS = ["区长", "副区长", "局长", "副局长", "主任"]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    rng, cal = ctx.rng, workday_calendar()
    unit = ctx.unit("西市区", "区司法局")
    # 26 first- and second-instance cases: 22 heard (the head in court every time), 4 ended before a hearing.
    fates = ["heard"] * 22 + ["withdrawn"] * 3 + ["suit_dismissed"]
    rng.shuffle(fates)
    rows = []
    for i, fate in enumerate(fates):
        served = cal.next_working_day(dt.date(2025, 1, 6) + dt.timedelta(days=rng.randrange(0, 300)))
        instance = "second" if rng.random() < 0.2 else "first"
        payload = {"served_on": served, "case_number": f"（2025）辽0804行初{i + 1}号", "plaintiff": "某某",
                   "defendant": rng.choice(DEFENDANTS), "instance": instance,
                   "action_type": rng.choices(["penalty", "expropriation", "information", "inaction", "work_injury",
                                               "licence", "registration", "other"], weights=[6, 5, 3, 3, 3, 2, 2, 2])[0]}
        # The answer is due in 15 days; one case answered late.
        answered = served + dt.timedelta(days=17 if i == 5 else rng.randint(5, 14))
        steps = [ImportStep("answer", answered, fields={"defence_filed_on": answered})]
        judgment = {"judgment_number": payload["case_number"].replace("号", "号判决书")}
        if fate == "heard":
            hearing = cal.next_working_day(answered + dt.timedelta(days=rng.randint(15, 45)))
            steps.append(ImportStep("attend_hearing", hearing,
                                    fields={"head_appeared": True, "head_name": rng.choice(HEADS)}))
            steps.append(ImportStep("conclude", hearing + dt.timedelta(days=rng.randint(20, 60)), fields=judgment,
                                    outcome=rng.choices(["claim_rejected", "revoked", "confirmed_illegal", "mediated"],
                                                        weights=[14, 2, 2, 3])[0]))
        else:
            steps.append(ImportStep("conclude", answered + dt.timedelta(days=rng.randint(10, 30)),
                                    fields={"judgment_number": payload["case_number"].replace("号", "号裁定书")},
                                    outcome=fate))
        rows.append(ImportRow(payload["case_number"], unit, served, payload, steps))
    return record_bulk_import(acting_user=ctx.users["xs_admin"], register=REGISTER, rows=rows)
