"""Demo data of 公共法律服务: the data set's entered figures and the register notarizations (公证办理).

Data set — 东洲区 2024: 230 activities, 7500 leaflets, 1300 bags, 10000 beneficiaries, 3 巡回办证点.
西市区 2025: 812 consultations (the report says 800余人次), the 一院式 platform took 367 and concluded 301.

Notarizations — 东洲区 2024 (85 applications): the three 巡回办证点 at 章党镇司法所, 哈达镇司法所 and
搭连街道司法所 (the demo tree has no 老虎台街道) take 5 applications each on circuit days and 1 home visit
each, all 18 in 公证协办 with the 司法所 (开展公证协办18次); the notary office makes 2 more home visits on
its own, takes 60 applications at its window and 5 online. 2 window applications are not accepted, 1 is
withdrawn, 1 refused (不予办理) and 1 circuit one too (the heirs dispute the estate); 2 are suspended for
补充证明材料 and issued within the moved deadline, 1 is issued late and 1, accepted in November, is still
under review and overdue. 79 certificates, 78 within the 15 working days (98.7%).
西市区 2025 (56 applications, no 巡回办证点 in this urban district): 40 at the window, 6 home visits (3
assisted by 清河镇司法所 and 河东街道司法所), 10 online; 1 not accepted, 1 withdrawn, 1 suspended for
补充证明材料, 1 issued late: 54 certificates, 53 in time.

The counts and the special cases are fixed; a private random stream (seeded from ctx.rng's state without
advancing it, so the later lines' demo data do not change with this line) picks the ordinary dates,
matters and applicants.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from fazhi.core.workdays import workday_calendar
from fazhi.datasets.demo import demo_done, demo_report
from fazhi.registers.models import Record
from fazhi.registers.services import ImportClockStep, ImportRow, ImportStep, record_bulk_import

DATASET = "public_legal_services"
REGISTER = "notarizations"
D = dt.date
CIRCUIT_POINTS = ["章党镇司法所", "哈达镇司法所", "搭连街道司法所"]

MATTERS = {  # channel → (matter, weight)
    "window": [("entrustment", 14), ("inheritance", 12), ("education", 10), ("declaration", 8), ("kinship", 8),
               ("contract", 4), ("will", 2), ("evidence", 2), ("other", 2)],
    "circuit": [("inheritance", 5), ("entrustment", 4), ("declaration", 3), ("kinship", 3), ("will", 1)],
    "home_visit": [("will", 3), ("entrustment", 3), ("declaration", 2), ("inheritance", 1)],
    "online": [("education", 5), ("kinship", 3), ("declaration", 2)],
}
SUSPENSIONS = ["补充证明材料：申请人需补充被继承人的死亡证明和亲属关系证明", "补充证明材料：委托人需补充房屋权属证明",
               "补充证明材料：申请人需补充学历证书原件及学信网认证报告"]


@dataclass
class Case:
    """One planned application: where and how it was made, and what became of it."""

    applied: dt.date
    unit: str  # the unit that holds the record: 区司法局 (the notary office's window) or a 司法所
    channel: str
    fate: str = "issued"  # issued | late | suspended | rejected | refused | withdrawn | open
    assisted: bool = False
    matter: str | None = None  # None: drawn for the channel
    suspension: tuple[dt.date, dt.date, str] | None = None  # suspended on, resumed on, reason


def _days(rng, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    """`count` working days spread at random over [start, end]."""
    cal = workday_calendar()
    span = (end - start).days
    return sorted(cal.next_working_day(start + dt.timedelta(days=rng.randrange(span + 1))) for _ in range(count))


def _dongzhou_2024(rng) -> list[Case]:
    cases = []
    circuit_months = [(2, 4, 6, 8, 10), (1, 3, 5, 9, 11), (3, 5, 7, 9, 11)]
    for point, months in zip(CIRCUIT_POINTS, circuit_months, strict=True):
        for i, month in enumerate(months):
            day = workday_calendar().next_working_day(D(2024, month, 10 + rng.randrange(10)))
            refused = point == "哈达镇司法所" and i == 2  # the heirs dispute the estate
            cases.append(Case(day, point, "circuit", assisted=True, fate="refused" if refused else "issued",
                              matter="inheritance" if refused else None))
        cases.append(Case(_days(rng, D(2024, 3, 1), D(2024, 10, 31), 1)[0], point, "home_visit", assisted=True))
    cases += [Case(day, "区司法局", "home_visit") for day in _days(rng, D(2024, 2, 1), D(2024, 11, 15), 2)]
    cases += [Case(day, "区司法局", "online", matter="education" if i < 3 else None)
              for i, day in enumerate(_days(rng, D(2024, 5, 6), D(2024, 8, 30), 5))]
    special = [
        Case(D(2024, 4, 8), "区司法局", "window", "suspended", matter="inheritance",
             suspension=(D(2024, 4, 12), D(2024, 4, 26), SUSPENSIONS[0])),
        Case(D(2024, 9, 9), "区司法局", "window", "suspended", matter="entrustment",
             suspension=(D(2024, 9, 13), D(2024, 9, 27), SUSPENSIONS[1])),
        Case(D(2024, 6, 17), "区司法局", "window", "late", matter="kinship"),
        Case(D(2024, 11, 18), "区司法局", "window", "open", matter="inheritance"),
        Case(D(2024, 3, 18), "区司法局", "window", "rejected", matter="contract"),
        Case(D(2024, 7, 22), "区司法局", "window", "rejected", matter="entrustment"),
        Case(D(2024, 5, 20), "区司法局", "window", "withdrawn", matter="inheritance"),
        Case(D(2024, 10, 14), "区司法局", "window", "refused", matter="evidence"),
    ]
    cases += special
    cases += [Case(day, "区司法局", "window") for day in _days(rng, D(2024, 1, 2), D(2024, 11, 20), 60 - len(special))]
    return cases


def _xishi_2025(rng) -> list[Case]:
    cases = [Case(day, office, "home_visit", assisted=True)
             for day, office in zip(_days(rng, D(2025, 3, 1), D(2025, 10, 31), 3),
                                    ["清河镇司法所", "河东街道司法所", "清河镇司法所"], strict=True)]
    cases += [Case(day, "区司法局", "home_visit") for day in _days(rng, D(2025, 2, 10), D(2025, 11, 14), 3)]
    cases += [Case(day, "区司法局", "online") for day in _days(rng, D(2025, 1, 6), D(2025, 11, 14), 10)]
    special = [
        Case(D(2025, 3, 10), "区司法局", "window", "suspended", matter="education",
             suspension=(D(2025, 3, 14), D(2025, 3, 28), SUSPENSIONS[2])),
        Case(D(2025, 7, 7), "区司法局", "window", "late", matter="inheritance"),
        Case(D(2025, 4, 21), "区司法局", "window", "rejected", matter="contract"),
        Case(D(2025, 8, 18), "区司法局", "window", "withdrawn", matter="entrustment"),
    ]
    cases += special
    cases += [Case(day, "区司法局", "window") for day in _days(rng, D(2025, 1, 6), D(2025, 11, 20), 40 - len(special))]
    return cases


REJECTIONS = ["涉及不动产的公证事项应向不动产所在地的公证机构申请", "申请人未能提交身份证明等必要材料"]
REFUSALS = {"inheritance": "继承人之间对遗产分割有争议", "evidence": "申请公证的事项属专业技术鉴定事项"}


def _rows(ctx, rng, cases: list[Case], *, district: str, prefix: str, word: str):
    """Import rows, plus the suspensions to record once the rows exist: (external id, case, issue step)."""
    cal = workday_calendar()
    cases = sorted(cases, key=lambda c: c.applied)
    local = dataclasses.replace(ctx, rng=rng)
    units = {name: ctx.unit(district, name) for name in {c.unit for c in cases}}
    people = {name: iter(local.people(org_unit=unit, count=sum(c.unit == name for c in cases)))
              for name, unit in units.items()}
    ctx.id_serial = local.id_serial
    rows, certificates = [], 0
    for n, case in enumerate(cases, start=1):
        weights = MATTERS[case.channel]
        matter = case.matter or rng.choices([m for m, _ in weights], weights=[w for _, w in weights])[0]
        unit = units[case.unit]
        payload = {"applied_on": case.applied, "applicant": next(people[case.unit]), "matter": matter,
                   "channel": case.channel, "assisted": case.assisted}
        if case.unit != "区司法局":
            payload["service_point"] = unit.pk
        external_id = f"{prefix}-GZ-{case.applied.year}-{n:03d}"
        # The notary takes a circuit or window application on the spot; online and home visits a little later.
        accepted = case.applied if case.channel in ("circuit", "window") else cal.add_working_days(
            case.applied, rng.randint(1, 3))
        steps: list[ImportStep | ImportClockStep] = []
        if case.fate == "rejected":
            steps.append(ImportStep("reject", cal.add_working_days(case.applied, 1),
                                    fields={"refusal_reason": REJECTIONS[n % 2]}))
        else:
            steps += [ImportStep("accept", accepted), ImportStep("review", accepted)]
        issue = None
        if case.fate in ("issued", "late", "suspended"):
            certificates += 1
            fields = {"certificate_number": f"（{case.applied.year}）{word}证字第{certificates:04d}号"}
            if case.fate == "issued":
                issue = ImportStep("issue", cal.add_working_days(accepted, rng.randint(2, 12)), fields=fields,
                                   outcome="met")
            elif case.fate == "late":  # waited on a reply from another place without suspending the clock
                issue = ImportStep("issue", cal.add_working_days(accepted, 19), fields=fields, outcome="missed")
            else:  # the 15th working day moves by the working days suspended: issued on the last of them
                assert case.suspension is not None  # a suspended case has its suspension
                suspended, resumed, _ = case.suspension
                extra = cal.working_days_between(suspended, resumed)
                issue = ImportStep("issue", cal.add_working_days(accepted, 15 + extra), fields=fields, outcome="met")
        elif case.fate == "refused":
            steps.append(ImportStep("refuse", cal.add_working_days(accepted, 6),
                                    fields={"refusal_reason": REFUSALS[matter]}))
        elif case.fate == "withdrawn":
            steps.append(ImportStep("withdraw", cal.add_working_days(accepted, 3),
                                    note="申请人决定通过诉讼途径解决，撤回公证申请"))
        if case.fate == "suspended" and case.suspension is not None:  # 补充证明材料: the time does not count (公证法 第三十条)
            suspended, resumed, reason = case.suspension
            steps += [ImportClockStep("suspend", "certificate", suspended, reason=reason),
                      ImportClockStep("resume", "certificate", resumed)]
        if issue is not None:
            steps.append(issue)
        rows.append(ImportRow(external_id, unit, case.applied, payload, steps))
    return rows


def _import(ctx, rng, cases, *, user, district: str, prefix: str, word: str) -> int:
    return record_bulk_import(acting_user=user, register=REGISTER,
                              rows=_rows(ctx, rng, cases, district=district, prefix=prefix, word=word))


def _dataset(ctx) -> int:
    if demo_done(DATASET):
        return 0
    dz, xs = ctx.users["dz_admin"], ctx.users["xs_admin"]
    entered = demo_report(
        dataset=DATASET, unit=ctx.unit("东洲区"), period_start=D(2024, 1, 1), entered_by=dz, approver=dz,
        values={("events", None): 230, ("leaflets", None): 7500, ("gift_bags", None): 1300,
                ("beneficiaries", None): 10000, ("notary_points", None): len(CIRCUIT_POINTS)},
        submitted_on=D(2025, 2, 25), approved_on=D(2025, 2, 27),
    )
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=D(2025, 1, 1), entered_by=xs,
        values={("events", None): 96, ("consultations", None): 812, ("platform_requests", None): 367,
                ("platform_concluded", None): 301, ("women_children_cases", None): 44,
                ("survey_responses", None): 120, ("survey_satisfied", None): 120,
                # its 3 streets, 1 town and their 8 communities each have a 法律服务顾问 (全覆盖)
                ("adviser_units", None): 12, ("adviser_units_covered", None): 12},
    )
    # 西市区 2024, for 同比: 40 women's and children's rights cases (2025: 44, up 10%).
    entered += demo_report(
        dataset=DATASET, unit=ctx.unit("西市区"), period_start=D(2024, 1, 1), entered_by=xs, approver=xs,
        values={("events", None): 88, ("women_children_cases", None): 40},
        submitted_on=D(2025, 2, 26), approved_on=D(2025, 2, 28),
    )
    return entered


def _notarizations(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    rng = ctx.line_rng(REGISTER)
    return (_import(ctx, rng, _dongzhou_2024(rng), user=ctx.users["dz_admin"], district="东洲区", prefix="DZ",
                    word="东洲")
            + _import(ctx, rng, _xishi_2025(rng), user=ctx.users["xs_admin"], district="西市区", prefix="XS",
                      word="西市"))


def demo_build(ctx) -> int:
    return _dataset(ctx) + _notarizations(ctx)
