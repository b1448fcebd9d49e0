"""Demo records of 法律援助 for 东洲区, including a change of lawyer."""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import record_create, record_transition

REGISTER = "legal_aid"
LAWYERS = [("张律师", "东洲律师事务所"), ("李律师", "浑河律师事务所"), ("赵律师", "抚顺明正律师事务所")]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    user = ctx.users["dz_legalaid"]
    unit = ctx.unit("东洲区", "区司法局")
    created = 0
    for i in range(40):
        applied = dt.date(2024, 1, 3) + dt.timedelta(days=ctx.rng.randrange(0, 340))
        source = "notice" if i % 3 == 0 else "application"
        record = record_create(
            acting_user=user, register=REGISTER, org_unit=unit, external_id=f"东法援〔2024〕{i + 1}号",
            payload={"applied_on": applied, "applicant": ctx.person(org_unit=unit, acting_user=user).pk,
                     "case_type": "criminal" if source == "notice" else ctx.rng.choice(["civil", "civil", "administrative"]),
                     "source": source, "plea_leniency": source == "notice" and i % 2 == 0,
                     "wage_claim": source == "application" and i % 5 == 1},
        )
        created += 1
        if source == "application" and i % 10 == 7:
            record_transition(acting_user=user, record=record, transition="refuse", on_date=applied + dt.timedelta(days=3),
                              fields={"refusal_reason": "经济状况不符合法律援助条件。"})
            continue
        granted = applied + dt.timedelta(days=ctx.rng.randrange(1, 6))
        record_transition(acting_user=user, record=record, transition="grant", on_date=granted)
        lawyer, firm = LAWYERS[i % len(LAWYERS)]
        record_transition(acting_user=user, record=record, transition="assign", on_date=granted + dt.timedelta(days=1),
                          fields={"lawyer": lawyer, "law_firm": firm})
        if i == 4:
            other, other_firm = LAWYERS[(i + 1) % len(LAWYERS)]
            record_transition(acting_user=user, record=record, transition="reassign",
                              on_date=granted + dt.timedelta(days=10), fields={"lawyer": other, "law_firm": other_firm},
                              note="原承办律师因回避事由申请更换。")
        fields = {"recovered_amount": 8000 + 500 * i} if i % 5 == 1 else {}
        record_transition(acting_user=user, record=record, transition="conclude",
                          on_date=granted + dt.timedelta(days=ctx.rng.randrange(20, 90)), outcome="completed", fields=fields)
    return created
