"""Demo records of 重大行政决策 (major administrative decisions).

The seed reports mention the procedure only in words (东洲区 2024: "建立健全重大事项合法性审查、专家咨询、
集体讨论决定、公开征求意见建议等制度"; 西市区 2025: "严格执行重大行政决策程序"); they state no figure of
this line, so there is no seed_figures.yaml. The decisions below are invented but follow the
procedure: 东洲区 2023 and 2024, 西市区 2024 and 2025, five or six a year, among them a consultation
shortened with its reason, a decision not consulted publicly (依法不予公开) and not published, a draft
found unlawful and revised, a withdrawal, a decision not adopted, one terminated, a legality review
across the 2024 National Day holiday and one across the 2025 Spring Festival (调休 workdays included).

Fixed tables, no random numbers: the shared ctx.rng is left untouched, so the other lines' demo
data do not change with this line.
"""

from __future__ import annotations

import datetime as dt

from fazhi.registers.models import Record
from fazhi.registers.services import ImportRow, ImportStep, record_bulk_import

REGISTER = "major_decisions"
D = dt.date


def consult(published: dt.date, closed: dt.date, comments: int) -> list[ImportStep]:
    """Published for comment, closed when at least 30 days have passed (第十五条)."""
    return [ImportStep("open_consultation", published, fields={"consultation_started_on": published}),
            ImportStep("close_consultation", closed, fields={"public_comments": comments})]


def shortened(published: dt.date, closed: dt.date, comments: int, reason: str) -> list[ImportStep]:
    return [ImportStep("open_consultation", published, fields={"consultation_started_on": published}),
            ImportStep("close_consultation_shortened", closed, fields={"public_comments": comments}, note=reason)]


def experts(on: dt.date, opinion: str) -> ImportStep:
    return ImportStep("expert_review", on, fields={"expert_opinion": opinion})


def risk(on: dt.date, level: str) -> ImportStep:
    return ImportStep("risk_assessment", on, fields={"risk_level": level})


def review(submitted: dt.date, opinion_on: dt.date, opinion: str, document: str, note: str = "") -> list[ImportStep]:
    """Submitted for legality review; the opinion at least 7 working days later (第二十六条)."""
    transition = {"lawful": "review_lawful", "lawful_after_revision": "review_lawful_after_revision",
                  "unlawful": "review_unlawful"}[opinion]
    return [ImportStep("submit_review", submitted),
            ImportStep(transition, opinion_on, fields={"review_document": document}, note=note)]


def decide(on: dt.date, session: str, outcome: str = "adopted", meeting: str = "executive") -> ImportStep:
    return ImportStep("decide", on, fields={"meeting": meeting, "meeting_session": session}, outcome=outcome)


def publish(on: dt.date, publication: str) -> ImportStep:
    return ImportStep("publish", on, fields={"publication": publication})


