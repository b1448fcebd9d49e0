"""东洲区 2024: 2986 market entities entered on 辽宁政企直通车, each matched to one of 252 项目管家 who
served them 13423 times (records of the two registers); 6+1 事项 time cut by 76.35%, 2.55 steps, 4.22
documents, 0.23 visits on average; 4 district leaders and 21 departments walked the procedures, 71 cadres
finished, 21 problems solved, 33 suggestions (the data set)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.core.demo import demo_credit_code
from fazhi.core.models import OrgUnit, OrgUnitClosure, OrgUnitKind
from fazhi.core.services import entities_bulk_create
from fazhi.datasets.demo import demo_done, demo_report
from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

LINE = DATASET = "business_services"
MATCHES, SERVICES = "business_manager_matches", "business_manager_services"
ENTITIES, MANAGERS, SERVICE_COUNT = 2986, 252, 13423
# (entity kind, its 统一社会信用代码 类别 digit, weight)
KINDS = [("enterprise", "1", 45), ("individual", "2", 50), ("cooperative", "3", 5)]
INDUSTRIES = ["manufacturing", "construction", "trade", "trade", "services", "services", "agriculture", "technology"]
NAME_PARTS = ("东兴", "华宇", "鑫源", "恒通", "宏达", "顺发", "永盛", "佳禾", "瑞丰", "金桥", "新城", "丰泽", "泰和", "银河")
SUFFIX = {"enterprise": "有限公司", "individual": "经营部", "cooperative": "农民专业合作社"}
REQUESTS = ["用工招聘", "融资贷款", "水电气报装", "审批手续咨询", "惠企政策申报", "场地租赁"]


def _registers_build(ctx) -> int:
    rng, district = ctx.rng, ctx.unit("东洲区")
    admin = ctx.users["dz_admin"]
    office = ctx.unit("东洲区", "区营商局")
    kinds = rng.choices(KINDS, weights=[k[2] for k in KINDS], k=ENTITIES)
    entities = entities_bulk_create(acting_user=admin, org_unit=office, entities=[
        (f"东洲区{rng.choice(NAME_PARTS)}{rng.choice(NAME_PARTS)}{SUFFIX[kind]}（{i + 1}）",
         demo_credit_code(rng, district.division_code, kind=digit), "")
        for i, (kind, digit, _) in enumerate(kinds)
    ])
    # The 管家 are cadres of the district's departments, towns and streets.
    units = list(OrgUnit.objects.filter(
        pk__in=OrgUnitClosure.objects.filter(ancestor=district).values("descendant_id"),
        kind__in=[OrgUnitKind.DEPARTMENT, OrgUnitKind.TOWN, OrgUnitKind.STREET]).order_by("pk"))
    managers = []
    for i in range(MANAGERS):
        managers.append((ctx.name(), f"DZGJ{i + 1:04d}", units[i % len(units)]))
    registered = ctx.dates(dt.date(2024, 1, 2), dt.date(2024, 12, 20), ENTITIES)
    matches, manager_of = [], {}
    for i, (entity, (kind, _, _), on) in enumerate(zip(entities, kinds, registered, strict=True)):
        manager_name, manager_code, manager_unit = managers[i % MANAGERS]
        manager_of[entity.pk] = (manager_name, manager_code, manager_unit, on)
        matched = on + dt.timedelta(days=rng.randrange(0, 6))
        matches.append(ImportRow(
            f"东管家〔2024〕{i + 1:05d}号", office, on,
            {"registered_on": on, "entity": entity.pk, "entity_kind": kind, "industry": rng.choice(INDUSTRIES)},
            steps=[ImportStep("match", matched, fields={"manager_name": manager_name, "manager_code": manager_code,
                                                        "manager_unit": manager_unit.pk, "matched_on": matched})],
        ))
    created = record_bulk_import(acting_user=admin, register=MATCHES, rows=matches)
    services = []
    for i in range(SERVICE_COUNT):
        entity = entities[rng.randrange(ENTITIES)]
        manager_name, manager_code, manager_unit, since = manager_of[entity.pk]
        served = since + dt.timedelta(days=rng.randrange(0, (dt.date(2024, 12, 31) - since).days + 1))
        request = rng.random() < 0.08
        payload = {"served_on": served, "entity": entity.pk, "manager_name": manager_name,
                   "manager_code": manager_code, "manner": rng.choice(["visit", "visit", "phone", "online", "coordination"] if request else
                                        ["visit", "phone", "phone", "online"]),
                   "request_raised": request}
        steps = []
        if request:
            payload["request"] = rng.choice(REQUESTS)
            answered = served + dt.timedelta(days=rng.randrange(1, 15))
            if answered <= dt.date(2024, 12, 31) or rng.random() < 0.5:
                steps.append(ImportStep("conclude", answered, fields={"answer": "已协调有关部门办理并答复企业。"},
                                        outcome=rng.choice(["solved", "solved", "solved", "explained", "referred"])))
        else:  # a service without a request is done when recorded
            steps.append(ImportStep("conclude", served, fields={"answer": "已服务。"}, outcome="solved"))
        services.append(ImportRow(f"东管家服〔2024〕{i + 1:05d}号", manager_unit, served, payload, steps=steps))
    return created + record_bulk_import(acting_user=admin, register=SERVICES, rows=services)


def demo_build(ctx) -> int:
    created = 0
    if not Record.objects.filter(register=MATCHES).exists():
        with ctx.own_rng(LINE):
            created += _registers_build(ctx)
    if demo_done(DATASET):
        return created
    dz = ctx.users["dz_admin"]
    return created + demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=dt.date(2024, 1, 1), entered_by=dz, approver=dz,
        values={("time_reduction_percent", None): Decimal("76.35"), ("average_steps", None): Decimal("2.55"),
                ("average_documents", None): Decimal("4.22"), ("average_visits", None): Decimal("0.23"),
                ("walkthrough_leaders", None): 4, ("walkthrough_departments", None): 21,
                ("walkthrough_cadres", None): 71, ("problems_solved", None): 21, ("suggestions", None): 33},
        submitted_on=dt.date(2025, 1, 20), approved_on=dt.date(2025, 1, 22),
    )
