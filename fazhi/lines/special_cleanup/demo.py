"""Demo 万件清理 cases: 东洲区 2024 (five batches, 19 cases, all concluded) and 西市区 2025 (42, 41 concluded)."""

from __future__ import annotations

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "special_cleanup"

MATTERS = {
    "arrears": ["企业反映工程款被拖欠多年", "供货企业反映货款长期未结算"],
    "commitment": ["招商引资承诺的奖补资金未兑现", "企业反映入园优惠政策未落实"],
    "approval": ["企业反映不动产权证多年未能办理", "项目竣工验收手续久拖未办"],
    "property": ["回迁安置房产权登记历史遗留问题", "土地出让后未按约交付"],
    "enforcement": ["企业反映重复检查、多头检查", "群众反映违建长期未处置"],
    "other": ["企业反映水电气接入问题长期未解决", "群众反映小区配套设施未移交"],
}
RESULTS = {"resolved": "已协调解决并经反映人确认。", "explained": "已依法作出解释说明，反映人表示认可。",
           "legal_channel": "已引导反映人通过诉讼途径解决并提供法律援助。"}

# (district, import user, id prefix, [(batch, assigned on, batch deadline, cases)], cases left open)
PLANS = [
    ("东洲区", "dz_admin", "DZ-WJQL-2024", [
        ("b01", dt.date(2024, 3, 15), dt.date(2024, 4, 30), 5),
        ("b02", dt.date(2024, 5, 20), dt.date(2024, 6, 30), 4),
        ("b03", dt.date(2024, 7, 10), dt.date(2024, 8, 31), 4),
        ("b04", dt.date(2024, 9, 5), dt.date(2024, 10, 31), 3),
        ("b05", dt.date(2024, 10, 28), dt.date(2024, 11, 30), 3),
    ], 0),
    ("西市区", "xs_admin", "XS-WJQL-2025", [
        ("b01", dt.date(2025, 2, 20), dt.date(2025, 3, 31), 9),
        ("b02", dt.date(2025, 4, 10), dt.date(2025, 5, 31), 8),
        ("b03", dt.date(2025, 6, 5), dt.date(2025, 7, 15), 7),
        ("b04", dt.date(2025, 7, 25), dt.date(2025, 8, 31), 7),
        ("b05", dt.date(2025, 9, 15), dt.date(2025, 10, 31), 6),
        ("b06", dt.date(2025, 11, 10), dt.date(2025, 12, 20), 5),
    ], 1),
]
UNITS = {
    "东洲区": ["区营商局", "区交通局", "区人力资源和社会保障局", "哈达镇", "章党镇", "新屯街道", "万新街道"],
    "西市区": ["区营商局", "区人力资源和社会保障局", "西城街道", "河东街道", "清河镇"],
}


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    rng = ctx.rng
    cal = workday_calendar()
    created = 0
    for district, user, prefix, batches, left_open in PLANS:
        units = [ctx.unit(district, name) for name in UNITS[district]]
        rows: list[ImportRow] = []
        for batch, assigned, deadline, cases in batches:
            for _ in range(cases):
                matter = rng.choice(list(MATTERS))
                payload = {"assigned_on": assigned, "batch": batch, "deadline": deadline, "matter_type": matter,
                           "complainant": rng.choice(["某建筑公司", "某商贸公司", "某食品公司", "群众代表"]),
                           "content": rng.choice(MATTERS[matter])}
                accepted = cal.next_working_day(assigned + dt.timedelta(days=1))
                # Most finish well before the batch deadline; a few take longer than the 30-day clock.
                days = rng.randint(31, 40) if rng.random() < 0.1 else rng.randint(8, 28)
                concluded = min(cal.next_working_day(assigned + dt.timedelta(days=days)), deadline)
                outcome = rng.choices(list(RESULTS), weights=[70, 20, 10])[0]
                steps = [ImportStep("accept", accepted),
                         ImportStep("conclude", concluded, fields={"result": RESULTS[outcome]}, outcome=outcome)]
                rows.append(ImportRow(f"{prefix}-{len(rows) + 1:03d}", rng.choice(units), assigned, payload, steps))
        # The last cases of the last batch are still being handled (西市区: 42件, 办结41件).
        for row in rows[len(rows) - left_open:] if left_open else []:
            row.steps = row.steps[:1]
        created += record_bulk_import(acting_user=ctx.users[user], register=REGISTER, rows=rows)
    return created
