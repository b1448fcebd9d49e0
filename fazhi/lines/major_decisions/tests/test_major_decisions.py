"""重大行政决策: the minimum periods (公开征求意见不少于30日, 合法性审查不少于7个工作日), the steps that fill in
公众参与 and the 审查意见, bulk import, the definition validator, personas' access and the demo."""

import datetime as dt
from pathlib import Path

import pytest

from fazhi.core import access
from fazhi.core.models import OrgUnit, OrgUnitKind
from fazhi.core.periods import period_parse
from fazhi.indicators.registry import indicator_registry
from fazhi.indicators.rules import RuleOutcome, rules_check
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.models import ClockState, Record, RecordClock
from fazhi.registers.registry import definition_parse
from fazhi.registers.selectors import clocks_overdue, overdue_by_unit, record_clocks, record_replay
from fazhi.registers.services import (
    ImportRow,
    ImportStep,
    RecordImportError,
    record_bulk_import,
    record_create,
    record_extend_deadline,
    record_state,
    record_transition,
)
from tests.lines.support import (
    LINES_DIR,
    check_indicator_values,
    check_personas_access,
    demo_build_alone,
    line_officer,
)

REGISTER = "major_decisions"
D = dt.date
LAUNCHED = D(2024, 1, 2)


@pytest.fixture
def office(personas):
    """依法治区办/司法局 staff over the whole district: drafts, reviews and records the meeting."""
    return line_officer(personas)


def _payload(**extra):
    return {"launched_on": LAUNCHED, "title": "东洲区城市更新实施方案", "domain": "construction", **extra}


def _decision(user, unit, number="T-1", **extra):
    return record_create(acting_user=user, register=REGISTER, org_unit=unit, external_id=number,
                         payload=_payload(**extra), opened_on=LAUNCHED)


def _go(user, record, transition, on, **kw):
    return record_transition(acting_user=user, record=record, transition=transition, on_date=on, **kw)


def _in_review(user, unit, submitted: dt.date, number="T-1"):
    record = _go(user, _decision(user, unit, number), "skip_consultation", LAUNCHED, note="依法不予公开")
    return _go(user, record, "submit_review", submitted)


def _states(record, today):
    return {c.code: c for c in record_clocks(record, today=today)}


# 公开征求意见：不少于30日 (第十五条) -------------------------------------------------------------------


def test_consultation_closes_on_day_30_not_day_29(personas, office):
    """Published 2024-03-04: the publication day is not counted (民法典 第二百零一条), so day 1 is 03-05
    and day 30 is 04-03 — the first day 征求意见期满 is allowed; 04-02 (day 29) is refused."""
    record = _go(office, _decision(office, personas.justice_bureau), "open_consultation", D(2024, 3, 6),
                 fields={"consultation_started_on": D(2024, 3, 4)})  # recorded two days after publication
    clock = RecordClock.objects.get(record=record, code="public_comment")
    assert (clock.kind, clock.started_on, clock.due_on) == ("minimum", D(2024, 3, 4), D(2024, 4, 3))

    with pytest.raises(RecordError) as err:
        _go(office, record, "close_consultation", D(2024, 4, 2), fields={"public_comments": 12})
    assert err.value.code == RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED
    assert "2024-04-03" in err.value.message  # the first day the step is allowed
    assert "第十五条" in err.value.message  # and the article of 重大行政决策程序暂行条例 that sets the period
    record.refresh_from_db()
    assert record.status == "consultation" and record_replay(record) == record_state(record)

    view = _states(record, D(2024, 3, 20))["public_comment"]
    assert view.state == ClockState.WAITING and view.is_minimum
    assert view.state_name == "等待期未满，2024-04-03起可征求意见期满"
    assert _states(record, D(2024, 4, 3))["public_comment"].state == ClockState.SATISFIED

    record = _go(office, record, "close_consultation", D(2024, 4, 3), fields={"public_comments": 12})
    assert (record.status, record.payload["consultation"], record.amount) == ("assessment", "full", 12)
    assert _states(record, D(2024, 6, 1))["public_comment"].state == ClockState.SATISFIED


