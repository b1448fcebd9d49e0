"""Reads: completeness and timeliness per reporting unit, and the indicator engine's grouped totals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.core.access import AccessDenied
from fazhi.core.models import OrgUnitKind
from fazhi.core.services import orgunit_create, orgunit_update
from fazhi.datasets.models import ReportStatus
from fazhi.datasets.selectors import DataValueQuery, Timeliness, dataset_completeness, datavalue_totals
from fazhi.datasets.services import dataset_report_approve, dataset_report_submit, datavalues_save

from .conftest import START, YEAR

DS = "legal_publicity"
FULL = {("events", None): 2, ("materials", None): 0, ("people_reached", None): 30}


def aware(*args):
    return timezone.make_aware(dt.datetime(*args))


def save(unit, values, period_start=START):
    datavalues_save(acting_user=None, dataset=DS, org_unit=unit, period_start=period_start, values=values)


def submit(unit, at):
    dataset_report_submit(acting_user=None, dataset=DS, org_unit=unit, period_start=START, at=at)


# --- completeness -------------------------------------------------------------------------------------


@pytest.fixture
def reporting(personas):
    """区司法局 on time and approved, 哈达镇 late, 新屯街道 a half-filled draft, a street closed in 2023."""
    p = personas
    save(p.justice_bureau, FULL)
    submit(p.justice_bureau, aware(2025, 2, 28, 23, 0))
    dataset_report_approve(acting_user=p.district_admin, dataset=DS, org_unit=p.justice_bureau, period_start=START)
    save(p.town, FULL)
    submit(p.town, aware(2025, 3, 2, 9, 0))
    save(p.street, {("events", None): 1})
    closed = orgunit_create(acting_user=None, name="旧街道", kind=OrgUnitKind.STREET, parent=p.district)
    orgunit_update(acting_user=None, unit=closed, closed_on=dt.date(2023, 12, 31))
    opened_later = orgunit_create(acting_user=None, name="新设街道", kind=OrgUnitKind.STREET, parent=p.district,
                                  opened_on=dt.date(2025, 1, 1))
    return p, closed, opened_later


def test_completeness_per_unit(reporting):
    p, closed, opened_later = reporting
    result = dataset_completeness(p.district_admin, dataset=DS, period=YEAR, root=p.district,
                                  today=dt.date(2025, 4, 1))
    rows = {row.unit.name: row for row in result.units}
    assert set(rows) == {"区司法局", "哈达镇", "新屯街道"}  # not the office, nor units closed/opened outside 2024
    assert result.due_on == dt.date(2025, 3, 1)
    assert rows["区司法局"].timeliness == Timeliness.ON_TIME and rows["区司法局"].status == ReportStatus.APPROVED
    assert rows["哈达镇"].timeliness == Timeliness.LATE and rows["哈达镇"].status_name == "已报送"
    assert rows["新屯街道"].timeliness == Timeliness.MISSING and rows["新屯街道"].filled_percent == 33
    assert rows["区司法局"].filled_percent == 100
    assert (result.expected, result.submitted, result.approved) == (3, 2, 1)
    assert result.completion_rate == Decimal("66.67")
    assert result.timeliness_rate == Decimal("33.33")


def test_before_the_due_date_unsubmitted_is_pending(reporting):
    p, *_ = reporting
    result = dataset_completeness(p.district_admin, dataset=DS, period=YEAR, root=p.district,
                                  today=dt.date(2025, 3, 1))
    assert {r.unit.name: r.timeliness for r in result.units}["新屯街道"] == Timeliness.PENDING


def test_unit_without_any_report_is_missing(personas):
    p = personas
    result = dataset_completeness(p.district_admin, dataset=DS, period=YEAR, root=p.district,
                                  today=dt.date(2026, 1, 1))
    assert [r.timeliness for r in result.units] == [Timeliness.MISSING] * 3
    assert [r.status_name for r in result.units] == ["未填报"] * 3
    assert result.completion_rate == Decimal("0.00")


def test_completeness_is_scoped(reporting):
    p, *_ = reporting
    clerk_view = dataset_completeness(p.town_clerk, dataset=DS, period=YEAR, root=p.town)
    assert [r.unit.name for r in clerk_view.units] == ["哈达镇"]
    with pytest.raises(AccessDenied):
        dataset_completeness(p.town_clerk, dataset=DS, period=YEAR, root=p.district)
    with pytest.raises(AccessDenied):
        dataset_completeness(p.outsider, dataset=DS, period=YEAR, root=p.district)


# --- datavalue_totals -----------------------------------------------------------------------------------


def totals(queries, roots, start=YEAR.start, end=YEAR.end):
    return datavalue_totals(queries=queries, roots=roots, start=start, end=end)


def test_totals_sum_a_subtree_and_tell_missing_from_zero(personas):
    p = personas
    save(p.town, {("events", None): 5, ("materials", None): 0})
    save(p.street, {("events", None): 7})
    q = [DataValueQuery(DS, "events"), DataValueQuery(DS, "materials"), DataValueQuery(DS, "consultations")]
    result = totals(q, [p.district.pk, p.town.pk, p.street.pk, p.justice_bureau.pk])
    assert result[(p.district.pk, 0)] == Decimal(12)
    assert result[(p.town.pk, 0)] == 5
    assert result[(p.district.pk, 1)] == Decimal(0)  # entered as zero
    assert result[(p.street.pk, 1)] is None  # never entered there
    assert result[(p.district.pk, 2)] is None
    assert result[(p.justice_bureau.pk, 0)] is None
    assert len(result) == 12


def test_totals_respect_the_date_range(personas):
    p = personas
    save(p.town, {("events", None): 5})
    save(p.town, {("events", None): 9}, period_start=dt.date(2023, 1, 1))
    q = [DataValueQuery(DS, "events")]
    assert totals(q, [p.district.pk])[(p.district.pk, 0)] == 5
    both = totals(q, [p.district.pk], start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    assert both[(p.district.pk, 0)] == 14
    # A range that covers only part of a period does not count that period.
    assert totals(q, [p.district.pk], end=dt.date(2024, 6, 30))[(p.district.pk, 0)] is None


def test_total_from_disaggregation_only_entries(personas):
    p = personas
    # 哈达镇 enters its total and a (partial) venue breakdown: only the total counts.
    save(p.town, {("events", None): 10, ("events", "venue=school"): 4, ("events", "venue=community"): 3})
    # 新屯街道 enters only a venue breakdown and an audience breakdown: the venue options count (first listed).
    save(p.street, {("events", "venue=school"): 2, ("events", "venue=online"): 1,
                    ("events", "audience=youth"): 3})
    # 区司法局 enters only an audience breakdown: the audience options count.
    save(p.justice_bureau, {("events", "audience=youth"): 6, ("events", "audience=other"): 1})
    q = [DataValueQuery(DS, "events"), DataValueQuery(DS, "events", {}), DataValueQuery(DS, "events", {"venue": "school"}),
         DataValueQuery(DS, "events", {"audience": "youth"})]
    result = totals(q, [p.district.pk, p.street.pk, p.justice_bureau.pk])
    assert result[(p.district.pk, 0)] == 10 + 3 + 7
    assert result[(p.district.pk, 1)] == result[(p.district.pk, 0)]
    assert result[(p.street.pk, 0)] == 3
    assert result[(p.justice_bureau.pk, 0)] == 7
    assert result[(p.district.pk, 2)] == 6
    assert result[(p.district.pk, 3)] == 9


def test_total_and_option_from_cross_cells_only(personas):
    p = personas
    save(p.street, {("events", "audience=youth;venue=school"): 2, ("events", "audience=other;venue=school"): 1,
                    ("events", "audience=youth;venue=online"): 4})
    save(p.town, {("events", "venue=school"): 5, ("events", "audience=youth;venue=school"): 2})
    q = [DataValueQuery(DS, "events"), DataValueQuery(DS, "events", {"venue": "school"}),
         DataValueQuery(DS, "events", {"venue": "school", "audience": "youth"})]
    result = totals(q, [p.street.pk, p.town.pk, p.district.pk])
    assert result[(p.street.pk, 0)] == 7  # no total, no single breakdown: the cross cells
    assert result[(p.street.pk, 1)] == 3  # venue=school from its cross cells
    assert result[(p.town.pk, 0)] == 5  # its venue breakdown wins over its cross cells
    assert result[(p.town.pk, 1)] == 5  # its own venue=school cell, not the cross cells again
    assert result[(p.district.pk, 2)] == 4


def test_totals_is_one_query_and_handles_money(personas):
    p = personas
    save(p.town, {("spending", None): "1234.56"})
    save(p.street, {("spending", None): "0.10"})
    save(p.justice_bureau, {("spending", None): "0.20"})
    q = [DataValueQuery(DS, "spending"), DataValueQuery(DS, "events"), DataValueQuery(DS, "spending"),
         DataValueQuery("no_such_dataset", "x")]
    roots = [p.district.pk, p.town.pk, p.city.pk, p.other_district.pk]
    with CaptureQueriesContext(connection) as queries:
        result = totals(q, roots)
    assert len(queries) == 1
    assert result[(p.district.pk, 0)] == Decimal("1234.86") == result[(p.city.pk, 2)]
    assert result[(p.other_district.pk, 0)] is None
    assert result[(p.district.pk, 3)] is None


def test_totals_with_nothing_to_ask(personas):
    assert totals([], [personas.district.pk]) == {}
    assert totals([DataValueQuery(DS, "events")], []) == {}

