"""Demo records of 人民调解.

东洲区 2024 reproduces the seed report: 1295 cases received and all mediated successfully, of which
1187 by people's mediation committees (108 of them by 个人调解工作室) and 108 by 行业性专业性 bodies
(交调 7, 公调 101); 61910 yuan of mediation subsidies. 东洲区 2023 and 西市区 2025 get plausible
volumes; five open cases of the current month, two of them past the one-month limit, feed the overdue list.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "people_mediation"
DISPUTES = ["marriage_family", "neighbourhood", "land_housing", "contract", "damages", "labour", "property_management",
            "other"]
SUMMARIES = {"marriage_family": "家庭成员因赡养问题发生矛盾。", "neighbourhood": "邻里因通行、噪音发生争执。",
             "land_housing": "宅基地界址不清引发纠纷。", "contract": "买卖合同货款结算争议。",
             "damages": "人身损害赔偿数额争议。", "labour": "劳务报酬拖欠纠纷。",
             "property_management": "物业服务费用争议。", "other": "其他民间纠纷。", "traffic": "道路交通事故损害赔偿纠纷。"}
DZ_TOWNS = ["哈达镇", "章党镇", "新屯街道", "搭连街道", "万新街道", "龙凤街道"]


def _rows(ctx, *, prefix: str, year: int, plan: list[tuple[str, str, int]], success_share: float,
          subsidies: list[int] | None = None) -> list[ImportRow]:
    """plan: (unit name, organization type, count). Cases open by 1 December and close within the year."""
    district = "东洲区" if prefix.startswith("DZ") else "西市区"
    rows: list[ImportRow] = []
    for unit_name, org_type, count in plan:
        unit = ctx.unit(district, unit_name)
        for opened in ctx.dates(dt.date(year, 1, 2), dt.date(year, 12, 1), count):
            days = ctx.rng.choice([2, 3, 5, 7, 10, 14, 18, 25, 29, 33])  # a few miss the one-month limit
            dispute = "traffic" if org_type == "traffic" else ctx.rng.choice(DISPUTES)
            closed = min(opened + dt.timedelta(days=days), dt.date(year, 12, 31))
            outcome = "success" if ctx.rng.random() < success_share else ctx.rng.choice(["failure", "terminated"])
            fields = {"mediator_name": ctx.rng.choice(["王调解员", "李调解员", "刘调解员", "张调解员", "赵调解员"]),
                      "agreement_form": "written" if ctx.rng.random() < 0.7 else "oral"}
            rows.append(ImportRow(
                f"{prefix}-TJ-{year}-{len(rows) + 1:05d}", unit, opened,
                {"organization_type": org_type, "dispute_type": dispute, "summary": SUMMARIES[dispute]},
                steps=[ImportStep("start", opened), ImportStep("conclude", closed, fields=fields, outcome=outcome)],
            ))
    for row, subsidy in zip(rows, subsidies or [], strict=False):
        conclude = row.steps[-1]
        assert isinstance(conclude, ImportStep)
        conclude.fields["subsidy"] = subsidy
    return rows


def _subsidies(count: int, total: int, rng) -> list[int]:
    """Per-case subsidies (yuan) adding up to `total`: 40 a case, 100 more for about one case in thirteen."""
    amounts = [40] * count
    extra = total - 40 * count
    for i in rng.sample(range(count), extra // 100):
        amounts[i] += 100
    amounts[rng.randrange(count)] += extra % 100
    return amounts


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    admin, created = ctx.users["dz_admin"], 0
    # 东洲区 2024: 1079 committee cases over the six towns, 108 by personal studios, 7 交调 and 101 公调.
    committee = [(town, kind, n) for town, n in zip(DZ_TOWNS, [190, 160, 200, 180, 179, 170], strict=True)
                 for kind, n in (("village", n * 3 // 5), ("town", n - n * 3 // 5))]
    studios = [(town, "personal", n) for town, n in zip(DZ_TOWNS, [20, 18, 20, 18, 16, 16], strict=True)]
    police = [("公安东洲分局", "traffic", 7), ("公安东洲分局", "police", 101)]
    plan = committee + studios + police
    assert sum(n for *_, n in plan) == 1295
    rows = _rows(ctx, prefix="DZ", year=2024, plan=plan, success_share=1.0,
                 subsidies=_subsidies(1295, 61910, ctx.rng))
    created += record_bulk_import(acting_user=admin, register=REGISTER, rows=rows)
    # 东洲区 2023: a plausible year for 同比.
    plan_2023 = [(town, kind, n) for town in DZ_TOWNS for kind, n in (("village", 110), ("town", 70))]
    plan_2023 += [("公安东洲分局", "traffic", 9), ("公安东洲分局", "police", 88)]
    created += record_bulk_import(acting_user=admin, register=REGISTER,
                                  rows=_rows(ctx, prefix="DZ", year=2023, plan=plan_2023, success_share=0.97))
    # 西市区 2025 (its report gives no register figures for mediation).
    plan_xs = [(town, kind, n) for town in ["西城街道", "河东街道", "滨港街道", "清河镇"]
               for kind, n in (("village", 70), ("town", 40))]
    created += record_bulk_import(acting_user=ctx.users["xs_admin"], register=REGISTER,
                                  rows=_rows(ctx, prefix="XS", year=2025, plan=plan_xs, success_share=0.95))
    # Open cases of the current month: two are already past their one-month limit.
    today = timezone.localdate()
    rows = [ImportRow(f"DZ-TJ-OPEN-{i + 1:03d}", ctx.unit("东洲区", "哈达镇"), today - dt.timedelta(days=age),
                      {"organization_type": "village", "dispute_type": "neighbourhood",
                       "summary": SUMMARIES["neighbourhood"]})
            for i, age in enumerate([45, 38, 20, 6, 2])]
    created += record_bulk_import(acting_user=ctx.users["hd_mediator"], register=REGISTER, rows=rows)
    return created