def test_consultation_whose_last_day_is_a_holiday_ends_on_the_next_working_day(personas, office):
    """Published 2024-01-15: day 30 is 02-14, in the Spring Festival; the period ends on the next working
    day (民法典 第二百零三条), 02-18, a 调休 Sunday."""
    record = _go(office, _decision(office, personas.justice_bureau), "open_consultation", D(2024, 1, 15),
                 fields={"consultation_started_on": D(2024, 1, 15)})
    with pytest.raises(RecordError) as err:
        _go(office, record, "close_consultation", D(2024, 2, 17), fields={"public_comments": 3})
    assert err.value.code == RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED
    record = _go(office, record, "close_consultation", D(2024, 2, 18), fields={"public_comments": 3})
    assert record.status == "assessment"


def test_shortened_consultation_needs_its_stated_reason(personas, office):
    record = _go(office, _decision(office, personas.justice_bureau), "open_consultation", D(2024, 3, 4),
                 fields={"consultation_started_on": D(2024, 3, 4)})
    with pytest.raises(RecordError) as err:
        _go(office, record, "close_consultation_shortened", D(2024, 3, 19), fields={"public_comments": 5})
    assert err.value.code == RecordErrorCode.NOTE_REQUIRED
    # The step fills in 公开征求意见情况 itself: it cannot be entered as a full 30-day consultation.
    with pytest.raises(RecordError) as err:
        _go(office, record, "close_consultation_shortened", D(2024, 3, 19), note="情况紧急，公告已说明缩短为15日",
            fields={"public_comments": 5, "consultation": "full"})
    assert (err.value.code, err.value.field) == (RecordErrorCode.FIELD_INVALID, "consultation")
    record = _go(office, record, "close_consultation_shortened", D(2024, 3, 19), note="情况紧急，公告已说明缩短为15日",
                 fields={"public_comments": 5})
    assert (record.status, record.payload["consultation"]) == ("assessment", "shortened")
    view = _states(record, D(2024, 6, 1))["public_comment"]
    assert (view.state, view.stopped_on) == (ClockState.ENDED_EARLY, D(2024, 3, 19))


# 合法性审查：不少于7个工作日 (第二十六条) ------------------------------------------------------------------


@pytest.mark.parametrize(("submitted", "day6", "day7"), [
    # 国庆 2024: 9-29 (调休 Sunday) and 9-30 are working days 1–2, 10-1..7 off, 10-8..11 days 3–6,
    # 10-12 (调休 Saturday) day 7.
    (D(2024, 9, 27), D(2024, 10, 11), D(2024, 10, 12)),
    # 春节 2025: 1-24, 1-26 (调休 Sunday), 1-27 are days 1–3, 1-28..2-4 off, 2-5..7 days 4–6,
    # 2-8 (调休 Saturday) day 7.
    (D(2025, 1, 23), D(2025, 2, 7), D(2025, 2, 8)),
])
def test_review_opinion_waits_seven_working_days_across_holidays(personas, office, submitted, day6, day7):
    record = _in_review(office, personas.justice_bureau, submitted)
    clock = RecordClock.objects.get(record=record, code="legality_review")
    assert (clock.kind, clock.started_on, clock.due_on) == ("minimum", submitted, day7)
    for transition in ("review_lawful", "review_lawful_after_revision", "review_unlawful"):
        with pytest.raises(RecordError) as err:
            _go(office, record, transition, day6, fields={"review_document": "东司法审〔2024〕1号"}, note="理由")
        assert err.value.code == RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED
        assert day7.isoformat() in err.value.message
    record = _go(office, record, "review_lawful", day7, fields={"review_document": "东司法审〔2024〕1号"})
    assert (record.status, record.payload["review_opinion"]) == ("discussion", "lawful")
    assert _states(record, day7)["legality_review"].state == ClockState.SATISFIED


