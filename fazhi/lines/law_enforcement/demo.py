"""Demo records of 行政执法: inspection plans, 涉企行政检查备案, enforcement permits and penalty cases.

东洲区 2024 (seed report: "全区38个执法部门报送涉企检查计划", "新发及换新行政执法证件共71件"): 38 enforcement
departments each submit their 2024 涉企检查计划 (two late, three returned once for revision); 71 permits
issued (44 新领, 27 换领) and 4 refused, 3 permits of the 2023 batch cancelled; 150 涉企检查 filings; 40
penalty cases — three major ones decided after 法制审核, two decided after the 90 days of 行政处罚法 第六十条,
one still undecided past them, one extended by 30 days with its head's approval.
西市区 2025 (seed report: "备案涉企行政执法409次"): 409 涉企检查 filings (and 6 cancelled after filing, not
counted), the 2025 plans of 12 departments and 24 penalty cases. 西市区 issued its permits in a 2024 batch
and none in 2025 (2 cancelled); the next batch applied in September 2026 and is under review.

Departments: the demo org tree (core/demo.py) holds only a few departments per district; the other
enforcement departments are added here, under the district. They are not added to core/demo.py's DISTRICTS
because the org tree's departments are the expected reporters of the legal_publicity and law_study data
sets, whose completeness figures tests/datasets/test_demo.py asserts on that tree alone.

Random numbers: drawn from a generator copied from ctx.rng's state, so the run is deterministic and the
shared ctx.rng is not advanced: the other lines' demo data (and the drafted reports) stay as they were.
"""

from __future__ import annotations

import datetime as dt
import random
from itertools import count

from fazhi.core.demo import GIVEN, SURNAMES, demo_credit_code
from fazhi.core.identity import id_number_check_digit
from fazhi.core.models import OrgUnit, OrgUnitKind
from fazhi.core.services import orgunit_create, persons_bulk_create
from fazhi.core.workdays import workday_calendar
from fazhi.registers.models import Record
from fazhi.registers.services import ImportClockStep, ImportRow, ImportStep, record_bulk_import

REGISTERS = ("inspection_plans", "enterprise_inspections", "enforcement_permits", "penalty_cases")
D = dt.date

# 东洲区: the five enforcement departments of the demo org tree, then the 33 added here (38 in all).
DZ_TREE = ["区司法局", "区交通局", "区审计局", "区人力资源和社会保障局", "公安东洲分局"]
DZ_ADDED = [
    "区市场监管局", "区应急局", "区生态环境分局", "区卫健局", "区教育局", "区民政局", "区住建局", "区综合行政执法局",
    "区自然资源分局", "区农业农村局", "区水利局", "区文旅局", "区商务局", "区发改局", "区工信局", "区财政局",
    "区退役军人事务局", "区医保局", "区统计局", "区国防动员办", "区科技局", "区林草局", "区民宗局", "区档案局",
    "区气象局", "区消防救援大队", "区税务局", "区烟草专卖局", "区房产局", "区保密局", "区密码管理局", "区新闻出版局",
    "区地方金融监管局",
]
# 西市区: two enforcement departments of the demo org tree and ten added here.
XS_TREE = ["区司法局", "区人力资源和社会保障局"]
XS_ADDED = ["区市场监管局", "区应急局", "区生态环境分局", "区卫健局", "区住建局", "区城管局", "区交通局",
            "区农业农村局", "区自然资源局", "区文旅局"]

# Department → (abbreviation in case numbers, typical violations)
VIOLATIONS = {
    "区市场监管局": ("市监", ["销售超过保质期的食品", "未按规定明码标价", "销售无合格证明的产品", "发布虚假广告",
                        "使用未经检验的特种设备"]),
    "区应急局": ("应急", ["未按规定对从业人员进行安全生产教育和培训", "未如实记录安全生产教育和培训情况",
                     "未在有较大危险因素的场所设置安全警示标志"]),
    "区生态环境分局": ("环", ["超过排放标准排放大气污染物", "未依法报批环境影响评价文件擅自开工建设",
                       "未按规定贮存危险废物"]),
    "区交通局": ("交", ["未取得道路运输经营许可擅自从事道路运输经营", "车辆超限运输"]),
    "区卫健局": ("卫", ["未取得医疗机构执业许可证擅自执业", "公共场所未取得卫生许可证经营"]),
    "区综合行政执法局": ("综执", ["未经批准擅自设置户外广告设施", "擅自占用城市道路经营", "未取得建设工程规划许可证进行建设"]),
    "区城管局": ("城管", ["未经批准擅自设置户外广告设施", "擅自占用城市道路经营"]),
    "区人力资源和社会保障局": ("人社", ["未按规定建立职工名册", "未按规定参加社会保险"]),
    "区自然资源分局": ("自然资源", ["未经批准非法占用土地"]),
    "区农业农村局": ("农", ["经营假农药", "销售未经登记的肥料"]),
    "区文旅局": ("文旅", ["擅自从事互联网上网服务经营活动"]),
    "区住建局": ("建", ["未取得施工许可证擅自施工", "施工现场扬尘污染防治措施不到位"]),
}