# (district, number, sponsor (None: the district government), title, domain, in the catalogue,
#  launched on, extra payload, steps)
DECISIONS = [
    ("东洲区", "东重决〔2023〕1号", "区交通局", "东洲区城市公交线网优化调整方案", "public_policy", True, D(2023, 2, 15), {},
     [*consult(D(2023, 3, 1), D(2023, 4, 3), 46), experts(D(2023, 4, 10), "feasible"), risk(D(2023, 4, 12), "low"),
      *review(D(2023, 4, 17), D(2023, 4, 26), "lawful", "东司法审〔2023〕5号"),
      decide(D(2023, 5, 12), "区政府第9次常务会议"), publish(D(2023, 5, 19), "区政府网站、东洲区人民政府公报〔2023〕第3期")]),
    ("东洲区", "东重决〔2023〕2号", None, "东洲区老旧小区改造三年行动计划（2023—2025年）", "planning", True, D(2023, 3, 10),
     {"hearing_held": True},
     # published 4月6日: day 30 is 5月6日, a 调休 Saturday and so a working day
     [*consult(D(2023, 4, 6), D(2023, 5, 8), 128), risk(D(2023, 5, 15), "medium"),
      experts(D(2023, 5, 18), "feasible_with_changes"),
      *review(D(2023, 5, 22), D(2023, 6, 2), "lawful_after_revision", "东司法审〔2023〕8号"),
      decide(D(2023, 6, 16), "区政府第12次常务会议", "adopted_with_changes"),
      publish(D(2023, 6, 26), "区政府网站、抚顺日报")]),
    ("东洲区", "东重决〔2023〕3号", "区人力资源和社会保障局", "东洲区就业创业扶持资金管理办法", "public_policy", False,
     D(2023, 6, 1), {},
     [*shortened(D(2023, 6, 12), D(2023, 6, 27), 12,
                 "年度补贴申报截止在即，情况紧急，征求意见公告中已说明将期限缩短为15日。"),
      *review(D(2023, 6, 28), D(2023, 7, 10), "lawful", "东司法审〔2023〕10号"),
      decide(D(2023, 7, 21), "区政府第15次常务会议"), publish(D(2023, 7, 28), "区政府网站")]),
    ("东洲区", "东重决〔2023〕4号", "区营商局", "东洲区优化营商环境若干措施", "public_policy", True, D(2023, 7, 3), {},
     # closed on day 30 itself (published 7月10日, closed 8月9日)
     [*consult(D(2023, 7, 10), D(2023, 8, 9), 35), experts(D(2023, 8, 15), "feasible"),
      *review(D(2023, 8, 21), D(2023, 8, 31), "unlawful", "东司法审〔2023〕12号",
              note="第五条设定的企业准入条件缺乏法律、法规依据，建议删除。"),
      *review(D(2023, 9, 11), D(2023, 9, 22), "lawful", "东司法审〔2023〕14号"),
      decide(D(2023, 10, 13), "区政府第19次常务会议", "adopted_with_changes"),
      publish(D(2023, 10, 20), "区政府网站、东洲区人民政府公报〔2023〕第6期")]),
    ("东洲区", "东重决〔2023〕5号", "区交通局", "东洲区城区公共停车场规划建设方案", "construction", False,
     D(2023, 8, 14), {},
     [*consult(D(2023, 8, 28), D(2023, 9, 27), 21), risk(D(2023, 10, 16), "high"),
      ImportStep("withdraw", D(2023, 11, 6), note="风险评估为高风险，承办单位撤回，调整选址后另行启动。")]),

    ("东洲区", "东重决〔2024〕1号", None, "东洲区国土空间总体规划实施方案", "planning", True, D(2024, 1, 8), {},
     # published 1月15日: day 30 (2月14日) falls in the Spring Festival; the period ends on 2月18日, a 调休 Sunday
     [*consult(D(2024, 1, 15), D(2024, 2, 19), 57), experts(D(2024, 2, 26), "feasible"), risk(D(2024, 2, 28), "low"),
      *review(D(2024, 3, 4), D(2024, 3, 15), "lawful", "东司法审〔2024〕3号"),
      decide(D(2024, 3, 29), "区政府第2次全体会议", meeting="plenary"),
      publish(D(2024, 4, 8), "区政府网站、东洲区人民政府公报〔2024〕第2期")]),
    ("东洲区", "东重决〔2024〕2号", "区人力资源和社会保障局", "东洲区稳就业促增收若干措施", "public_policy", True,
     D(2024, 3, 11), {},
     [*consult(D(2024, 3, 18), D(2024, 4, 18), 18),
      *review(D(2024, 4, 22), D(2024, 5, 6), "lawful", "东司法审〔2024〕6号"),
      decide(D(2024, 5, 17), "区政府第11次常务会议"), publish(D(2024, 5, 24), "区政府网站")]),
    ("东洲区", "东重决〔2024〕3号", None, "东洲区区属国有企业改革重组方案", "other", True, D(2024, 4, 22), {},
     [ImportStep("skip_consultation", D(2024, 5, 10),
                 note="涉及企业商业秘密，依法不予公开征求意见；已召开座谈会听取职工代表和相关企业意见。"),
      risk(D(2024, 5, 20), "medium"),
      *review(D(2024, 5, 27), D(2024, 6, 7), "lawful_after_revision", "东司法审〔2024〕8号"),
      decide(D(2024, 6, 21), "区政府第14次常务会议", "adopted_with_changes")]),  # not published: 依法不予公开
    ("东洲区", "东重决〔2024〕4号", "区交通局", "东洲区农村公路养护管理办法", "public_policy", False, D(2024, 7, 1), {},
     # submitted 9月27日: 9月29日 (调休) and 9月30日, then 10月8日–11日, and 10月12日 (调休 Saturday) is the
     # 7th working day, the first day the opinion may be given
     [*consult(D(2024, 7, 8), D(2024, 8, 9), 9), experts(D(2024, 8, 30), "feasible"),
      *review(D(2024, 9, 27), D(2024, 10, 12), "lawful", "东司法审〔2024〕13号"),
      decide(D(2024, 10, 25), "区政府第21次常务会议"), publish(D(2024, 11, 1), "区政府网站")]),
    ("东洲区", "东重决〔2024〕5号", "区司法局", "东洲区公共法律服务体系建设实施方案", "public_policy", False,
     D(2024, 8, 19), {},
     [*consult(D(2024, 9, 2), D(2024, 10, 8), 15),
      *review(D(2024, 10, 21), D(2024, 11, 4), "lawful", "东司法审〔2024〕15号"),
      ImportStep("not_adopt", D(2024, 11, 22), fields={"meeting": "executive", "meeting_session": "区政府第24次常务会议"},
                 outcome="not_adopted", note="会议认为与市级实施方案重复，不再单独出台。")]),
    ("东洲区", "东重决〔2024〕6号", None, "东洲区城市更新片区改造实施方案", "construction", True, D(2024, 10, 14),
     {"hearing_held": True},
     # still under legality review at the end of 2024
     [*consult(D(2024, 10, 21), D(2024, 11, 22), 83), risk(D(2024, 12, 2), "medium"),
      *review(D(2024, 12, 16), D(2025, 1, 6), "lawful", "东司法审〔2025〕1号"),
      decide(D(2025, 1, 17), "区政府第1次常务会议"), publish(D(2025, 1, 24), "区政府网站、抚顺日报")]),

    ("西市区", "西重决〔2024〕1号", "区营商局", "西市区营商环境优化提升行动方案", "public_policy", True, D(2024, 2, 26), {},
     [*consult(D(2024, 3, 4), D(2024, 4, 3), 27),
      *review(D(2024, 4, 8), D(2024, 4, 19), "lawful", "西司法审〔2024〕2号"),
      decide(D(2024, 5, 10), "区政府第8次常务会议"), publish(D(2024, 5, 17), "区政府网站")]),
    ("西市区", "西重决〔2024〕2号", "区人力资源和社会保障局", "西市区就业见习补贴管理办法", "public_policy", False,
     D(2024, 5, 6), {},
     [*consult(D(2024, 5, 13), D(2024, 6, 12), 8),
      *review(D(2024, 6, 17), D(2024, 6, 28), "lawful_after_revision", "西司法审〔2024〕5号"),
      decide(D(2024, 7, 12), "区政府第13次常务会议", "adopted_with_changes"), publish(D(2024, 7, 19), "区政府网站")]),
    ("西市区", "西重决〔2024〕3号", None, "西市区滨港片区控制性详细规划", "planning", True, D(2024, 7, 15), {},
     [*consult(D(2024, 7, 22), D(2024, 8, 23), 64), experts(D(2024, 9, 2), "feasible"), risk(D(2024, 9, 4), "low"),
      *review(D(2024, 9, 9), D(2024, 9, 24), "lawful", "西司法审〔2024〕9号"),
      decide(D(2024, 10, 18), "区政府第3次全体会议", meeting="plenary"),
      publish(D(2024, 10, 25), "区政府网站、西市区人民政府公报〔2024〕第4期")]),
    ("西市区", "西重决〔2024〕4号", None, "西市区公办幼儿园保育教育费标准调整方案", "public_policy", True,
     D(2024, 9, 2), {"hearing_held": True},
     [*shortened(D(2024, 9, 9), D(2024, 9, 24), 41,
                 "秋季学期收费须在开学后一个月内公示，情况紧急，征求意见公告中已说明将期限缩短为15日。"),
      *review(D(2024, 9, 27), D(2024, 10, 14), "lawful", "西司法审〔2024〕11号"),
      decide(D(2024, 10, 25), "区政府第19次常务会议"), publish(D(2024, 10, 31), "区政府网站")]),
    ("西市区", "西重决〔2025〕2号", "区司法局", "西市区公共法律服务实体平台建设方案", "public_policy", False,
     D(2024, 11, 18), {},
     # submitted 1月23日: 1月24日、26日 (调休)、27日, then 2月5日–7日, and 2月8日 (调休 Saturday) is the 7th working day
     [*consult(D(2024, 11, 25), D(2024, 12, 26), 14),
      *review(D(2025, 1, 23), D(2025, 2, 8), "lawful", "西司法审〔2025〕1号"),
      decide(D(2025, 2, 21), "区政府第4次常务会议"), publish(D(2025, 2, 28), "区政府网站")]),

    ("西市区", "西重决〔2025〕1号", None, "西市区清河镇产业园区建设方案", "construction", True, D(2025, 1, 6), {},
     [*consult(D(2025, 1, 13), D(2025, 2, 14), 22), risk(D(2025, 2, 20), "medium"),
      *review(D(2025, 2, 24), D(2025, 3, 7), "lawful", "西司法审〔2025〕3号"),
      decide(D(2025, 3, 21), "区政府第7次常务会议"), publish(D(2025, 3, 28), "区政府网站、西市区人民政府公报〔2025〕第1期")]),
    ("西市区", "西重决〔2025〕3号", "区人力资源和社会保障局", "西市区人力资源市场体系建设规划", "planning", True,
     D(2025, 4, 7), {},
     [*consult(D(2025, 4, 14), D(2025, 5, 16), 19), experts(D(2025, 5, 22), "feasible"),
      *review(D(2025, 5, 26), D(2025, 6, 6), "unlawful", "西司法审〔2025〕6号",
              note="规划中收费项目的设定超出本级政府权限，应删除或报请有权机关。"),
      *review(D(2025, 6, 16), D(2025, 6, 27), "lawful", "西司法审〔2025〕8号"),
      decide(D(2025, 7, 11), "区政府第15次常务会议", "adopted_with_changes"), publish(D(2025, 7, 18), "区政府网站")]),
    ("西市区", "西重决〔2025〕4号", None, "西市区老旧供热管网改造项目实施方案", "construction", True, D(2025, 6, 9), {},
     [*consult(D(2025, 6, 16), D(2025, 7, 16), 37), risk(D(2025, 7, 28), "high"),
      ImportStep("terminate", D(2025, 8, 15), outcome="stopped",
                 note="风险评估为高风险，决策机关决定终止本方案，另行论证分期实施方案。")]),
    ("西市区", "西重决〔2025〕5号", "区营商局", "西市区涉企行政检查规范办法", "public_policy", False, D(2025, 10, 20), {},
     # still being assessed at the end of 2025
     [*consult(D(2025, 11, 3), D(2025, 12, 5), 11), experts(D(2025, 12, 15), "feasible_with_changes")]),
]


def demo_build(ctx) -> int:
    if Record.objects.filter(register=REGISTER).exists():
        return 0
    rows: dict[str, list[ImportRow]] = {"东洲区": [], "西市区": []}
    for district, number, sponsor, title, domain, in_catalogue, launched, extra, steps in DECISIONS:
        unit = ctx.unit(district, sponsor)
        payload = {"launched_on": launched, "title": title, "domain": domain, "in_catalogue": in_catalogue,
                   "executing_unit": unit.pk, **extra}
        if in_catalogue:
            payload["catalogue_year"] = launched.year
        rows[district].append(ImportRow(number, unit, launched, payload, steps=list(steps)))
    return sum(
        record_bulk_import(acting_user=ctx.users[user], register=REGISTER, rows=rows[district])
        for district, user in (("东洲区", "dz_admin"), ("西市区", "xs_admin"))
    )