def test_returning_materials_is_not_blocked_and_resubmission_restarts_the_period(personas, office):
    record = _in_review(office, personas.justice_bureau, D(2024, 4, 8))
    record = _go(office, record, "return_materials", D(2024, 4, 9), note="缺少履行法定程序的说明")
    assert _states(record, D(2024, 4, 9))["legality_review"].state == ClockState.ENDED_EARLY
    record = _go(office, record, "submit_review", D(2024, 4, 15))
    assert RecordClock.objects.get(record=record, code="legality_review").due_on == D(2024, 4, 24)
    with pytest.raises(RecordError):
        _go(office, record, "review_unlawful", D(2024, 4, 23), fields={"review_document": "东司法审〔2024〕2号"},
            note="超越职权")
    record = _go(office, record, "review_unlawful", D(2024, 4, 24), fields={"review_document": "东司法审〔2024〕2号"},
                 note="超越职权")
    assert (record.status, record.payload["review_opinion"]) == ("assessment", "unlawful")
    # Revised and submitted again: a fresh 7 working days (5-11 is a 调休 Saturday, so day 7 is 5-14),
    # and the new opinion replaces the old one.
    record = _go(office, record, "submit_review", D(2024, 5, 6))
    assert RecordClock.objects.get(record=record, code="legality_review").due_on == D(2024, 5, 14)
    record = _go(office, record, "review_lawful_after_revision", D(2024, 5, 14),
                 fields={"review_document": "东司法审〔2024〕3号"})
    assert record.payload["review_opinion"] == "lawful_after_revision"
    record = _go(office, record, "decide", D(2024, 5, 24), fields={"meeting": "executive"}, outcome="adopted")
    record = _go(office, record, "publish", D(2024, 5, 31), fields={"publication": "区政府网站"})
    assert (record.status, record.outcome, record.closed_on) == ("published", "adopted", D(2024, 5, 31))
    assert record_replay(record) == record_state(record)


def test_minimum_clocks_are_never_overdue_and_cannot_be_extended(personas, office):
    record = _in_review(office, personas.justice_bureau, D(2024, 4, 8))
    today = D(2024, 12, 31)  # long past the 7 working days, the opinion still not given
    assert _states(record, today)["legality_review"].state == ClockState.SATISFIED
    assert not clocks_overdue(personas.district_admin, today=today).filter(record=record).exists()
    rows = overdue_by_unit(personas.district_admin, root=personas.district, today=today)
    assert sum(r["overdue"] + r["due_soon"] for r in rows) == 0
    with pytest.raises(RecordError) as err:
        record_extend_deadline(acting_user=office, record=record, clock="legality_review", length=3, reason="复杂",
                               approver=personas.district_admin, on_date=D(2024, 4, 9))
    assert err.value.code == RecordErrorCode.EXTENSION_NOT_ALLOWED


# Bulk import applies the same minimum periods ---------------------------------------------------------


def test_bulk_import_refuses_steps_before_the_minimum_periods(personas, office):
    unit = personas.justice_bureau
    open_ = ImportStep("open_consultation", D(2024, 3, 4), fields={"consultation_started_on": D(2024, 3, 4)})

    def row(number, *steps):
        return ImportRow(number, unit, LAUNCHED, _payload(), steps=[*steps])

    good = row("B-1", open_, ImportStep("close_consultation", D(2024, 4, 3), fields={"public_comments": 1}),
               ImportStep("submit_review", D(2024, 9, 27)),
               ImportStep("review_lawful", D(2024, 10, 12), fields={"review_document": "审1"}))
    early_close = row("B-2", open_, ImportStep("close_consultation", D(2024, 4, 2), fields={"public_comments": 1}))
    early_opinion = row("B-3", ImportStep("skip_consultation", D(2024, 3, 1), note="依法不予公开"),
                        ImportStep("submit_review", D(2024, 9, 27)),
                        ImportStep("review_lawful", D(2024, 10, 11), fields={"review_document": "审2"}))
    with pytest.raises(RecordImportError) as err:
        record_bulk_import(acting_user=office, register=REGISTER, rows=[good, early_close, early_opinion])
    assert [(r.index, r.code) for r in err.value.rejected] == [
        (1, RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED), (2, RecordErrorCode.MINIMUM_PERIOD_NOT_ELAPSED)]
    assert "2024-04-03起" in err.value.rejected[0].message and "2024-10-12起" in err.value.rejected[1].message
    assert not Record.objects.filter(register=REGISTER).exists()

    assert record_bulk_import(acting_user=office, register=REGISTER, rows=[good]) == 1
    record = Record.objects.get(register=REGISTER, external_id="B-1")
    assert (record.status, record.payload["consultation"], record.payload["review_opinion"]) == (
        "discussion", "full", "lawful")
    clocks = {c.code: c for c in RecordClock.objects.filter(record=record)}
    assert {c.kind for c in clocks.values()} == {"minimum"}
    assert (clocks["public_comment"].due_on, clocks["public_comment"].stopped_on) == (D(2024, 4, 3), D(2024, 4, 3))
    assert (clocks["legality_review"].due_on, clocks["legality_review"].stopped_on) == (
        D(2024, 10, 12), D(2024, 10, 12))
    assert record_replay(record) == record_state(record)


# The definition validator ------------------------------------------------------------------------------


