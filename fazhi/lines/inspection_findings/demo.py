"""Demo 法治督察问题整改: 东洲区 2024 — the city's on-site inspection fed back 15 findings in five aspects
(every one rectified within the year, 完成率100%)."""

from __future__ import annotations

import datetime as dt

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "inspection_findings"
INSPECTION = "市委法建办法治建设实地督察"
RECEIVED = dt.date(2024, 6, 14)

# (aspect, responsible unit, finding, measure) — written for the demo.
FINDINGS = [
    ("leadership", None, "部分单位年度法治建设工作要点未经党组（党委）会研究", "各单位补充履行党组研究程序并报备"),
    ("leadership", None, "述法工作覆盖面不全，个别乡镇主要负责人未书面述法", "补充书面述法并纳入年度考核"),
    ("leadership", "哈达镇", "乡镇法治建设工作台账不完整", "按统一模板补建台账"),
    ("decisions", "区司法局", "重大行政决策事项目录未及时公开", "在政府网站公开年度目录"),
    ("decisions", "区司法局", "部分合法性审查意见未留存书面材料", "建立审查意见归档制度"),
    ("decisions", None, "法律顾问参与决策论证的记录不完整", "完善法律顾问参与记录"),
    ("enforcement", "区交通局", "个别执法案卷文书填写不规范", "开展案卷自查并组织培训"),
    ("enforcement", "区营商局", "涉企检查计划报备不及时", "建立检查计划报备提醒"),
    ("enforcement", "区人力资源和社会保障局", "执法全过程记录设备配备不足", "补充配备执法记录仪"),
    ("supervision", "区审计局", "行政执法监督检查频次偏低", "制定年度监督检查计划"),
    ("supervision", None, "12345热线反映执法问题的线索移交机制不健全", "建立线索移交登记"),
    ("supervision", "区司法局", "行政复议纠错意见落实情况跟踪不够", "建立纠错意见跟踪台账"),
    ("publicity", "区司法局", "“谁执法谁普法”责任清单未全部公开", "公开各单位普法责任清单"),
    ("publicity", "新屯街道", "社区法治宣传阵地内容更新不及时", "按季度更新宣传栏内容"),
    ("publicity", "区妇联", "妇女儿童权益保护普法针对性不强", "开展专题普法进社区活动"),
]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    cal = workday_calendar()
    rows = []
    for i, (aspect, unit_name, finding, measure) in enumerate(FINDINGS, start=1):
        payload = {"received_on": RECEIVED, "inspection": INSPECTION, "source": "superior", "aspect": aspect,
                   "description": finding, "due_by": dt.date(2024, 8, 14)}
        planned = cal.next_working_day(RECEIVED + dt.timedelta(days=3 + i % 4))
        closed = cal.next_working_day(RECEIVED + dt.timedelta(days=25 + 2 * i))
        steps = [ImportStep("plan", planned, fields={"measures": measure}),
                 ImportStep("close", closed, fields={"result": f"已{measure}，经复查销号"}, outcome="completed")]
        rows.append(ImportRow(f"DZ-DC-2024-{i:02d}", ctx.unit("东洲区", unit_name), RECEIVED, payload, steps))
    return record_bulk_import(acting_user=ctx.users["dz_admin"], register=REGISTER, rows=rows)
