"""Demo records of 行政复议 for 东洲区: applications, acceptance, rejection, decisions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import record_create, record_extend_deadline, record_transition

REGISTER = "administrative_review"
OUTCOMES = ["upheld", "upheld", "revoked", "confirmed_illegal", "dismissed", "mediated", "terminated"]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    user = ctx.users["dz_review"]
    unit = ctx.unit("东洲区", "区司法局")
    cal = workday_calendar()
    created = 0
    for i in range(12):
        received = dt.date(2024, 1, 8) + dt.timedelta(days=28 * i + ctx.rng.randrange(0, 10))
        record = record_create(
            acting_user=user, register=REGISTER, org_unit=unit, external_id=f"东复〔2024〕{i + 1}号",
            payload={"received_on": received, "applicant": ctx.person(org_unit=unit, acting_user=user).pk,
                     "respondent": "东洲区某行政机关", "matter": ctx.rng.choice(["penalty", "information", "inaction", "work_injury"]),
                     "request": "请求撤销原行政行为。"},
        )
        created += 1
        decided_on = cal.add_working_days(received, 4)
        if i % 4 == 3:  # some applications do not meet the acceptance conditions
            record_transition(acting_user=user, record=record, transition="reject", on_date=decided_on,
                              fields={"rejection_reason": "不属于本机关受理范围，已告知申请人向有权机关提出。"})
            continue
        record_transition(acting_user=user, record=record, transition="accept", on_date=decided_on)
        record_transition(acting_user=user, record=record, transition="start_hearing", on_date=decided_on)
        if i == 5:
            record_extend_deadline(acting_user=user, record=record, clock="decision", length=30,
                                   reason="案情复杂，需要现场调查。", approver=ctx.users["dz_admin"],
                                   on_date=decided_on + dt.timedelta(days=50))
        record_transition(
            acting_user=user, record=record, transition="decide", on_date=decided_on + dt.timedelta(days=ctx.rng.randrange(20, 58)),
            outcome=OUTCOMES[i % len(OUTCOMES)], fields={"decision_number": f"东复决〔2024〕{i + 1}号"},
        )
    # One application waiting for its acceptance review right now.
    today = timezone.localdate()
    record_create(
        acting_user=user, register=REGISTER, org_unit=unit, external_id="东复〔待审〕1号",
        payload={"received_on": today - dt.timedelta(days=2), "applicant": ctx.person(org_unit=unit, acting_user=user).pk,
                 "respondent": "东洲区某行政机关", "matter": "penalty"},
    )
    return created + 1