BRANDS = ("鑫源 宏达 恒泰 盛发 金诚 永盛 瑞丰 德利 兴隆 天成 广源 华盛 顺达 福鑫 东升 利民 佳和 泰和 富达 长兴 新阳 润丰 "
          "昌盛 万通 博远 鼎盛 众合 嘉禾 荣达 宝丰 晟通 汇通 金穗 亿嘉 隆泰 聚鑫 安泰 通达 祥和 益民").split()
TRADES = ("食品 商贸 建材 机械制造 物流 化工 餐饮管理 医药连锁 汽车维修 建筑工程 物业服务 印刷 五金 服装 农业发展 "
          "电气设备 塑料制品 包装材料 钢结构 热力").split()
SHOPS = "便利店 饭店 超市 烧烤店 五金商店 汽车修理部 药店 洗浴中心 网吧 水果店".split()

RECTIFICATIONS = ["消防通道堆放杂物", "安全生产台账记录不完整", "从业人员健康证明过期", "安全警示标志缺失",
                  "危险化学品储存不规范", "商品价格标签不规范", "进货查验记录不全"]


def _departments(ctx, district: str, in_tree: list[str], added: list[str]) -> dict[str, OrgUnit]:
    root = ctx.unit(district)
    units = {name: ctx.unit(district, name) for name in in_tree}
    for name in added:
        units[name] = OrgUnit.objects.filter(name=name, parent=root).first() or orgunit_create(
            acting_user=None, name=name, kind=OrgUnitKind.DEPARTMENT, parent=root)
    return units


def _entities(rng: random.Random, place: str, region: str, n: int) -> list[tuple[str, str]]:
    """`n` different market entities (name, 统一社会信用代码): companies and a fifth 个体工商户."""
    names: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < n:
        individual = rng.random() < 0.2
        brand = rng.choice(BRANDS)
        name = f"{place}区{brand}{rng.choice(SHOPS)}" if individual else f"{place}{brand}{rng.choice(TRADES)}有限公司"
        if name not in names:
            names.add(name)
            out.append((name, demo_credit_code(rng, region, kind="2" if individual else "1")))
    return out


def _people(rng: random.Random, serial, *, units: list[OrgUnit], region: str) -> list[int]:
    """One plausible person (valid 身份证号) per entry of `units`, registered in that unit; their ids in order."""
    rows: dict[int, list[tuple[int, tuple[str, str, str]]]] = {}
    for index, unit in enumerate(units):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        born = D(1966, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 36))
        first17 = f"{region}{born:%Y%m%d}{next(serial) % 1000:03d}"
        phone = "13" + "".join(str(rng.randrange(10)) for _ in range(9))
        rows.setdefault(unit.pk, []).append((index, (name, first17 + id_number_check_digit(first17), phone)))
    ids = [0] * len(units)
    by_pk = {u.pk: u for u in units}
    for pk, entries in rows.items():
        created = persons_bulk_create(acting_user=None, org_unit=by_pk[pk], people=[p for _, p in entries])
        for (index, _), person in zip(entries, created, strict=True):
            ids[index] = person.pk
    return ids


