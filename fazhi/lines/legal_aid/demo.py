"""Demo records of 法律援助.

东洲区 2024 reproduces the seed report: 353 legal-aid cases (214 civil, 139 criminal) and 98 值班律师
legal-help services in 认罪认罚 cases. 西市区: 241 cases in 2024 and 270 in 2025 (同比增长12%), with
migrant workers' wage claims all concluded and 603,800 yuan of wages recovered in 2025.
One case changes lawyer, so the timeline shows the assignment history.
"""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "legal_aid"
LAWYERS = [("张律师", "东洲律师事务所"), ("李律师", "浑河律师事务所"), ("赵律师", "明正律师事务所"),
           ("孙律师", "西城律师事务所"), ("周律师", "滨港律师事务所")]


def _rows(ctx, *, district: str, prefix: str, year: int, plan: list[tuple[str, str, int]],
          wage_amounts: list[int] | None = None) -> list[ImportRow]:
    """plan: (service type, case type, count)."""
    unit = ctx.unit(district, "区司法局")
    applicants = iter(ctx.people(org_unit=unit, count=sum(n for *_, n in plan), acting_user=None))
    wages = iter(wage_amounts or [])
    rows: list[ImportRow] = []
    for service, case_type, count in plan:
        for applied in ctx.dates(dt.date(year, 1, 2), dt.date(year, 11, 30), count):
            notice = case_type == "criminal"
            wage = service == "aid_case" and case_type == "civil" and wage_amounts is not None and \
                len(rows) % 9 == 0
            granted = applied + dt.timedelta(days=ctx.rng.choice([1, 2, 3, 5, 6]))
            lawyer, firm = ctx.rng.choice(LAWYERS)
            steps = [ImportStep("grant", granted),
                     ImportStep("assign", granted + dt.timedelta(days=ctx.rng.choice([1, 2])),
                                fields={"lawyer": lawyer, "law_firm": firm})]
            if len(rows) == 4:
                other, other_firm = LAWYERS[(LAWYERS.index((lawyer, firm)) + 1) % len(LAWYERS)]
                steps.append(ImportStep("reassign", granted + dt.timedelta(days=9),
                                        fields={"lawyer": other, "law_firm": other_firm}, note="原承办律师申请回避。"))
            conclude = {"recovered_amount": next(wages)} if wage else {}
            steps.append(ImportStep("conclude", min(granted + dt.timedelta(days=ctx.rng.randrange(12, 60)),
                                                    dt.date(year, 12, 31)), fields=conclude, outcome="completed"))
            rows.append(ImportRow(
                f"{prefix}法援〔{year}〕{len(rows) + 1}号", unit, applied,
                {"applied_on": applied, "applicant": next(applicants), "case_type": case_type,
                 "service_type": service, "source": "notice" if notice else "application",
                 "plea_leniency": service == "duty_lawyer", "wage_claim": wage},
                steps=steps,
            ))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    created = 0
    plans = [
        ("东洲区", "东", 2023, [("aid_case", "civil", 190), ("aid_case", "criminal", 128), ("duty_lawyer", "criminal", 85)],
         None),
        ("东洲区", "东", 2024, [("aid_case", "civil", 214), ("aid_case", "criminal", 139), ("duty_lawyer", "criminal", 98)],
         None),
        ("西市区", "西", 2024, [("aid_case", "civil", 160), ("aid_case", "criminal", 70), ("aid_case", "administrative", 11)],
         None),
        # 2025: 270 cases, 同比增长 (270 − 241) / 241 = 12.0%; 20 wage claims recover 603,800 yuan in all.
        ("西市区", "西", 2025, [("aid_case", "civil", 180), ("aid_case", "criminal", 78), ("aid_case", "administrative", 12)],
         [30190] * 20),
    ]
    for district, prefix, year, plan, wages in plans:
        created += record_bulk_import(
            acting_user=None, register=REGISTER,
            rows=_rows(ctx, district=district, prefix=prefix, year=year, plan=plan, wage_amounts=wages),
        )
    return created
