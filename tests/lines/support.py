"""Shared checks for the business lines' tests: definitions, the full transition matrix, personas'
access and the seed figures reproduced by each line's demo."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model

from fazhi.core import access
from fazhi.core.demo import DemoContext, demo_orgs_build, demo_users_build
from fazhi.core.models import OrgUnit, OrgUnitKind, Role
from fazhi.core.periods import period_parse
from fazhi.core.services import membership_grant
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.registry import indicator_registry
from fazhi.indicators.rules import RuleOutcome, rules_check
from fazhi.registers.models import Record
from fazhi.registers.registry import register_definition
from fazhi.registers.selectors import record_get, record_replay, records_visible
from fazhi.registers.services import record_create, record_state, record_transition
from tests.registers.driving import create_sample, drive_to, step_date, transition_inputs

LINES_DIR = Path(__file__).resolve().parents[2] / "fazhi" / "lines"
DAY = dt.date(2024, 3, 4)


# Names for roles a test asks for; the lines' own roles.yaml files ship procurator and court_staff now.
NEW_ROLES = {"procurator": "公益诉讼检察官", "court_staff": "法院诉前调解工作人员"}


def line_officer(personas, role: str = "office_staff", unit: str = "district"):
    """A user holding `role` over a persona unit (the personas have no office_staff, procurator …)."""
    user = get_user_model().objects.create_user(username=f"{role}_{unit}", password="pw", is_staff=True)
    role_row, _ = Role.objects.get_or_create(code=role, defaults={"name": NEW_ROLES.get(role, role)})
    membership_grant(acting_user=None, user=user, role=role_row, org_unit=getattr(personas, unit))
    return user


def check_personas_access(personas, register: str, *, user, unit, payload=None) -> None:
    """The leader reads but cannot write; the outsider from 西市区 sees nothing; a town's liaison
    cannot touch another town's records."""
    definition = register_definition(register)
    record = create_sample(definition, user=user, unit=unit, opened_on=DAY, payload=payload)
    first = next(t for t in definition.transitions if definition.initial_status.code in t.from_)
    inputs = transition_inputs(definition, first, unit=unit, on_date=DAY)
    # Leader: sees the record, may neither create nor transition.
    assert record_get(personas.leader, pk=record.pk) == record
    with pytest.raises(access.AccessDenied):
        create_sample(definition, user=personas.leader, unit=unit, opened_on=DAY, payload=payload)
    with pytest.raises(access.AccessDenied):
        record_transition(acting_user=personas.leader, record=record, transition=first.code, on_date=DAY, **inputs)
    # Outsider (西市区's administrator): nothing of 东洲区 is visible, nothing can be written.
    assert not records_visible(personas.outsider, register=register).exists()
    with pytest.raises(Record.DoesNotExist):
        record_get(personas.outsider, pk=record.pk)
    with pytest.raises(access.AccessDenied):
        record_transition(acting_user=personas.outsider, record=record, transition=first.code, on_date=DAY, **inputs)
    # 哈达镇's liaison: cannot see or touch a 新屯街道 record, whatever the transition and status; may take
    # the transitions open to liaisons (clerk) on 哈达镇's own records.
    street_record = create_sample(definition, user=user, unit=personas.street, opened_on=DAY, payload=payload)
    assert not records_visible(personas.town_clerk, register=register).filter(pk=street_record.pk).exists()
    with pytest.raises(access.AccessDenied):
        record_create(acting_user=personas.town_clerk, register=register, org_unit=personas.street,
                      external_id="CLERK-OTHER-TOWN", payload=record.payload, opened_on=DAY)
    for t in definition.transitions:
        other = create_sample(definition, user=user, unit=personas.street, opened_on=DAY, payload=payload)
        other = drive_to(definition, other, t.from_[0], user=user, on_date=DAY)
        with pytest.raises(access.AccessDenied):
            record_transition(acting_user=personas.town_clerk, record=other, transition=t.code, on_date=DAY,
                              **transition_inputs(definition, t, unit=personas.street, on_date=DAY))
        other.refresh_from_db()
        assert other.status == t.from_[0], t.code
        if "clerk" in t.roles:
            own = create_sample(definition, user=user, unit=personas.town, opened_on=DAY, payload=payload)
            own = drive_to(definition, own, t.from_[0], user=user, on_date=DAY)
            day = step_date(definition, own, t, DAY)  # after any waiting period (最短期间) blocking t
            own = record_transition(acting_user=personas.town_clerk, record=own, transition=t.code, on_date=day,
                                    **transition_inputs(definition, t, unit=personas.town, on_date=day))
            assert own.status == t.to


