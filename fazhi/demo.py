"""`fazhi demo`: org trees, users, then each business line's demo records (lines/*/demo.py)."""

from __future__ import annotations

import importlib
import pkgutil
import random

from django.db import transaction

from fazhi import lines
from fazhi.core.demo import DEMO_PASSWORD, DEMO_USERS, DemoContext, demo_orgs_build, demo_users_build


def demo_build(*, seed: int = 2024, stdout=None) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed))
    with transaction.atomic():
        demo_orgs_build(ctx)
        demo_users_build(ctx)
    for module in pkgutil.iter_modules(lines.__path__):
        try:
            line_demo = importlib.import_module(f"fazhi.lines.{module.name}.demo")
        except ModuleNotFoundError:
            continue
        with transaction.atomic():
            created = line_demo.demo_build(ctx)
        if stdout is not None:
            stdout.write(f"  {module.name}: {created} 条新记录\n")
    _reports_draft(ctx, stdout)
    return ctx


# Contributed sections of the demo reports (texts written for the demo): (section, unit or None for
# the district's own office, writer, text, accepted?).
_DEMO_SECTIONS = {
    ("东洲区", 2024): [
        ("disputes", "哈达镇", "hd_clerk",
         "哈达镇坚持“村村有调委会、屯屯有调解员”，把矛盾纠纷化解在村屯一线。\n"
         "镇司法所每月对村级调委会开展一次业务指导，疑难纠纷由镇调委会联合派出所、法庭共同调处。", True),
        ("shortcomings", None, "dz_admin",
         "一是基层法治力量相对薄弱，部分司法所仅有一至两名工作人员，难以满足工作需要。\n"
         "二是部分执法人员运用法治思维和法治方式解决问题的能力还需提高，执法案卷质量参差不齐。\n"
         "三是普法宣传的针对性、实效性有待增强，新媒体普法的覆盖面还不够广。", True),
        ("leaders_duty", None, "dz_admin",
         "区委、区政府主要负责人把法治建设摆在全局工作的重要位置，年初部署、年中调度、年底考核，"
         "对重大问题亲自过问、重点环节亲自协调、重要任务亲自督办，带头尊法学法守法用法。", True),
        ("next_year", None, "dz_admin",
         "一是深入学习贯彻习近平法治思想，落实党政主要负责人履行推进法治建设第一责任人职责。\n"
         "二是持续推进严格规范公正文明执法，开展行政执法案卷评查和涉企检查专项监督。\n"
         "三是健全矛盾纠纷多元化解机制，完善公共法律服务体系，提升群众法治获得感。", True),
    ],
    ("西市区", 2025): [
        ("shortcomings", None, "xs_admin",
         "一是法治建设工作发展还不够均衡，个别部门对法治政府建设重视程度不够。\n"
         "二是行政执法监督的手段还不够丰富，数字化监督平台应用有待深化。", True),
        ("leaders_duty", None, "xs_admin",
         "区政府主要负责人认真履行推进法治建设第一责任人职责，定期听取法治政府建设工作汇报，"
         "研究解决法治建设中的重点难点问题。", True),
        ("next_year", None, "xs_admin",
         "一是推进行政执法协调监督工作体系建设。\n二是深化“八五”普法总结验收，谋划新一轮普法规划。\n"
         "三是加强法治人才队伍建设，提升基层依法治理能力。", True),
        ("business_environment", "区营商局", "xs_admin",
         "区营商局围绕企业全生命周期服务，推行惠企政策“免申即享”，建立企业诉求快速响应机制。", False),
    ],
}


def _reports_draft(ctx: DemoContext, stdout) -> None:
    """Draft the seed years' annual reports: the office assigns sections, departments and the office
    write them (one 西市区 section still awaits the office), then the report is generated (snapshot
    frozen, gate run), so the report pages show the whole workflow."""
    import datetime as dt

    from django.utils import timezone

    from fazhi.reports.models import AnnualReport, SectionAssignment
    from fazhi.reports.services import (
        report_generate,
        report_open,
        section_accept,
        section_assign,
        section_save,
        section_submit,
    )

    for (district, year), sections in _DEMO_SECTIONS.items():
        unit = ctx.districts[district]
        if AnnualReport.objects.filter(org_unit=unit, year=year).exists():
            continue
        office = ctx.users["dz_admin" if district == "东洲区" else "xs_admin"]
        report = report_open(acting_user=office, org_unit=unit, year=year)
        for section, unit_name, writer, text, accepted in sections:
            assignment = section_assign(acting_user=office, report=report, section=section,
                                        org_unit=ctx.unit(district, unit_name))
            section_save(acting_user=ctx.users[writer], assignment=assignment, text=text)
            section_submit(acting_user=ctx.users[writer], assignment=assignment)
            # the demo's texts were sent in the reporting season, a week before the deadline
            SectionAssignment.objects.filter(pk=assignment.pk).update(
                submitted_at=timezone.make_aware(dt.datetime(year + 1, 2, 20, 10, 0)))
            if accepted:
                section_accept(acting_user=office, assignment=assignment)
        run = report_generate(acting_user=office, org_unit=unit, year=year)
        if stdout is not None:
            stdout.write(f"  {year}年{district}年度报告草稿：{run.figures} 个数字，核对{'通过' if run.gate['passed'] else '未通过'}\n")


def demo_logins() -> list[tuple[str, str, str]]:
    return [("admin", DEMO_PASSWORD, "系统管理员（全部数据）")] + [
        (username, DEMO_PASSWORD, display) for username, display, *_ in DEMO_USERS
    ]
