"""审定 by another person and published versions that never change (issue 15, scope 4)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi.core import access
from fazhi.datasets.models import DataSetReport
from fazhi.reports.models import ReportApproval, ReportStatus, ReportVersion
from fazhi.reports.services import (
    ReportErrorCode,
    ReportWorkflowError,
    report_advance,
    report_approve,
    report_generate,
    report_publish,
    report_revise,
)
from tests.reports.support import sections_complete


@pytest.fixture
def reviewed(personas, mediation):
    for outcome in ("success", "success", "failure"):
        mediation(personas.town, dt.date(2024, 4, 1), outcome=outcome)
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    return report_advance(acting_user=personas.district_admin, report=run.report)


def _publish(personas, report):
    report = report_approve(acting_user=personas.leader, report=report)
    return report_publish(acting_user=personas.district_admin, report=report)


def test_the_office_may_draft_but_not_approve(personas, reviewed):
    with pytest.raises(access.AccessDenied):
        report_approve(acting_user=personas.district_admin, report=reviewed)
    assert reviewed.status == ReportStatus.REVIEWING and not ReportApproval.objects.exists()


def test_the_drafter_is_refused_even_when_he_holds_the_approval_permission(personas, mediation):
    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    sections_complete(personas.superuser, unit=personas.district, year=2024)
    run = report_generate(acting_user=personas.superuser, org_unit=personas.district, year=2024)
    report = report_advance(acting_user=personas.superuser, report=run.report)
    with pytest.raises(ReportWorkflowError) as refused:
        report_approve(acting_user=personas.superuser, report=report)
    assert refused.value.code == ReportErrorCode.APPROVER_IS_DRAFTER
    report = report_approve(acting_user=personas.leader, report=report)
    assert report.status == ReportStatus.APPROVED
    approval = ReportApproval.objects.get()
    assert (approval.run_id, approval.snapshot_id, approval.approved_by_id) == (run.pk, run.snapshot_id,
                                                                             personas.leader.pk)


def test_unlocked_data_sets_of_the_year_block_approval(personas, reviewed):
    pending = DataSetReport.objects.create(dataset="legal_publicity", definition_version=1, org_unit=personas.town,
                                           period_type="year", period_start=dt.date(2024, 1, 1),
                                           period_end=dt.date(2024, 12, 31))
    with pytest.raises(ReportWorkflowError) as refused:
        report_approve(acting_user=personas.leader, report=reviewed)
    assert refused.value.code == ReportErrorCode.DATASETS_NOT_LOCKED
    assert "哈达镇" in refused.value.message
    DataSetReport.objects.filter(pk=pending.pk).update(locked=True)
    assert report_approve(acting_user=personas.leader, report=reviewed).status == ReportStatus.APPROVED


def test_an_approved_report_is_not_regenerated_silently(personas, reviewed):
    report = report_approve(acting_user=personas.leader, report=reviewed)
    with pytest.raises(ReportWorkflowError) as refused:
        report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert refused.value.code == ReportErrorCode.REPORT_FROZEN
    assert report.runs.count() == 1


def test_a_published_version_never_changes_and_a_revision_is_a_new_version_with_its_changes(
        client, personas, mediation, reviewed):
    first = _publish(personas, reviewed)
    assert first.number == 1 and first.changes == [] and bytes(first.docx)[:2] == b"PK"
    stored = bytes(first.docx)
    # Revising needs a reason; a case forgotten in 2024 is added and the report published again.
    report = reviewed
    report.refresh_from_db()
    with pytest.raises(ReportWorkflowError) as refused:
        report_revise(acting_user=personas.district_admin, report=report, reason="  ")
    assert refused.value.code == ReportErrorCode.REASON_REQUIRED
    report_revise(acting_user=personas.district_admin, report=report, reason="补录哈达镇漏报的调解案件")
    mediation(personas.town, dt.date(2024, 6, 3), outcome="success")
    from fazhi.core.periods import period_parse
    from fazhi.indicators.services import snapshot_freeze

    snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=period_parse("2024"))
    report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    report = report_advance(acting_user=personas.district_admin, report=report)
    second = _publish(personas, report)
    assert second.number == 2 and second.reason == "补录哈达镇漏报的调解案件"
    changed = {c["code"]: (c["old"], c["new"]) for c in second.changes}
    assert changed["mediation_cases"] == ("3", "4")
    # Version 1 is still there, byte for byte, and so is its download.
    first.refresh_from_db()
    assert bytes(first.docx) == stored
    download = client.get(reverse("public_report_version", args=[report.pk, 1]))
    assert download.status_code == 200 and download.content == stored
    # The public page shows the latest version, and the history with the change list and the reason.
    page = client.get(reverse("public_report", args=[report.pk])).content.decode()
    assert "受理纠纷案件4件" in re.sub(r"<[^>]+>", "", page)  # figures are links to their indicator
    assert "第1版" in page and "第2版" in page and "补录哈达镇漏报的调解案件" in page
    assert ReportVersion.objects.filter(report=report).count() == 2


def test_published_versions_refuse_changes_even_by_raw_sql(personas, reviewed):
    from django.db import DatabaseError, connection, transaction

    version = _publish(personas, reviewed)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_reportversion SET text = 'tampered'")
    version.refresh_from_db()
    assert version.text != "tampered"