def seed_figures(line: str) -> list[dict]:
    return yaml.safe_load((LINES_DIR / line / "seed_figures.yaml").read_text(encoding="utf-8"))


def demo_context() -> DemoContext:
    """The demo's org trees and users, with the random stream `fazhi demo` starts from."""
    ctx = DemoContext(rng=random.Random(2024))
    demo_orgs_build(ctx)
    demo_users_build(ctx)
    return ctx


def demo_build_alone(line: str) -> tuple[DemoContext, int]:
    """Build one line's demo on a fresh demo context; the shared random stream must be left as it was
    (the line draws from its own, DemoContext.line_rng), so other lines' demo data do not change."""
    ctx = demo_context()
    state = ctx.rng.getstate()
    created = importlib.import_module(f"fazhi.lines.{line}.demo").demo_build(ctx)
    assert ctx.rng.getstate() == state
    return ctx, created


def check_indicator_values(expected: dict[tuple[str, str], dict]) -> None:
    """expected: (district name, period code) → {indicator code: value}; every value must be the engine's."""
    failures = []
    for (district, period_code), values in expected.items():
        unit = OrgUnit.objects.get(name=district, kind=OrgUnitKind.DISTRICT)
        period = period_parse(period_code)
        computed = indicators_compute(units=[unit], periods=[period], codes=list(values))
        for code, want in values.items():
            got = computed[(unit.pk, period.code, code)].value
            if got != Decimal(str(want)):
                failures.append(f"{district} {period_code} {code} = {got}, expected {want}")
    assert failures == []


def line_registers(line: str) -> list[str]:
    """The codes of the registers a line folder defines (register*.yaml)."""
    return sorted(yaml.safe_load(path.read_text(encoding="utf-8"))["code"]
                  for path in (LINES_DIR / line).glob("register*.yaml"))


def check_line_demo(line: str) -> None:
    """A line's contract, on its own demo: it builds, a second run adds nothing, records replay to their
    state, every seed figure it lists is the engine's value, and its own rules hold."""
    ctx = demo_context()
    module = importlib.import_module(f"fazhi.lines.{line}.demo")
    assert module.demo_build(ctx) > 0
    assert module.demo_build(ctx) == 0  # idempotent
    for register in line_registers(line):
        for record in Record.objects.filter(register=register).order_by("?")[:10]:
            assert record_replay(record) == record_state(record)
    rows = seed_figures(line) if (LINES_DIR / line / "seed_figures.yaml").exists() else []
    failures = []
    for row in rows:
        unit = OrgUnit.objects.get(name=row["unit"], kind=OrgUnitKind.DISTRICT)
        period = period_parse(row["period"])
        values = indicators_compute(units=[unit], periods=[period], codes=[row["indicator"]])
        got = values[(unit.pk, period.code, row["indicator"])].value
        if got != Decimal(str(row["value"])):
            failures.append(f"{row['seed']} {row['text']}: {row['indicator']} = {got}, expected {row['value']}")
    assert failures == []
    # The line's own validation rules hold on its demo data, for every seed unit and period.
    reg = indicator_registry()
    own_rules = [code for code, rule in reg.rules.items() if Path(rule.path).parent.name == line]
    for unit_name, period_code in {(r["unit"], r["period"]) for r in rows} if own_rules else ():
        unit = OrgUnit.objects.get(name=unit_name, kind=OrgUnitKind.DISTRICT)
        results = rules_check(units=[unit], period=period_parse(period_code), codes=own_rules)
        assert [r.code for r in results if r.outcome == RuleOutcome.VIOLATED] == [], (unit_name, period_code)
