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


def _reports_draft(ctx: DemoContext, stdout) -> None:
    """Draft the seed years' annual reports (snapshot frozen, gate run), so the report page is not empty."""
    from fazhi.reports.models import AnnualReport
    from fazhi.reports.services import report_generate

    for district, year in (("东洲区", 2024), ("西市区", 2025)):
        unit = ctx.districts[district]
        if AnnualReport.objects.filter(org_unit=unit, year=year).exists():
            continue
        run = report_generate(acting_user=None, org_unit=unit, year=year)
        if stdout is not None:
            stdout.write(f"  {year}年{district}年度报告草稿：{run.figures} 个数字，核对{'通过' if run.gate['passed'] else '未通过'}\n")


def demo_logins() -> list[tuple[str, str, str]]:
    return [("admin", DEMO_PASSWORD, "系统管理员（全部数据）")] + [
        (username, DEMO_PASSWORD, display) for username, display, *_ in DEMO_USERS
    ]
