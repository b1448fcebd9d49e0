"""The data-set lines' demo builders: idempotent, and each district adds up to its seed report's figures."""

import datetime as dt
import importlib
import io
import json
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core.demo import DemoContext, demo_orgs_build, demo_users_build
from fazhi.datasets.models import DataValue
from fazhi.datasets.selectors import DataValueQuery, datavalue_totals

LINES = ("legal_publicity", "law_study", "rule_of_law_meetings", "accountability_reporting")


@pytest.fixture
def demo(db):
    ctx = DemoContext(rng=random.Random(2024))
    demo_orgs_build(ctx)
    demo_users_build(ctx)
    for line in LINES:
        assert importlib.import_module(f"fazhi.lines.{line}.demo").demo_build(ctx) > 0
    return ctx


def _totals(ctx, district, year, queries):
    root = ctx.unit(district).pk
    result = datavalue_totals(queries=[DataValueQuery(*q) for q in queries], roots=[root],
                              start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    return [result[(root, i)] for i in range(len(queries))]


def test_demo_is_idempotent(demo):
    count = DataValue.objects.count()
    for line in LINES:
        assert importlib.import_module(f"fazhi.lines.{line}.demo").demo_build(demo) == 0
    assert DataValue.objects.count() == count


def test_dongzhou_2024_adds_up_to_its_report(demo):
    lp = "legal_publicity"
    venues = [(lp, "events", {"venue": v}) for v in ("community", "village", "enterprise", "school", "agency", "online")]
    got = _totals(demo, "东洲区", 2024, [
        (lp, "events"), *venues, (lp, "materials"), (lp, "people_reached"), (lp, "consultations"),
        (lp, "new_media_posts"), (lp, "new_media_reads"),
        ("rule_of_law_meetings", "committee_office_meetings"), ("rule_of_law_meetings", "reports_heard"),
        ("accountability_reporting", "leaders"), ("accountability_reporting", "leaders", {"form": "on_site"}),
        ("law_study", "center_group_sessions"), ("law_study", "training_participants"),
    ])
    assert got == [185, 64, 52, 13, 6, 12, 38, 11000, 12000, 230, 2153, 1050000, 6, 2, 55, 6, 12, 360]


def test_xishi_2025_adds_up_to_its_report(demo):
    got = _totals(demo, "西市区", 2025, [
        ("legal_publicity", "events"), ("legal_publicity", "materials"), ("legal_publicity", "people_reached"),
        ("legal_publicity", "new_media_posts"), ("law_study", "training_sessions"),
    ])
    assert got == [21, 5000, 2000, 51, 6]  # the training sessions only as a breakdown: the total comes from it


def test_completeness_command(demo):
    out = io.StringIO()
    call_command("datasets", "completeness", "--dataset", "legal_publicity", "--period", "2024", "--unit", "东洲区",
                 "--format", "json", "--as-of", "2025-04-01", stdout=out)
    result = json.loads(out.getvalue())
    rows = {row["unit"]: row for row in result["units"]}
    assert result["expected"] == 13 and result["submitted"] == 6 and result["approved"] == 5
    assert rows["章党镇"]["timeliness"] == "late"
    assert rows["哈达镇"]["timeliness"] == "on_time"
    assert rows["搭连街道"]["timeliness"] == "missing" and rows["搭连街道"]["filled_percent"] == 100
    assert rows["区妇联"]["status"] == "none"
    assert result["completion_rate"] == "46.15" and result["timeliness_rate"] == "38.46"
    table = io.StringIO()
    call_command("datasets", "completeness", "--dataset", "legal_publicity", "--period", "2024", "--unit", "东洲区",
                 stdout=table)
    assert "完成率 46.15%" in table.getvalue()


def test_completeness_command_refuses_bad_input(demo):
    with pytest.raises(CommandError, match="不止一个"):
        call_command("datasets", "completeness", "--dataset", "legal_publicity", "--period", "2024",
                     "--unit", "区司法局", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("datasets", "completeness", "--dataset", "legal_publicity", "--period", "2024Q1",
                     "--unit", "东洲区", stdout=io.StringIO())
