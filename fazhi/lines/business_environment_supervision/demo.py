"""Demo records of 营商环境监督 for 西市区 2025: five letters (six problems), 73 clues (44 filed, 37
persons sanctioned), 15 commitments honoured and 5275.57万元 of arrears repaid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTERS = ("business_supervision_letter", "business_supervision_clue", "business_commitment")
YEAR_START = dt.date(2025, 1, 2)

LETTERS = [  # (issue area, problems)
    ("approval", ["项目施工许可审批超时限"]),
    ("arrears", ["拖欠中小企业工程款未按期支付"]),
    ("enforcement", ["对同一企业多头重复检查"]),
    ("policy", ["惠企奖补资金拨付迟缓"]),
    ("service", ["企业开办“一件事”线上办理不畅", "窗口一次性告知不到位"]),
]
SUBJECTS = ["区住建局", "区市场监管局", "区城管局", "区自然资源局", "区卫健局", "西城街道", "河东街道"]
CLUE_TEXT = ["工作人员吃拿卡要、刁难企业", "承诺事项久拖不办", "随意设置审批前置条件", "检查中违规收取费用",
             "对企业诉求推诿扯皮", "违规干预企业正常经营"]
ENTERPRISES = ["西市某机械制造有限公司", "西市某建材有限公司", "某物流有限公司", "某食品有限公司",
               "某新材料科技有限公司", "某建筑工程有限公司", "某商贸有限公司", "某环保科技有限公司"]
ARREARS_TOTAL = Decimal("52755700.00")  # 5275.57万元


def _day(rng, start: dt.date = YEAR_START, end: dt.date = dt.date(2025, 11, 30)) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(0, (end - start).days))


def _letters(ctx, unit) -> list[ImportRow]:
    rng, cal = ctx.rng, workday_calendar()
    rows = []
    for i, (area, problems) in enumerate(LETTERS):
        issued = cal.next_working_day(dt.date(2025, 2 + 2 * i, 10) + dt.timedelta(days=rng.randrange(0, 10)))
        # The fourth letter was rectified after its 15-working-day deadline.
        days = 21 if i == 3 else rng.randint(6, 14)
        steps = [ImportStep("acknowledge", cal.add_working_days(issued, 1)),
                 ImportStep("close", cal.add_working_days(issued, days),
                            fields={"rectification_report": "已按督办要求整改到位，建立长效机制。"})]
        rows.append(ImportRow(
            f"西营督〔2025〕{i + 1}号", unit, issued,
            {"issued_on": issued, "letter_number": f"西营督〔2025〕{i + 1}号", "addressee": rng.choice(SUBJECTS),
             "issue_area": area, "problem_count": len(problems), "problems": "；".join(problems)},
            steps))
    return rows


def _clues(ctx, unit) -> list[ImportRow]:
    """73 clues: 29 closed without a case, 44 filed (6 still under review, 5 exempted, 33 sanctioned: 37 persons)."""
    rng, cal = ctx.rng, workday_calendar()
    fates = ["closed"] * 29 + ["filed"] * 6 + ["exempted"] * 5 + ["sanctioned_2"] * 4 + ["sanctioned_1"] * 29
    rng.shuffle(fates)
    rows = []
    for i, fate in enumerate(fates):
        received = _day(rng, end=dt.date(2025, 10, 31))
        payload = {"received_on": received, "subject_unit": rng.choice(SUBJECTS), "summary": rng.choice(CLUE_TEXT),
                   "source": rng.choices(["hotline", "petition", "inspection", "enterprise", "media", "transferred"],
                                         weights=[25, 30, 20, 15, 3, 7])[0]}
        verified = cal.add_working_days(received, rng.randint(1, 5))
        steps = [ImportStep("verify", verified)]
        if fate == "closed":
            steps.append(ImportStep("close", cal.add_working_days(verified, rng.randint(10, 30)),
                                    fields={"closing_reason": "经初步核实，反映问题不属实或情节轻微。"},
                                    outcome=rng.choice(["no_case", "reminded", "transferred"])))
        else:
            filed = cal.add_working_days(verified, rng.randint(10, 30))
            steps.append(ImportStep("file_case", filed, fields={"case_number": f"西纪营〔2025〕{i + 1}号"}))
            if fate != "filed":
                persons = {"exempted": 0, "sanctioned_1": 1, "sanctioned_2": 2}[fate]
                steps.append(ImportStep("conclude", filed + dt.timedelta(days=rng.randint(30, 60)),
                                        fields={"persons_sanctioned": persons},
                                        outcome="exempted" if fate == "exempted" else "sanctioned"))
        rows.append(ImportRow(f"XS-YSXS-2025-{i + 1:03d}", unit, received, payload, steps))
    return rows


def _arrears_amounts(rng, count: int) -> list[Decimal]:
    weights = [rng.randint(20, 400) for _ in range(count)]
    amounts = [(ARREARS_TOTAL * w / sum(weights)).quantize(Decimal("100")) for w in weights[:-1]]
    return [*amounts, ARREARS_TOTAL - sum(amounts)]


def _commitments(ctx, unit) -> list[ImportRow]:
    """17 commitments (15 honoured) and 27 arrears (24 repaid, 5275.57万元 in all)."""
    rng = ctx.rng
    rows = []
    amounts = iter(_arrears_amounts(rng, 24))
    plan = [("commitment", True)] * 15 + [("commitment", False)] * 2 + [("arrears", True)] * 24 + [("arrears", False)] * 3
    for i, (kind, done) in enumerate(plan):
        registered = _day(rng, end=dt.date(2025, 9, 30))
        if kind == "arrears":
            due = next(amounts) if done else Decimal(rng.randint(50, 500) * 10000)
            content = "拖欠企业工程款、货款"
        else:
            due = Decimal(rng.choice([0, 0, 200000, 500000, 1000000]))
            content = rng.choice(["兑现招商引资奖补资金", "落实项目用地配套承诺", "兑现稳岗补贴政策", "解决企业用水用电接入"])
        payload = {"registered_on": registered, "kind": kind, "enterprise": rng.choice(ENTERPRISES),
                   "responsible_unit": rng.choice(SUBJECTS), "content": content, "amount_due": due}
        started = registered + dt.timedelta(days=rng.randint(1, 10))
        steps = [ImportStep("start", started)]
        if done:
            steps.append(ImportStep("settle", started + dt.timedelta(days=rng.randint(15, 80)),
                                    fields={"amount_settled": due}))
        rows.append(ImportRow(f"XS-CNDX-2025-{i + 1:03d}", unit, registered, payload, steps))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register__in=REGISTERS).exists():
        return 0
    user = ctx.users["xs_admin"]
    bureau = ctx.unit("西市区", "区营商局")
    district = ctx.unit("西市区")  # clues are handled by 区纪委监委, which is not in the demo tree
    return (record_bulk_import(acting_user=user, register="business_supervision_letter", rows=_letters(ctx, bureau))
            + record_bulk_import(acting_user=user, register="business_supervision_clue", rows=_clues(ctx, district))
            + record_bulk_import(acting_user=user, register="business_commitment", rows=_commitments(ctx, bureau)))
