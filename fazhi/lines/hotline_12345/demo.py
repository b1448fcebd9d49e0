"""Demo work orders of the 12345 hotline: 东洲区 2024 (to 5 December) and 西市区 2025.

The counts reproduce the seed reports (see seed_figures.yaml); dates, units and handling times are
drawn from `ctx.rng`, so the same seed always gives the same work orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi.core.demo import DISTRICTS
from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "hotline_12345"

TOPICS = {
    "urban_management": ["小区周边占道经营，影响通行", "路灯损坏多日无人维修", "建筑垃圾乱堆乱放"],
    "housing": ["物业公司服务不到位，电梯频繁故障", "冬季供暖温度不达标", "老旧小区屋面漏雨"],
    "labour": ["用人单位拖欠工资", "咨询灵活就业人员社保缴费", "咨询失业保险金申领"],
    "market": ["商家拒不退还预付卡余额", "超市销售过期食品", "网购商品质量问题"],
    "transport": ["公交线路调整后出行不便", "路口信号灯配时不合理", "道路坑洼需修补"],
    "environment": ["餐饮油烟扰民", "夜间施工噪声扰民", "河道有垃圾漂浮"],
    "education_health": ["咨询适龄儿童入学政策", "社区卫生服务站开放时间", "咨询医保异地就医备案"],
    "enterprise": ["企业反映办电报装时间长", "咨询惠企政策申报条件", "企业反映项目审批进度"],
    "other": ["咨询户籍办理事项", "反映村内道路积雪未清", "咨询不动产登记办理材料"],
}
REPLIES = ["已协调责任部门现场处理完毕并电话告知诉求人。", "已依法依规作出解释说明，诉求人表示理解。",
           "已督促相关单位整改到位。", "已现场核实并解决。"]


@dataclass(frozen=True)
class Spec:
    district: str
    prefix: str
    admin: str  # demo user who imports (the district administrator)
    start: dt.date
    end: dt.date  # last day a work order is received or handled (东洲区: the report's 截至12月5日)
    cases: int
    open: int  # still being handled
    revisited: int
    dissatisfied: int
    proactive: int
    people_daily_board: int
    secretary_board: int
    message_board: int
    clip_to_end: bool  # keep every handling date on or before `end`


SPECS = [
    # 东洲区 2024：截至12月5日受理5922件，办结率99.69%（5904 ÷ 5922 = 99.696%，报告截尾）。
    Spec("东洲区", "DZ-12345-2024", "dz_admin", dt.date(2024, 1, 2), dt.date(2024, 12, 5), cases=5922, open=18,
         revisited=5020, dissatisfied=71, proactive=160, people_daily_board=41, secretary_board=35,
         message_board=420, clip_to_end=True),
    # 西市区 2025：办结率98%（4900 ÷ 5000），满意率98.8%（4446 ÷ 4500），未诉先办450件，
    # 人民网领导留言板87件，区委书记留言板满意率100%。
    Spec("西市区", "XS-12345-2025", "xs_admin", dt.date(2025, 1, 2), dt.date(2025, 12, 31), cases=5000, open=100,
         revisited=4500, dissatisfied=54, proactive=450, people_daily_board=87, secretary_board=64,
         message_board=380, clip_to_end=False),
]


def _units(ctx, district: str) -> list:
    spec = DISTRICTS[district]
    names = [name for name, *_ in spec["towns"]] + [d for d in spec["departments"] if d != "区司法局"]
    return [ctx.unit(district, name) for name in names]


def _rows(ctx, spec: Spec) -> list[ImportRow]:
    rng = ctx.rng
    cal = workday_calendar()
    units = _units(ctx, spec.district)
    channels = (["proactive"] * spec.proactive + ["people_daily_board"] * spec.people_daily_board
                + ["secretary_board"] * spec.secretary_board + ["message_board"] * spec.message_board)
    rest = spec.cases - len(channels)
    channels += ["web"] * (rest // 4) + ["phone"] * (rest - rest // 4)
    rng.shuffle(channels)
    order = list(range(spec.cases))
    rng.shuffle(order)
    open_ids = set(order[: spec.open])
    concluded = order[spec.open:]
    revisited = concluded[: spec.revisited]
    revisited_ids = set(revisited)
    # Every 区委书记留言板 work order revisited was rated 满意 or 基本满意 (the seed's 满意率100%).
    unhappy = [i for i in revisited if channels[i] != "secretary_board"][: spec.dissatisfied]
    unhappy_ids = set(unhappy)
    span = (spec.end - spec.start).days
    late_start = spec.end - dt.timedelta(days=12)
    rows: list[ImportRow] = []
    for i in range(spec.cases):
        channel = channels[i]
        if i in open_ids:
            received = late_start + dt.timedelta(days=rng.randrange(0, 13))
        else:
            received = spec.start + dt.timedelta(days=rng.randrange(0, span - 14))
        topic = rng.choice(list(TOPICS))
        if channel == "proactive":
            request_type = rng.choice(["help", "complaint"])
        else:
            request_type = rng.choices(["consultation", "help", "complaint", "report", "suggestion"],
                                       weights=[30, 30, 28, 6, 6])[0]
        payload = {"received_on": received, "channel": channel, "topic": topic, "request_type": request_type,
                   "content": rng.choice(TOPICS[topic])}
        if channel != "proactive":
            payload["caller"] = "匿名" if rng.random() < 0.3 else "群众"
        steps: list[ImportStep] = []
        reply = rng.choice(REPLIES)

        def day(d: dt.date, *, floor: dt.date) -> dt.date:
            if spec.clip_to_end and d > spec.end:
                d = spec.end
            return max(d, floor)

        if i not in open_ids and channel in ("phone", "web") and request_type == "consultation" and rng.random() < 0.5:
            # Operators answer simple enquiries at once (直接答复办结).
            steps.append(ImportStep("answer_directly", received, fields={"reply": "话务员依据知识库直接答复。"}))
            concluded_on = received
        else:
            dispatched = day(cal.next_working_day(received), floor=received)
            signed = day(cal.add_working_days(dispatched, rng.choice([0, 0, 1])), floor=dispatched)
            steps += [ImportStep("dispatch", dispatched), ImportStep("sign", signed)]
            if i in open_ids:
                rows.append(ImportRow(f"{spec.prefix}-{i + 1:06d}", rng.choice(units), received, payload, steps))
                continue
            # Most are concluded within the 5 working days; about 3% miss the deadline.
            length = rng.randint(6, 9) if rng.random() < 0.03 else rng.randint(1, 5)
            concluded_on = day(cal.add_working_days(dispatched, length), floor=signed)
            steps.append(ImportStep("conclude", concluded_on, fields={"reply": reply}))
        if i in revisited_ids:
            outcome = "dissatisfied" if i in unhappy_ids else rng.choices(
                ["satisfied", "basically_satisfied"], weights=[85, 15])[0]
            steps.append(ImportStep("revisit", day(concluded_on + dt.timedelta(days=rng.randint(1, 3)),
                                                   floor=concluded_on), outcome=outcome))
        rows.append(ImportRow(f"{spec.prefix}-{i + 1:06d}", rng.choice(units), received, payload, steps))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    created = 0
    for spec in SPECS:
        created += record_bulk_import(acting_user=ctx.users[spec.admin], register=REGISTER, rows=_rows(ctx, spec))
    return created
