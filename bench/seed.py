"""Deterministic synthetic data for the benchmarks: an org tree built with core services, records in bulk.

The tree is a province → cities (10 districts each) → districts → one 司法局 (with 法律援助中心, 行政复议办公室,
交调委 and 公调室 offices) and 12 towns/streets per district. Records of the three shipped registers are
inserted in bulk (executemany on SQLite, COPY on PostgreSQL), never through `record_create`: generating them
is setup, not a measured path. Rollups are built afterwards by `rollups_rebuild()` (a measured path).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass, field

from django.db import connection, transaction

from fazhi.core.models import OrgUnit, OrgUnitKind
from fazhi.core.services import orgunit_create

FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)  # the data covers the five years 2021–2025
YEARS = list(range(FIRST_DAY.year, LAST_DAY.year + 1))
TOWNS_PER_DISTRICT = 12
DISTRICTS_PER_CITY = 10

# Share of each register in all records (人民调解 dominates, 行政复议 is rare).
REGISTER_SHARE = {"people_mediation": 0.78, "legal_aid": 0.18, "administrative_review": 0.04}


@dataclass
class District:
    unit: OrgUnit
    towns: list[int] = field(default_factory=list)  # people_mediation: village/town/personal/professional
    traffic: int = 0  # 交通事故纠纷人民调解委员会
    police: int = 0  # 派出所人民调解工作室
    legal_aid: int = 0  # 法律援助中心
    review: int = 0  # 行政复议办公室


@dataclass
class Tree:
    province: OrgUnit
    cities: list[OrgUnit]
    districts: list[District]


def tree_build(n_districts: int, seed: int = 1) -> Tree:
    """The org tree through `orgunit_create` (closure rows and audit events as in production)."""
    rng = random.Random(seed)
    with transaction.atomic():
        province = orgunit_create(acting_user=None, name="某省", kind=OrgUnitKind.PROVINCE, division_code="330000",
                                  population=0)
        cities, districts = [], []
        for i in range(n_districts):
            if i % DISTRICTS_PER_CITY == 0:
                c = len(cities) + 1
                cities.append(orgunit_create(acting_user=None, name=f"第{c}市", kind=OrgUnitKind.CITY,
                                             parent=province, division_code=f"33{c:02d}00"))
            city = cities[-1]
            d = i + 1
            unit = orgunit_create(acting_user=None, name=f"第{d}区", kind=OrgUnitKind.DISTRICT, parent=city,
                                  division_code=f"33{len(cities):02d}{d:02d}"[:6], population=rng.randint(200_000, 1_500_000))
            district = District(unit)
            bureau = orgunit_create(acting_user=None, name=f"第{d}区司法局", kind=OrgUnitKind.DEPARTMENT, parent=unit)
            district.legal_aid = orgunit_create(acting_user=None, name="法律援助中心", kind=OrgUnitKind.OFFICE,
                                                parent=bureau).pk
            district.review = orgunit_create(acting_user=None, name="行政复议办公室", kind=OrgUnitKind.OFFICE,
                                             parent=bureau).pk
            district.traffic = orgunit_create(acting_user=None, name="交通事故纠纷人民调解委员会",
                                              kind=OrgUnitKind.OFFICE, parent=bureau).pk
            district.police = orgunit_create(acting_user=None, name="派出所人民调解工作室", kind=OrgUnitKind.OFFICE,
                                             parent=bureau).pk
            for t in range(TOWNS_PER_DISTRICT):
                kind = OrgUnitKind.TOWN if t % 3 else OrgUnitKind.STREET
                town = orgunit_create(acting_user=None, name=f"第{d}区第{t + 1}{'镇' if t % 3 else '街道'}",
                                      kind=kind, parent=unit, population=rng.randint(15_000, 120_000))
                district.towns.append(town.pk)
            districts.append(district)
    return Tree(province, cities, districts)


def tree_load() -> Tree:
    """The tree of an already seeded database (built by `tree_build`)."""
    province = OrgUnit.objects.get(kind=OrgUnitKind.PROVINCE, name="某省")
    cities = list(OrgUnit.objects.filter(parent=province).order_by("pk"))
    districts = []
    for unit in OrgUnit.objects.filter(kind=OrgUnitKind.DISTRICT, parent__in=cities).order_by("pk"):
        district = District(unit)
        offices = {o.name: o.pk for o in OrgUnit.objects.filter(parent__parent=unit, kind=OrgUnitKind.OFFICE)}
        district.legal_aid, district.review = offices["法律援助中心"], offices["行政复议办公室"]
        district.traffic, district.police = offices["交通事故纠纷人民调解委员会"], offices["派出所人民调解工作室"]
        district.towns = list(OrgUnit.objects.filter(parent=unit).exclude(kind=OrgUnitKind.DEPARTMENT)
                              .order_by("pk").values_list("pk", flat=True))
        districts.append(district)
    return Tree(province, cities, districts)


# ---------------------------------------------------------------------------------------------- records

def _cum(weights: dict[str, float]) -> tuple[list[str], list[float]]:
    keys = list(weights)
    total, cum = 0.0, []
    for k in keys:
        total += weights[k]
        cum.append(total)
    return keys, cum


MEDIATION_ORG = _cum({"village": 0.55, "town": 0.20, "traffic": 0.08, "police": 0.08, "personal": 0.03,
                      "professional": 0.06})
DISPUTE = _cum({"marriage_family": 0.20, "neighbourhood": 0.25, "land_housing": 0.10, "contract": 0.08,
                "damages": 0.10, "labour": 0.06, "traffic": 0.08, "property_management": 0.05, "other": 0.08})
MEDIATION_OUTCOME = _cum({"success": 0.93, "failure": 0.05, "terminated": 0.02})
AID_TYPE = _cum({"criminal": 0.46, "civil": 0.46, "administrative": 0.05, "state_compensation": 0.03})
REVIEW_MATTER = _cum({"penalty": 0.35, "coercion": 0.05, "licence": 0.06, "information": 0.18, "inaction": 0.10,
                      "work_injury": 0.10, "expropriation": 0.08, "other": 0.08})
REVIEW_OUTCOME = _cum({"upheld": 0.50, "dismissed": 0.18, "revoked": 0.08, "changed": 0.02,
                       "confirmed_illegal": 0.05, "mediated": 0.12, "terminated": 0.05})
SPAN = (LAST_DAY - FIRST_DAY).days + 1
ORD0 = FIRST_DAY.toordinal()
DATES = [dt.date.fromordinal(ORD0 + i).isoformat() for i in range(SPAN + 400)]  # iso text by day offset


def _pick(rng: random.Random, table: tuple[list[str], list[float]], k: int) -> list[str]:
    return rng.choices(table[0], cum_weights=table[1], k=k)


def _days(rng: random.Random, k: int) -> list[int]:
    """Day offsets of opening dates, growing about 5 % a year, sorted (index-friendly inserts)."""
    out = []
    for _ in range(k):
        x = rng.random()
        out.append(int(SPAN * (x + 0.05 * x * (1 - x))) % SPAN)  # a mild upward trend
    out.sort()
    return out


def _close_after(rng: random.Random, opened: int, lo: int, hi: int) -> int | None:
    """Closing day offset, or None while the case is still open at the end of the data."""
    if rng.random() < 0.01:
        return None  # a few long-running cases
    closed = opened + rng.randint(lo, hi)
    return closed if closed < SPAN else None


# A row: register, definition_version, org_unit_id, external_id, status, outcome, category, opened_on,
# closed_on, amount, payload (JSON text).
Row = tuple


def _mediation(rng: random.Random, district: District, n: int, counter: list[int]) -> list[Row]:
    orgs, disputes = _pick(rng, MEDIATION_ORG, n), _pick(rng, DISPUTE, n)
    rows = []
    for day, org, dispute in zip(_days(rng, n), orgs, disputes, strict=True):
        counter[0] += 1
        unit = (district.traffic if org == "traffic" else district.police if org == "police"
                else district.towns[counter[0] % len(district.towns)])
        closed = _close_after(rng, day, 0, 45)
        amount = None
        if closed is None:
            status, outcome = ("mediating" if rng.random() < 0.7 else "registered"), ""
            extra = ""
        else:
            status, outcome = "concluded", _pick(rng, MEDIATION_OUTCOME, 1)[0]
            extra = f', "mediator_name": "调解员{counter[0] % 97}"'
            if outcome == "success":
                extra += f', "agreement_form": "{"written" if rng.random() < 0.6 else "oral"}"'
                if rng.random() < 0.5:
                    amount = (50, 100, 200, 300)[counter[0] % 4]
                    extra += f', "subsidy": "{amount}.00"'
        payload = (f'{{"organization_type": "{org}", "dispute_type": "{dispute}", '
                   f'"summary": "纠纷{counter[0]}简要情况"{extra}}}')
        rows.append(("people_mediation", 1, unit, f"PM{counter[0]:09d}", status, outcome, org, DATES[day],
                     None if closed is None else DATES[closed], amount, payload))
    return rows


def _legal_aid(rng: random.Random, district: District, n: int, counter: list[int]) -> list[Row]:
    types = _pick(rng, AID_TYPE, n)
    rows = []
    for day, case_type in zip(_days(rng, n), types, strict=True):
        counter[0] += 1
        # 值班律师法律帮助 (mostly 认罪认罚 criminal cases) is about a quarter of the register
        duty = case_type == "criminal" and rng.random() < 0.55
        notice = duty or (case_type == "criminal" and rng.random() < 0.7)
        extra = f', "service_type": "{"duty_lawyer" if duty else "aid_case"}"'
        if case_type == "criminal" and rng.random() < (0.9 if duty else 0.2):
            extra += ', "plea_leniency": true'
        if case_type == "civil" and rng.random() < 0.2:
            extra += ', "wage_claim": true'
        amount = None
        if duty:
            closed = _close_after(rng, day, 0, 10)
            status, outcome = ("concluded", "completed") if closed is not None else ("assigned", "")
        elif not notice and rng.random() < 0.05:
            closed = day + rng.randint(1, 7)
            closed = closed if closed < SPAN else None
            status, outcome = ("refused", "") if closed is not None else ("applied", "")
            if closed is not None:
                extra += ', "refusal_reason": "不符合经济困难标准"'
        else:
            closed = _close_after(rng, day, 20, 240)
            if closed is None:
                status, outcome = rng.choice(("applied", "granted", "assigned", "assigned")), ""
            else:
                status, outcome = "concluded", ("completed" if rng.random() < 0.95 else "terminated")
                if case_type == "civil" and rng.random() < 0.3:
                    amount = rng.randint(100_000, 20_000_000) / 100
                    extra += f', "recovered_amount": "{amount:.2f}"'
            if status in ("assigned", "concluded"):
                extra += f', "lawyer": "律师{counter[0] % 211}", "law_firm": "律师事务所{counter[0] % 17}"'
        source = "notice" if notice else "application"
        payload = (f'{{"applied_on": "{DATES[day]}", "applicant": {counter[0]}, "case_type": "{case_type}", '
                   f'"source": "{source}"{extra}}}')
        rows.append(("legal_aid", 1, district.legal_aid, f"LA{counter[0]:09d}", status, outcome, case_type,
                     DATES[day], None if closed is None else DATES[closed], amount, payload))
    return rows


def _review(rng: random.Random, district: District, n: int, counter: list[int]) -> list[Row]:
    matters = _pick(rng, REVIEW_MATTER, n)
    rows = []
    for day, matter in zip(_days(rng, n), matters, strict=True):
        counter[0] += 1
        extra = ', "co_resolved": %s' % ("true" if rng.random() < 0.2 else "false") if rng.random() < 0.8 else ""
        if rng.random() < 0.1:
            closed = day + rng.randint(1, 7)
            closed = closed if closed < SPAN else None
            status, outcome = ("rejected", "") if closed is not None else ("applied", "")
            if closed is not None:
                extra += ', "rejection_reason": "超过申请期限"'
        else:
            closed = _close_after(rng, day, 30, 90)
            if closed is None:
                status, outcome = rng.choice(("applied", "accepted", "hearing", "hearing")), ""
            else:
                status, outcome = "decided", _pick(rng, REVIEW_OUTCOME, 1)[0]
                extra += f', "decision_number": "复决字〔{2021 + closed // 366}〕{counter[0] % 999}号"'
        payload = (f'{{"received_on": "{DATES[day]}", "applicant": {counter[0]}, "respondent": "某区某局", '
                   f'"matter": "{matter}"{extra}}}')
        rows.append(("administrative_review", 1, district.review, f"AR{counter[0]:09d}", status, outcome, matter,
                     DATES[day], None if closed is None else DATES[closed], None, payload))
    return rows


def records_generate(tree: Tree, n_records: int, seed: int = 1):
    """Yield chunks of rows, district by district and register by register (deterministic for a seed)."""
    rng = random.Random(seed * 7919 + n_records)
    per_district = n_records // len(tree.districts)
    counters = {code: [0] for code in REGISTER_SHARE}
    makers = {"people_mediation": _mediation, "legal_aid": _legal_aid, "administrative_review": _review}
    for i, district in enumerate(tree.districts):
        total = per_district + (n_records - per_district * len(tree.districts) if i == 0 else 0)
        shares = {code: int(total * share) for code, share in REGISTER_SHARE.items()}
        shares["people_mediation"] += total - sum(shares.values())
        for code, n in shares.items():
            done = 0
            while done < n:
                k = min(50_000, n - done)
                yield makers[code](rng, district, k, counters[code])
                done += k


COLUMNS = ("register", "definition_version", "org_unit_id", "external_id", "status", "outcome", "category",
           "opened_on", "closed_on", "amount", "payload", "created_at", "updated_at", "version")


def records_insert(tree: Tree, n_records: int, seed: int = 1) -> int:
    """Insert the records in bulk; returns the number inserted."""
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    inserted = 0
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        stamp = now.isoformat()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor
            with raw.copy(f"COPY registers_record ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for chunk in records_generate(tree, n_records, seed):
                    buf = io.StringIO()
                    for r in chunk:
                        buf.write(f"{r[0]}\t1\t{r[2]}\t{r[3]}\t{r[4]}\t{r[5]}\t{r[6]}\t{r[7]}\t"
                                  f"{r[8] or chr(92) + 'N'}\t{chr(92) + 'N' if r[9] is None else r[9]}\t"
                                  f"{r[10]}\t{stamp}\t{stamp}\t0\n")
                    copy.write(buf.getvalue())
                    inserted += len(chunk)
    else:
        stamp = now.strftime("%Y-%m-%d %H:%M:%S")
        sql = (f"INSERT INTO registers_record ({', '.join(COLUMNS)}) "
               f"VALUES ({', '.join(['?'] * len(COLUMNS))})")
        raw = connection.connection
        for chunk in records_generate(tree, n_records, seed):
            raw.execute("BEGIN")
            raw.executemany(sql, [(*r, stamp, stamp, 0) for r in chunk])
            raw.execute("COMMIT")
            inserted += len(chunk)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE registers_record")
    return inserted
