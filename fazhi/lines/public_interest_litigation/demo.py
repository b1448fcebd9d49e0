"""Demo 公益诉讼 cases of 东洲区 2024: 60 cases (9 civil, 51 administrative), 45 recommendations all
rectified, 6 closed by consultation (one with 区文旅广局, 3 heritage signs set up), 413,600.00元 of damages
deposited in 3 food-and-drug civil cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.core.workdays import add_months, workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "public_interest_litigation"
# 提存损害赔偿金人民币41万余元: the demo's exact value, split over the three food-and-drug cases.
DAMAGES = [Decimal("186000.00"), Decimal("142600.00"), Decimal("85000.00")]  # 413,600.00元 = 41.36万元

ADMIN_DOMAINS = {
    "ecology": ("区生态环境分局", "辖区河道沿岸存在非法倾倒建筑垃圾问题，主管部门未依法履职"),
    "food_drug": ("区市场监管局", "校园周边食品经营者无证经营，监管部门未依法查处"),
    "state_assets": ("区人力资源和社会保障局", "违规发放的社保待遇未依法追回"),
    "land": ("区自然资源局", "土地出让金未足额征收"),
    "heritage": ("区文旅广局", "不可移动文物保护标志缺失、保护措施不到位"),
    "safety": ("区应急管理局", "燃气管道安全隐患未及时督促整改"),
    "minors": ("区教育局", "校园周边违规设置网吧、娱乐场所"),
}
CIVIL_DOMAINS = {
    "food_drug": "生产销售不符合安全标准的食品，损害不特定消费者权益",
    "ecology": "非法采砂破坏河道生态环境",
}


def _rows(ctx) -> list[ImportRow]:
    rng, cal = ctx.rng, workday_calendar()
    unit = ctx.unit("东洲区")  # the district procuratorate is not in the demo tree
    # 51 administrative: 45 by 检察建议, 6 closed by 磋商; 9 civil: 3 food-and-drug cases with damages.
    plan = ["recommendation"] * 45 + ["consultation"] * 6 + ["civil_damages"] * 3 + ["civil"] * 6
    rng.shuffle(plan)
    damages = iter(DAMAGES)
    heritage_consultation = plan.index("consultation")  # the 磋商 with 区文旅广局 on the 烽火台 site
    rows = []
    for i, kind in enumerate(plan):
        filed = cal.next_working_day(dt.date(2024, 1, 8) + dt.timedelta(days=rng.randrange(0, 300)))
        if kind.startswith("civil"):
            # the three food-and-drug cases are those with damages (the seed counts them together)
            domain = "food_drug" if kind == "civil_damages" else "ecology"
            payload = {"filed_on": filed, "case_type": "civil", "domain": domain, "respondent": "某经营者",
                       "summary": CIVIL_DOMAINS[domain]}
            announced = cal.add_working_days(filed, rng.randint(5, 15))
            sued = cal.next_working_day(announced + dt.timedelta(days=rng.randint(31, 40)))
            steps = [ImportStep("announce", announced, fields={"procedure": "announcement"}),
                     ImportStep("sue", sued)]
            if kind == "civil_damages":
                steps.append(ImportStep("close_litigation", sued + dt.timedelta(days=rng.randint(40, 90)),
                                        fields={"damages": next(damages)}, outcome="mediated"))
            elif rng.random() < 0.7:
                steps.append(ImportStep("close_litigation", sued + dt.timedelta(days=rng.randint(40, 120)),
                                        outcome="judgment_supported"))
        else:
            domain = rng.choices(list(ADMIN_DOMAINS), weights=[25, 20, 10, 8, 5, 15, 10])[0]
            if i == heritage_consultation:
                domain = "heritage"
            respondent, summary = ADMIN_DOMAINS[domain]
            payload = {"filed_on": filed, "case_type": "administrative", "domain": domain, "respondent": respondent,
                       "summary": summary}
            if kind == "consultation":
                consulted = cal.add_working_days(filed, rng.randint(3, 10))
                closing = {"heritage_signs": 3} if i == heritage_consultation else {}
                steps = [ImportStep("consult", consulted, fields={"procedure": "consultation"}),
                         ImportStep("close_by_consultation", consulted + dt.timedelta(days=rng.randint(15, 45)),
                                    outcome="consultation_closed", fields=closing)]
            else:
                issued = cal.add_working_days(filed, rng.randint(5, 20))
                served = cal.add_working_days(issued, rng.randint(0, 2))
                urgent = rng.random() < 0.08
                if urgent:
                    replied = served + dt.timedelta(days=rng.randint(5, 14))
                else:
                    # A few agencies reply after the two months.
                    late = rng.random() < 0.06
                    replied = (add_months(served, 2) + dt.timedelta(days=rng.randint(3, 20)) if late
                               else served + dt.timedelta(days=rng.randint(20, 58)))
                steps = [
                    ImportStep("issue_recommendation", issued,
                               fields={"procedure": "recommendation", "recommendation_number": f"东检行公建〔2024〕{i + 1}号",
                                       "served_on": served, "urgency": "urgent" if urgent else "normal"}),
                    ImportStep("receive_reply", replied, fields={"reply_summary": "已书面回复，整改措施落实到位。"}),
                    ImportStep("close_rectified", replied + dt.timedelta(days=rng.randint(5, 30)), outcome="rectified"),
                ]
        rows.append(ImportRow(f"东检公益〔2024〕{i + 1}号", unit, filed, payload, steps))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=_rows(ctx))
