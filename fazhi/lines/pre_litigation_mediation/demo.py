"""Demo 诉前调解 records of 东洲区 2024 (区人民法院).

779 disputes referred before filing (280 mediated successfully), 410 entrusted during proceedings and
133 mediations in enforcement (108 执行和解). The 959 online mediations are 诉前 and 诉中 together:
612 of the 779 pre-filing disputes and 347 of the 410 in-proceedings ones.
"""

from __future__ import annotations

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "pre_litigation_mediation"

# stage → (records, online, {outcome: count}); the records left over are still being mediated.
PLAN = {
    "pre_litigation": (779, 612, {"success": 280, "failure": 421, "withdrawn": 68}),
    "in_litigation": (410, 347, {"success": 236, "failure": 150, "withdrawn": 24}),
    "enforcement": (133, 40, {"settled": 108, "failure": 25}),
}
MEDIATORS = ["区法院诉调对接中心特邀调解员", "章党法庭驻庭调解员", "章党镇人民调解委员会", "区交通事故纠纷人民调解委员会",
             "区物业纠纷人民调解委员会", "区劳动争议调解中心", "知识产权纠纷调解工作室"]
DOCKET = {"pre_litigation": "民诉前调", "in_litigation": "民初", "enforcement": "执"}


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    rng, cal = ctx.rng, workday_calendar()
    unit = ctx.unit("东洲区")  # the district court is not in the demo tree
    rows: list[ImportRow] = []
    for stage, (total, online, outcomes) in PLAN.items():
        fates = [o for o, n in outcomes.items() for _ in range(n)]
        fates += ["open"] * (total - len(fates))
        rng.shuffle(fates)
        online_flags = [True] * online + [False] * (total - online)
        rng.shuffle(online_flags)
        for i, fate in enumerate(fates):
            if fate == "open":
                referred = dt.date(2024, 12, 10) + dt.timedelta(days=rng.randrange(0, 20))
            else:
                referred = dt.date(2024, 1, 2) + dt.timedelta(days=rng.randrange(0, 330))
            referred = cal.next_working_day(referred)
            dispute = rng.choices(["private_lending", "sales_contract", "property_service", "family", "labour",
                                   "traffic", "intellectual_property", "financial", "other"],
                                  weights=[22, 15, 14, 10, 8, 12, 3, 10, 6])[0]
            payload = {"referred_on": referred, "stage": stage, "online": online_flags[i], "dispute_type": dispute,
                       "case_number": f"（2024）辽0403{DOCKET[stage]}{i + 1}号", "parties": "原告某某与被告某某"}
            assigned = cal.add_working_days(referred, rng.randint(0, 2))
            steps = [ImportStep("assign", assigned, fields={"mediator_name": rng.choice(MEDIATORS)})]
            if fate == "withdrawn":
                steps.append(ImportStep("withdraw", assigned + dt.timedelta(days=rng.randint(2, 15)), outcome="withdrawn"))
            elif fate != "open":
                # Most end within the 30-day period; about one in twenty takes longer.
                days = rng.randint(31, 45) if rng.random() < 0.05 else rng.randint(3, 28)
                fields = {"agreement": "双方达成协议，约定分期履行。"} if fate in ("success", "settled") else {}
                steps.append(ImportStep("conclude", max(referred + dt.timedelta(days=days), assigned), fields=fields,
                                        outcome=fate))
            rows.append(ImportRow(payload["case_number"], unit, referred, payload, steps))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=rows)
