"""Demo records of 行政复议.

东洲区 2024 reproduces the seed report: 23 applications accepted, of which 12 decided, 4 resolved
together with the administrative organ (协同化解) and 7 still being handled at the year end; two more
applications were not accepted. 西市区 2025: 12 applications, 3 accepted and decided, 9 not accepted.
One decision needed the 30-day extension. One application waits for its acceptance review today.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import, record_extend_deadline

REGISTER = "administrative_review"
OUTCOMES = ["upheld", "upheld", "upheld", "dismissed", "revoked", "confirmed_illegal", "changed"]
MATTERS = ["penalty", "information", "inaction", "work_injury", "licence", "expropriation"]


def _row(ctx, *, unit, applicant, prefix, year, number, received, steps) -> ImportRow:
    return ImportRow(f"{prefix}复〔{year}〕{number}号", unit, received,
                     {"received_on": received, "applicant": applicant, "respondent": ctx.rng.choice(
                         ["区市场监督管理局", "区人力资源和社会保障局", "区住房和城乡建设局", "区自然资源分局"]),
                      "matter": ctx.rng.choice(MATTERS), "request": "请求撤销原行政行为。"}, steps=steps)


def _plan(ctx, *, district, prefix, year, decided, co_resolved, pending, rejected) -> list[ImportRow]:
    cal = workday_calendar()
    unit = ctx.unit(district, "区司法局")
    people = iter(ctx.people(org_unit=unit, count=decided + co_resolved + pending + rejected))
    rows = []
    kinds = ["decided"] * decided + ["co_resolved"] * co_resolved + ["rejected"] * rejected
    dates = ctx.dates(dt.date(year, 1, 8), dt.date(year, 9, 30), len(kinds))
    dates += ctx.dates(dt.date(year, 11, 1), dt.date(year, 12, 20), pending)
    kinds += ["pending"] * pending
    for number, (kind, received) in enumerate(zip(kinds, dates, strict=True), start=1):
        reviewed = cal.add_working_days(received, ctx.rng.choice([2, 3, 4, 5]))
        if kind == "rejected":
            steps = [ImportStep("reject", reviewed, fields={"rejection_reason": "不属于本机关受理范围，已告知申请人。"})]
        else:
            steps = [ImportStep("accept", reviewed), ImportStep("start_hearing", reviewed)]
            decided_on = reviewed + dt.timedelta(days=ctx.rng.randrange(25, 58))
            if kind == "pending":  # decided in the next year
                decided_on = max(decided_on, dt.date(year + 1, 1, 6))
            if kind == "co_resolved":
                steps.append(ImportStep("decide", decided_on, outcome="terminated",
                                        fields={"decision_number": f"{prefix}复终〔{year}〕{number}号",
                                                "co_resolved": True}, note="经与行政机关协调，申请人撤回申请。"))
            else:
                # A few decisions are taken to court; none has been quashed (东洲区 2024's report says so).
                court = "upheld" if number % 5 == 1 else "pending" if number % 5 == 3 else "not_sued"
                steps.append(ImportStep("decide", decided_on, outcome=OUTCOMES[number % len(OUTCOMES)],
                                        fields={"decision_number": f"{prefix}复决〔{year}〕{number}号",
                                                "court_result": court}))
        rows.append(_row(ctx, unit=unit, applicant=next(people), prefix=prefix, year=year, number=number,
                         received=received, steps=steps))
    return rows


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    officer = ctx.users["dz_review"]
    created = record_bulk_import(acting_user=officer, register=REGISTER, rows=_plan(
        ctx, district="东洲区", prefix="东", year=2024, decided=12, co_resolved=4, pending=7, rejected=2))
    created += record_bulk_import(acting_user=officer, register=REGISTER, rows=_plan(
        ctx, district="东洲区", prefix="东", year=2023, decided=10, co_resolved=2, pending=3, rejected=1))
    created += record_bulk_import(acting_user=ctx.users["xs_admin"], register=REGISTER, rows=_plan(
        ctx, district="西市区", prefix="西", year=2025, decided=3, co_resolved=0, pending=0, rejected=9))
    # One application now, waiting for its acceptance review; one accepted case with an extended deadline.
    today = timezone.localdate()
    unit = ctx.unit("东洲区", "区司法局")
    waiting = ctx.people(org_unit=unit, count=2)
    extended_on = today - dt.timedelta(days=50)
    created += record_bulk_import(acting_user=officer, register=REGISTER, rows=[
        _row(ctx, unit=unit, applicant=waiting[0], prefix="东", year=today.year, number=901,
             received=today - dt.timedelta(days=2), steps=[]),
        _row(ctx, unit=unit, applicant=waiting[1], prefix="东", year=today.year, number=902, received=extended_on,
             steps=[ImportStep("accept", extended_on + dt.timedelta(days=3)), ImportStep("start_hearing", extended_on
                                                                                          + dt.timedelta(days=3))]),
    ])
    record = Record.objects.get(register=REGISTER, external_id=f"东复〔{today.year}〕902号")
    record_extend_deadline(acting_user=officer, record=record, clock="decision", length=30,
                           reason="案情复杂，需要现场勘验。", approver=ctx.users["dz_admin"], on_date=today)
    return created