def test_a_minimum_clock_blocking_a_missing_transition_is_an_error_with_its_position(tmp_path):
    text = (LINES_DIR / REGISTER / "register.yaml").read_text(encoding="utf-8")
    broken = text.replace("blocks: [close_consultation]", "blocks: [close_consulation]")
    assert broken != text
    path = tmp_path / REGISTER / "register.yaml"
    path.parent.mkdir()
    path.write_text(broken, encoding="utf-8")
    loaded, errors = definition_parse(path)
    assert loaded is None and len(errors) == 1
    line = next(i for i, row in enumerate(broken.splitlines(), start=1) if "close_consulation" in row)
    column = broken.splitlines()[line - 1].index("close_consulation") + 1
    assert (errors[0].path, errors[0].line, errors[0].column) == (path, line, column)
    assert "close_consulation" in errors[0].message and "不存在" in errors[0].message
    assert str(errors[0]).startswith(f"{path}:{line}:")


# Roles and personas --------------------------------------------------------------------------------------


def test_personas_access(personas, office):
    check_personas_access(personas, REGISTER, user=office, unit=personas.justice_bureau)


def test_sponsor_liaison_drafts_but_only_the_office_reviews_and_decides(personas, office):
    record = _decision(personas.town_clerk, personas.town)  # 哈达镇 sponsors its own decision
    record = _go(personas.town_clerk, record, "skip_consultation", LAUNCHED, note="依法不予公开")
    record = _go(personas.town_clerk, record, "submit_review", D(2024, 3, 4))
    with pytest.raises(access.AccessDenied):
        _go(personas.town_clerk, record, "review_lawful", D(2024, 3, 13), fields={"review_document": "审"})
    record = _go(office, record, "review_lawful", D(2024, 3, 13), fields={"review_document": "审"})
    for transition, kw in (("decide", {"fields": {"meeting": "executive"}, "outcome": "adopted"}),
                           ("terminate", {"note": "终止", "outcome": "stopped"})):
        with pytest.raises(access.AccessDenied):
            _go(personas.town_clerk, record, transition, D(2024, 3, 20), **kw)
    record = _go(personas.town_clerk, record, "withdraw", D(2024, 3, 20), note="情况变化，承办单位撤回")
    assert record.status == "withdrawn"


# The demo --------------------------------------------------------------------------------------------------

EXPECTED = {
    ("东洲区", "2023"): {"decisions_launched": 5, "decisions_made": 4, "decisions_reviewed": 4,
                        "decisions_review_rate": 100, "decisions_revised_after_review": 1,
                        "decisions_consulted": 4, "decisions_full_period": 3, "decisions_full_period_rate": 75,
                        "decisions_public_comments": 221, "decisions_dropped": 1, "decisions_pending_at_end": 0},
    ("东洲区", "2024"): {"decisions_launched": 6, "decisions_made": 4, "decisions_published": 3,
                        "decisions_reviewed": 4, "decisions_consulted": 3, "decisions_consultation_rate": 75,
                        "decisions_full_period_rate": 100, "decisions_public_comments": 84, "decisions_dropped": 1,
                        "decisions_pending_at_end": 1},
    ("西市区", "2024"): {"decisions_launched": 5, "decisions_made": 4, "decisions_full_period_rate": 75,
                        "decisions_public_comments": 140, "decisions_pending_at_end": 1},
    ("西市区", "2025"): {"decisions_launched": 4, "decisions_made": 3, "decisions_reviewed": 3,
                        "decisions_revised_after_review": 0, "decisions_consultation_rate": 100,
                        "decisions_public_comments": 55, "decisions_dropped": 1, "decisions_pending_at_end": 1},
}


def test_demo_is_idempotent_replays_and_gives_the_expected_figures(db):
    from fazhi.lines.major_decisions.demo import demo_build

    ctx, created = demo_build_alone(REGISTER)
    assert created == 20
    assert demo_build(ctx) == 0
    for record in Record.objects.filter(register=REGISTER):
        assert record_replay(record) == record_state(record)
    check_indicator_values(EXPECTED)
    own_rules = [code for code, rule in indicator_registry().rules.items() if Path(rule.path).parent.name == REGISTER]
    assert len(own_rules) == 2
    for district, period_code in EXPECTED:
        unit = OrgUnit.objects.get(name=district, kind=OrgUnitKind.DISTRICT)
        results = rules_check(units=[unit], period=period_parse(period_code), codes=own_rules)
        assert results and [r.message for r in results if r.outcome != RuleOutcome.PASSED] == []