def _spread(rng: random.Random, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
    """`n` working days spread at random over [start, end], sorted."""
    cal = workday_calendar()
    span = (end - start).days
    return sorted(cal.next_working_day(start + dt.timedelta(days=rng.randrange(span + 1))) for _ in range(n))


# 检查计划 ------------------------------------------------------------------------------------------------


def _plans(rng, departments: dict[str, OrgUnit], *, year: int, prefix: str, site: str, late: set[int],
           returned: set[int]) -> list[ImportRow]:
    cal = workday_calendar()
    start = D(year, 1, 1)
    rows = []
    for i, (name, unit) in enumerate(departments.items()):
        size = 120 if name == "区市场监管局" else rng.choice([6, 8, 10, 12, 12, 15, 20, 24, 30, 36, 48])
        submitted = (cal.next_working_day(D(year, 2, 5) + dt.timedelta(days=7 * (i % 3))) if i in late
                     else cal.next_working_day(D(year, 1, 3) + dt.timedelta(days=rng.randrange(0, 24))))
        steps = [ImportStep("submit", submitted)]
        if i in returned:
            back = cal.add_working_days(submitted, 3)
            steps += [ImportStep("return", back, note="检查事项未列明检查依据和检查频次，请补充后重新报送。"),
                      ImportStep("submit", cal.add_working_days(back, rng.randint(3, 8)))]
        filed = cal.add_working_days(steps[-1].on_date, rng.randint(2, 6))
        steps.append(ImportStep("file", filed, fields={"publication": site}))
        rows.append(ImportRow(
            f"{prefix}-JCJH-{year}-{i + 1:02d}", unit, start,
            {"starts_on": start, "year": year, "department": unit.pk, "title": f"{name}{year}年度涉企行政检查计划",
             "planned_inspections": size, "scope": "enterprise"},
            steps))
    return rows


# 涉企行政检查备案 --------------------------------------------------------------------------------------------


def _inspections(rng, departments: dict[str, OrgUnit], counts: dict[str, int], *, year: int, prefix: str,
                 entities: list[tuple[str, str]], cancelled: int, until: dt.date) -> list[ImportRow]:
    cal = workday_calendar()
    plan = [name for name, n in counts.items() for _ in range(n)]
    fates = ["done"] * len(plan) + ["cancelled"] * cancelled
    plan += [rng.choice(list(counts)) for _ in range(cancelled)]
    order = list(range(len(plan)))
    rng.shuffle(order)
    days = _spread(rng, D(year, 1, 6), until, len(plan))
    rows = []
    for serial, (index, filed) in enumerate(zip(order, days, strict=True), start=1):
        name, fate = plan[index], fates[index]
        entity, credit = rng.choice(entities)
        kind = rng.choices(["routine", "special", "complaint"], weights=[60, 30, 10])[0]
        inspected = cal.next_working_day(filed + dt.timedelta(days=rng.randint(1, 7)))
        payload = {"filed_on": filed, "department": departments[name].pk, "entity_name": entity, "credit_code": credit,
                   "inspection_date": inspected, "kind": kind}
        if kind != "complaint":
            payload["plan_reference"] = f"{name}{year}年度涉企行政检查计划"
        if fate == "cancelled":
            steps = [ImportStep("cancel", filed + dt.timedelta(days=1), note="被检查企业已停产，检查事项取消。")]
        else:
            outcome = rng.choices(["no_problem", "rectification", "case_opened"], weights=[72, 24, 4])[0]
            findings = {"no_problem": "经检查，未发现违法违规问题。",
                        "rectification": f"发现{rng.choice(RECTIFICATIONS)}，已下达责令限期整改通知书。",
                        "case_opened": "发现涉嫌违法行为，已依法立案查处。"}[outcome]
            steps = [ImportStep("conduct", inspected),
                     ImportStep("conclude", cal.add_working_days(inspected, rng.randint(0, 8)),
                                fields={"findings": findings}, outcome=outcome)]
        rows.append(ImportRow(f"{prefix}-SQJC-{year}-{serial:04d}", departments[name], filed, payload, steps))
    return rows


# 行政执法证件 --------------------------------------------------------------------------------------------


def _permit_rows(rng, serial, plan: list[list], *, region: str, prefix: str) -> list[ImportRow]:
    """plan: (department unit, kind, applied on, fate, decided on, cancelled on or None); fate is
    issued / refused / reviewing."""
    people = _people(rng, serial, units=[p[0] for p in plan], region=region)
    rows = []
    numbers = count(1)
    for i, ((unit, kind, applied, fate, decided, revoked), person) in enumerate(zip(plan, people, strict=True)):
        steps = [ImportStep("review", applied + dt.timedelta(days=rng.randint(1, 4)))]
        if fate == "issued":
            number = f"{region}{decided.year}{next(numbers):04d}"
            steps.append(ImportStep("issue", decided, fields={"exam_passed": True, "permit_number": number}))
            if revoked:
                steps.append(ImportStep("revoke", revoked, note=rng.choice(["持证人已退休。", "持证人已调离行政执法岗位。"])))
        elif fate == "refused":
            failed = kind == "new"
            reason = "行政执法资格考试成绩不合格。" if failed else "申领人已不在行政执法岗位，不符合换领条件。"
            steps.append(ImportStep("refuse", decided, fields={"exam_passed": not failed, "refusal_reason": reason}))
        rows.append(ImportRow(
            f"{prefix}-ZFZ-{applied.year}-{i + 1:04d}", unit, applied,
            {"applied_on": applied, "holder": person, "department": unit.pk, "kind": kind}, steps))
    return rows


def _batch(rng, units: list[OrgUnit], kinds: list[str], fates: list[str], *, applied: tuple[dt.date, dt.date],
           decided: tuple[dt.date, dt.date]) -> list[list]:
    cal = workday_calendar()
    out = []
    for kind, fate in zip(kinds, fates, strict=True):
        on = cal.next_working_day(applied[0] + dt.timedelta(days=rng.randrange((applied[1] - applied[0]).days + 1)))
        day = cal.next_working_day(decided[0] + dt.timedelta(days=rng.randrange((decided[1] - decided[0]).days + 1)))
        out.append([rng.choice(units), kind, on, fate, day, None])
    return out


def _permits_dongzhou(rng, serial, departments: dict[str, OrgUnit]) -> list[ImportRow]:
    units = list(departments.values())
    earlier = _batch(rng, units, ["new"] * 18 + ["renewal"] * 8, ["issued"] * 26,
                     applied=(D(2023, 9, 4), D(2023, 9, 22)), decided=(D(2023, 11, 6), D(2023, 11, 17)))
    for row, cancelled in zip(earlier[:3], (D(2024, 3, 12), D(2024, 6, 20), D(2024, 10, 15)), strict=True):
        row[5] = cancelled  # retired or left enforcement work in 2024
    # 2024: 71 issued (22 + 22 新领, 15 + 12 换领) and 4 refused (three 新领 failed the exam, one 换领 no
    # longer in an enforcement post).
    spring = _batch(rng, units, ["new"] * 22 + ["renewal"] * 15 + ["new"] * 2, ["issued"] * 37 + ["refused"] * 2,
                    applied=(D(2024, 4, 8), D(2024, 4, 19)), decided=(D(2024, 5, 20), D(2024, 5, 31)))
    autumn = _batch(rng, units, ["new"] * 22 + ["renewal"] * 12 + ["new", "renewal"], ["issued"] * 34 + ["refused"] * 2,
                    applied=(D(2024, 10, 8), D(2024, 10, 25)), decided=(D(2024, 12, 2), D(2024, 12, 13)))
    late = _batch(rng, units, ["new"] * 2, ["issued"] * 2,
                  applied=(D(2024, 12, 16), D(2024, 12, 20)), decided=(D(2025, 1, 13), D(2025, 1, 17)))
    return _permit_rows(rng, serial, earlier + spring + autumn + late, region="210403", prefix="DZ")


def _permits_xishi(rng, serial, departments: dict[str, OrgUnit]) -> list[ImportRow]:
    units = list(departments.values())
    batch = _batch(rng, units, ["new"] * 22 + ["renewal"] * 14, ["issued"] * 34 + ["refused"] * 2,
                   applied=(D(2024, 10, 9), D(2024, 10, 25)), decided=(D(2024, 11, 18), D(2024, 11, 29)))
    for row, cancelled in zip(batch[:2], (D(2025, 4, 16), D(2025, 9, 23)), strict=True):
        row[5] = cancelled
    pending = _batch(rng, units, ["new"] * 4 + ["renewal"] * 2, ["reviewing"] * 6,
                     applied=(D(2026, 9, 7), D(2026, 9, 18)), decided=(D(2026, 11, 2), D(2026, 11, 2)))
    return _permit_rows(rng, serial, batch + pending, region="210804", prefix="XS")


# 行政处罚案件 --------------------------------------------------------------------------------------------

REVIEW_OPINION = "违法事实清楚，证据确凿，适用依据正确，程序合法，处罚裁量适当，同意作出处罚决定。"


def _case_rows(rng, departments: dict[str, OrgUnit], fates: list[tuple[str, str]], *, year: int, prefix: str,
               short: str, entities: list[tuple[str, str]], approver) -> list[ImportRow]:
    """fates: (department name, fate); fate is penalty / late / major / no_penalty / withdrawn / open /
    extended (30 days more, approved by `approver`, decided inside them)."""
    cal = workday_calendar()
    opened = _spread(rng, D(year, 1, 8), D(year, 10, 31), len(fates))
    numbers: dict[str, int] = {}
    rows = []
    for i, ((name, fate), filed) in enumerate(zip(fates, opened, strict=True)):
        abbr, causes = VIOLATIONS[name]
        numbers[name] = numbers.get(name, 0) + 1
        party, credit = rng.choice(entities)
        payload = {"filed_on": filed, "department": departments[name].pk,
                   "case_number": f"{short}{abbr}立字〔{year}〕第{numbers[name]}号",
                   "party_name": party, "credit_code": credit, "cause": rng.choice(causes)}
        steps: list[ImportStep | ImportClockStep] = [ImportStep("investigate", filed + dt.timedelta(days=rng.randint(0, 3)))]
        decision = f"{short}{abbr}罚决字〔{year}〕第{numbers[name]}号"
        if fate == "withdrawn":
            when = filed + dt.timedelta(days=rng.randint(20, 50))
            steps += [ImportStep("withdraw_case", when, outcome="case_withdrawn", note="经调查，违法事实不能成立。"),
                      ImportStep("close", when, fields={"execution": "not_applicable"})]
        elif fate == "open":
            pass  # still under investigation, long past its 90 days
        elif fate == "major":
            payload.update(penalty_kind=rng.choice(["licence", "restriction", "fine"]),
                           fine_amount=rng.randint(20, 100) * 5000)
            notified = filed + dt.timedelta(days=rng.randint(30, 45))
            decided = notified + dt.timedelta(days=rng.randint(25, 35))
            steps += [ImportStep("notify_major", notified),
                      ImportStep("decide_after_review", decided, outcome="penalty",
                                 fields={"representation": "hearing", "legal_review_opinion": REVIEW_OPINION,
                                         "decision_number": decision}),
                      ImportStep("close", decided + dt.timedelta(days=rng.randint(15, 40)),
                                 fields={"execution": "performed"})]
        else:
            notified = filed + dt.timedelta(days=rng.randint(20, 50))
            steps.append(ImportStep("notify", notified))
            if fate == "extended":
                steps += [ImportClockStep("extend", "decision", filed + dt.timedelta(days=80), length=30,
                                          reason="案情复杂，需对涉案产品进行检验鉴定，经负责人批准延长三十日。",
                                          approver=approver),
                          ImportStep("decide", filed + dt.timedelta(days=108), outcome="penalty",
                                     fields={"representation": "statement", "decision_number": decision,
                                             "penalty_kind": "fine", "fine_amount": 86000}),
                          ImportStep("close", filed + dt.timedelta(days=130), fields={"execution": "performed"})]
            else:
                if fate == "no_penalty":
                    outcome, execution = "no_penalty", "not_applicable"
                else:
                    outcome = "penalty"
                    execution = rng.choices(["performed", "enforced"], weights=[9, 1])[0]
                    kind = rng.choices(["fine", "warning", "restriction"], weights=[80, 15, 5])[0]
                    payload["penalty_kind"] = kind
                    if kind != "warning":
                        payload["fine_amount"] = rng.randint(2, 100) * 1000
                # late: past the 90 days even when their last day falls in a holiday (at most 8 days later)
                days = rng.randint(100, 115) if fate == "late" else rng.randint(60, 85)
                decided = cal.next_working_day(max(notified + dt.timedelta(days=5), filed + dt.timedelta(days=days)))
                steps += [ImportStep("decide", decided, outcome=outcome,
                                     fields={"representation": rng.choices(["waived", "statement"], weights=[7, 3])[0],
                                             "decision_number": decision}),
                          ImportStep("close", cal.next_working_day(decided + dt.timedelta(days=rng.randint(10, 40))),
                                     fields={"execution": execution})]
        rows.append(ImportRow(f"{prefix}-XZCF-{year}-{i + 1:03d}", departments[name], filed, payload, steps))
    return rows


def _fates(rng, weights: dict[str, int], special: list[str]) -> list[tuple[str, str]]:
    """`weights` department → cases; `special` fates spread over the departments, the rest 'penalty'."""
    names = [name for name, n in weights.items() for _ in range(n)]
    fates = special + ["penalty"] * (len(names) - len(special))
    rng.shuffle(fates)
    return list(zip(names, fates, strict=True))


def demo_build(ctx) -> int:
    if Record.objects.filter(register__in=REGISTERS).exists():
        return 0
    rng = ctx.line_rng("law_enforcement")
    serial = count(601)
    dz_user, xs_user = ctx.users["dz_admin"], ctx.users["xs_admin"]
    dz = _departments(ctx, "东洲区", DZ_TREE, DZ_ADDED)
    xs = _departments(ctx, "西市区", XS_TREE, XS_ADDED)
    dz_entities = _entities(rng, "东洲", "210403", 120)
    xs_entities = _entities(rng, "西市", "210804", 180)

    created = record_bulk_import(
        acting_user=dz_user, register="inspection_plans",
        rows=_plans(rng, dz, year=2024, prefix="DZ", site="东洲区人民政府网站", late={7, 30}, returned={3, 12, 25}))
    created += record_bulk_import(
        acting_user=xs_user, register="inspection_plans",
        rows=_plans(rng, xs, year=2025, prefix="XS", site="西市区人民政府网站", late=set(), returned={5}))

    dz_counts = {"区市场监管局": 52, "区应急局": 26, "区生态环境分局": 16, "区卫健局": 12, "区住建局": 10,
                 "区综合行政执法局": 9, "区交通局": 8, "区人力资源和社会保障局": 7, "区农业农村局": 5, "区文旅局": 5}
    xs_counts = {"区市场监管局": 150, "区应急局": 70, "区生态环境分局": 45, "区卫健局": 30, "区住建局": 30,
                 "区城管局": 20, "区交通局": 18, "区人力资源和社会保障局": 16, "区农业农村局": 10, "区自然资源局": 8,
                 "区文旅局": 8, "区司法局": 4}  # 409
    created += record_bulk_import(
        acting_user=dz_user, register="enterprise_inspections",
        rows=_inspections(rng, dz, dz_counts, year=2024, prefix="DZ", entities=dz_entities, cancelled=3,
                          until=D(2024, 12, 20)))
    created += record_bulk_import(
        acting_user=xs_user, register="enterprise_inspections",
        rows=_inspections(rng, xs, xs_counts, year=2025, prefix="XS", entities=xs_entities, cancelled=6,
                          until=D(2025, 12, 19)))

    created += record_bulk_import(acting_user=dz_user, register="enforcement_permits",
                                  rows=_permits_dongzhou(rng, serial, dz))
    created += record_bulk_import(acting_user=xs_user, register="enforcement_permits",
                                  rows=_permits_xishi(rng, serial, xs))

    dz_cases = {"区市场监管局": 12, "区应急局": 5, "区生态环境分局": 4, "区交通局": 4, "区卫健局": 3,
                "区综合行政执法局": 4, "区人力资源和社会保障局": 2, "区自然资源分局": 2, "区农业农村局": 2,
                "区文旅局": 1, "区住建局": 1}  # 40
    dz_fates = _fates(rng, dz_cases, ["major"] * 3 + ["no_penalty"] * 3 + ["withdrawn"] * 2 + ["late"] * 2
                      + ["open", "extended"])
    created += record_bulk_import(acting_user=dz_user, register="penalty_cases",
                                  rows=_case_rows(rng, dz, dz_fates, year=2024, prefix="DZ", short="东",
                                                  entities=dz_entities, approver=dz_user))

    xs_cases = {"区市场监管局": 9, "区应急局": 4, "区生态环境分局": 3, "区城管局": 3, "区卫健局": 2, "区住建局": 2,
                "区人力资源和社会保障局": 1}  # 24
    xs_fates = _fates(rng, xs_cases, ["major", "no_penalty", "no_penalty", "withdrawn", "late"])
    created += record_bulk_import(acting_user=xs_user, register="penalty_cases",
                                  rows=_case_rows(rng, xs, xs_fates, year=2025, prefix="XS", short="西",
                                                  entities=xs_entities, approver=xs_user))
    return created
