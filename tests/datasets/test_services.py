"""Writes to data sets: access, all-or-nothing saves, the report's states and one audit event per write."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.core.access import AccessDenied
from fazhi.core.models import AuditEvent, OrgUnitKind
from fazhi.core.services import orgunit_create, orgunit_update
from fazhi.datasets.errors import DatasetError, DatasetErrorCode
from fazhi.datasets.models import DataSetReport, DataValue, ReportStatus
from fazhi.datasets.selectors import datavalues_visible, report_values
from fazhi.datasets.services import (
    CellErrors,
    dataset_report_approve,
    dataset_report_lock,
    dataset_report_return,
    dataset_report_submit,
    dataset_report_unlock,
    datavalues_save,
)

from .conftest import START, YEAR

DS = "legal_publicity"
GOOD = {
    ("events", None): 10,
    ("events", "venue=school"): 4,
    ("events", "venue=community"): "6",
    ("materials", None): 500,
    ("people_reached", None): 1200,
}


def save(user, unit, values=GOOD, **kw):
    return datavalues_save(acting_user=user, dataset=DS, org_unit=unit, period_start=START, values=values, **kw)


def step(fn, user, unit, **kw):
    return fn(acting_user=user, dataset=DS, org_unit=unit, period_start=START, **kw)


def cells(unit):
    return {(v.element, v.disaggregation): v.value for v in DataValue.objects.filter(org_unit=unit)}


# --- who may enter and read -------------------------------------------------------------------------


def test_town_clerk_enters_for_own_town_only(personas):
    p = personas
    report = save(p.town_clerk, p.town)
    assert report.status == ReportStatus.DRAFT
    assert cells(p.town)[("events", "venue=school")] == Decimal(4)
    with pytest.raises(AccessDenied):
        save(p.town_clerk, p.street)
    assert not DataValue.objects.filter(org_unit=p.street).exists()


def test_town_clerk_cannot_read_other_street(personas):
    p = personas
    save(p.district_admin, p.street)
    assert not datavalues_visible(p.town_clerk, dataset=DS).filter(org_unit=p.street).exists()
    with pytest.raises(AccessDenied):
        report_values(p.town_clerk, dataset=DS, org_unit=p.street, period=YEAR)


def test_leader_reads_but_cannot_write(personas):
    p = personas
    save(p.town_clerk, p.town)
    assert report_values(p.leader, dataset=DS, org_unit=p.town, period=YEAR)[("materials", "")] == 500
    with pytest.raises(AccessDenied):
        save(p.leader, p.town, {("materials", None): 1})
    with pytest.raises(AccessDenied):
        step(dataset_report_approve, p.leader, p.town)


def test_outsider_sees_nothing(personas):
    p = personas
    save(p.town_clerk, p.town)
    assert not datavalues_visible(p.outsider).exists()
    with pytest.raises(AccessDenied):
        report_values(p.outsider, dataset=DS, org_unit=p.town, period=YEAR)
    with pytest.raises(AccessDenied):
        save(p.outsider, p.town)


def test_mediator_has_no_entry_role(personas):
    with pytest.raises(AccessDenied):
        save(personas.mediator, personas.town)


def test_unit_of_another_kind_or_closed_does_not_report(personas):
    p = personas
    with pytest.raises(DatasetError) as exc:
        save(p.district_admin, p.town_office)
    assert exc.value.code == DatasetErrorCode.UNIT_NOT_REPORTING
    closed = orgunit_create(acting_user=None, name="旧街道", kind=OrgUnitKind.STREET, parent=p.district)
    orgunit_update(acting_user=None, unit=closed, closed_on=dt.date(2023, 6, 30))
    closed.refresh_from_db()
    with pytest.raises(DatasetError) as exc:
        save(p.district_admin, closed)
    assert exc.value.code == DatasetErrorCode.UNIT_CLOSED


def test_period_must_start_a_period(personas):
    with pytest.raises(DatasetError) as exc:
        datavalues_save(acting_user=personas.town_clerk, dataset=DS, org_unit=personas.town,
                        period_start=dt.date(2024, 3, 1), values=GOOD)
    assert exc.value.code == DatasetErrorCode.PERIOD_INVALID


# --- all or nothing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value", "code", "element"),
    [
        (("events", None), "十", DatasetErrorCode.VALUE_INVALID, "events"),
        (("events", None), "2.5", DatasetErrorCode.VALUE_INVALID, "events"),
        (("materials", None), -1, DatasetErrorCode.VALUE_NEGATIVE, "materials"),
        (("spending", None), "12.345", DatasetErrorCode.VALUE_INVALID, "spending"),
        (("readers", None), 3, DatasetErrorCode.UNKNOWN_ELEMENT, "readers"),
        (("events", "venue=moon"), 3, DatasetErrorCode.UNKNOWN_OPTION, "events"),
        (("materials", "venue=school"), 3, DatasetErrorCode.UNKNOWN_OPTION, "materials"),
        (("events", "venue=school"), 11, DatasetErrorCode.PARTS_EXCEED_TOTAL, "events"),
    ],
)
def test_one_bad_cell_refuses_the_whole_save(personas, cell, value, code, element):
    p = personas
    audits = AuditEvent.objects.count()
    with pytest.raises(DatasetError) as exc:
        save(p.town_clerk, p.town, {**GOOD, cell: value})
    assert exc.value.code == code
    assert exc.value.element == element
    assert not DataValue.objects.exists()
    assert not DataSetReport.objects.exists()
    assert AuditEvent.objects.count() == audits


def test_error_names_the_element_in_chinese(personas):
    with pytest.raises(CellErrors) as exc:
        save(personas.town_clerk, personas.town, {**GOOD, ("events", "venue=school"): "-3", ("materials", None): "x"})
    assert [(e.code, e.field) for e in exc.value.errors] == [(DatasetErrorCode.VALUE_NEGATIVE, "events"),
                                                             (DatasetErrorCode.VALUE_INVALID, "materials")]
    messages = [e.message for e in exc.value.errors]  # what the entry page shows next to each cell
    assert messages == ["“普法宣传活动（活动场所：学校）”不能为负数", "“发放宣传材料”须填写数字，不能是“x”"]


def test_bad_save_keeps_earlier_values(personas):
    p = personas
    save(p.town_clerk, p.town)
    before = cells(p.town)
    with pytest.raises(DatasetError):
        save(p.town_clerk, p.town, {("materials", None): 1, ("events", "venue=online"): 7})  # 4+6+7 > 10
    assert cells(p.town) == before


def test_parts_may_be_partial_and_values_cleared(personas):
    p = personas
    save(p.town_clerk, p.town)
    save(p.town_clerk, p.town, {("events", "venue=community"): None, ("events", "audience=youth"): 2})
    assert ("events", "venue=community") not in cells(p.town)
    assert cells(p.town)[("events", "audience=youth")] == 2


def test_cross_cells_cannot_exceed_their_option(personas):
    p = personas
    with pytest.raises(DatasetError) as exc:
        save(p.town_clerk, p.town, {**GOOD, ("events", "audience=youth;venue=school"): 3,
                                    ("events", (("venue", "school"), ("audience", "other"))): 2})
    assert exc.value.code == DatasetErrorCode.PARTS_EXCEED_TOTAL


def test_zero_is_stored_and_unchanged_save_writes_nothing(personas):
    p = personas
    save(p.town_clerk, p.town, {("materials", None): 0})
    assert cells(p.town) == {("materials", ""): 0}
    audits = AuditEvent.objects.count()
    save(p.town_clerk, p.town, {("materials", None): "0"})
    assert AuditEvent.objects.count() == audits


# --- the report's states ------------------------------------------------------------------------------


def test_state_flow_submit_return_submit_approve_lock(personas):
    p = personas
    save(p.town_clerk, p.town)
    report = step(dataset_report_submit, p.town_clerk, p.town)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == p.town_clerk
    first = report.first_submitted_at
    with pytest.raises(DatasetError) as exc:
        save(p.town_clerk, p.town, {("materials", None): 1})
    assert exc.value.code == DatasetErrorCode.REPORT_NOT_DRAFT
    with pytest.raises(AccessDenied):
        step(dataset_report_approve, p.town_clerk, p.town)  # a clerk is no approver
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_return, p.district_admin, p.town, reason=" ")
    assert exc.value.code == DatasetErrorCode.REASON_REQUIRED
    report = step(dataset_report_return, p.district_admin, p.town, reason="受众人数与活动场次不符")
    assert report.status == ReportStatus.DRAFT and report.returned_reason == "受众人数与活动场次不符"
    save(p.town_clerk, p.town, {("people_reached", None): 900})
    report = step(dataset_report_submit, p.town_clerk, p.town)
    assert report.first_submitted_at == first and report.returned_reason == ""
    report = step(dataset_report_approve, p.district_admin, p.town)
    assert report.status == ReportStatus.APPROVED and report.approved_by == p.district_admin
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_approve, p.district_admin, p.town)
    assert exc.value.code == DatasetErrorCode.STATUS_NOT_ALLOWED
    with pytest.raises(AccessDenied):
        step(dataset_report_lock, p.town_clerk, p.town)
    report = step(dataset_report_lock, p.district_admin, p.town)
    assert report.locked
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_return, p.district_admin, p.town, reason="再核对")
    assert exc.value.code == DatasetErrorCode.REPORT_LOCKED
    report = step(dataset_report_unlock, p.district_admin, p.town)
    assert not report.locked
    report = step(dataset_report_return, p.district_admin, p.town, reason="再核对")
    assert report.status == ReportStatus.DRAFT and report.approved_by is None


def test_locked_draft_refuses_values(personas):
    p = personas
    save(p.town_clerk, p.town)
    step(dataset_report_lock, p.district_admin, p.town)
    with pytest.raises(DatasetError) as exc:
        save(p.town_clerk, p.town, {("materials", None): 1})
    assert exc.value.code == DatasetErrorCode.REPORT_LOCKED
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_submit, p.town_clerk, p.town)
    assert exc.value.code == DatasetErrorCode.REPORT_LOCKED


def test_locking_a_unit_that_never_reported(personas):
    p = personas
    report = step(dataset_report_lock, p.district_admin, p.street)
    assert report.locked and report.status == ReportStatus.DRAFT
    with pytest.raises(DatasetError):
        save(p.district_admin, p.street)


def test_submit_needs_required_elements(personas):
    p = personas
    save(p.town_clerk, p.town, {("events", None): 3})
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_submit, p.town_clerk, p.town)
    assert exc.value.code == DatasetErrorCode.REQUIRED_MISSING
    assert "发放宣传材料" in exc.value.message and "受众人数" in exc.value.message
    with pytest.raises(DatasetError) as exc:
        step(dataset_report_submit, p.district_admin, p.street)
    assert exc.value.code == DatasetErrorCode.STATUS_NOT_ALLOWED  # nothing entered yet


def test_submitted_at_can_replay_history(personas):
    p = personas
    save(p.town_clerk, p.town)
    at = timezone.make_aware(dt.datetime(2025, 2, 20, 10, 0))
    report = step(dataset_report_submit, p.town_clerk, p.town, at=at)
    assert report.submitted_at == at == report.first_submitted_at


# --- audit ----------------------------------------------------------------------------------------------


def test_every_service_write_appends_exactly_one_audit_event(personas):
    p = personas
    writes = [
        ("datavalues.save", lambda: save(p.town_clerk, p.town)),
        ("datavalues.save", lambda: save(p.town_clerk, p.town, {("materials", None): 501})),
        ("dataset_report.submit", lambda: step(dataset_report_submit, p.town_clerk, p.town)),
        ("dataset_report.return", lambda: step(dataset_report_return, p.district_admin, p.town, reason="补充")),
        ("dataset_report.submit", lambda: step(dataset_report_submit, p.town_clerk, p.town)),
        ("dataset_report.approve", lambda: step(dataset_report_approve, p.district_admin, p.town)),
        ("dataset_report.lock", lambda: step(dataset_report_lock, p.district_admin, p.town)),
        ("dataset_report.unlock", lambda: step(dataset_report_unlock, p.district_admin, p.town)),
    ]
    for action, write in writes:
        before = AuditEvent.objects.count()
        write()
        assert AuditEvent.objects.count() == before + 1, action
        event = AuditEvent.objects.order_by("-pk").first()
        assert event.action == action
        assert event.org_unit == p.town
    diff = AuditEvent.objects.filter(action="datavalues.save").order_by("pk")[1].diff
    assert diff == {"materials": ["500.0000", "501.0000"]}


def test_lock_year_locks_the_subtree_once_with_an_audit_row_each(personas):
    from fazhi.datasets.services import dataset_reports_lock_year

    p = personas
    save(p.town_clerk, p.town)
    save(p.district_admin, p.street)
    with pytest.raises(AccessDenied):  # a liaison does not close the year
        dataset_reports_lock_year(acting_user=p.town_clerk, org_unit=p.town, year=START.year)
    with pytest.raises(AccessDenied):
        dataset_reports_lock_year(acting_user=p.outsider, org_unit=p.district, year=START.year)
    assert not DataSetReport.objects.filter(locked=True).exists()
    locked = dataset_reports_lock_year(acting_user=p.district_admin, org_unit=p.district, year=START.year)
    assert {r.org_unit for r in locked} == {p.town, p.street}
    assert DataSetReport.objects.filter(locked=False).count() == 0
    assert AuditEvent.objects.filter(action="dataset_report.lock").count() == 2
    # Nothing left to lock: a second call locks none and writes no audit row.
    assert dataset_reports_lock_year(acting_user=p.district_admin, org_unit=p.district, year=START.year) == []
    assert AuditEvent.objects.filter(action="dataset_report.lock").count() == 2
    # Another year is untouched by it.
    assert dataset_reports_lock_year(acting_user=p.district_admin, org_unit=p.district, year=START.year + 1) == []
