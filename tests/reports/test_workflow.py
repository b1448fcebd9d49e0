"""The report workflow: generate immutable runs, 起草 → 审核 → 审定 → 公开 with a gate, public page."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core import access
from fazhi.core.errors import CoreErrorCode
from fazhi.core.models import AuditEvent, HistoryImmutableError
from fazhi.reports.models import ReportRun, ReportStatus
from fazhi.reports.services import ReportErrorCode, ReportWorkflowError, report_advance, report_generate
from tests.reports.support import sections_complete


@pytest.fixture
def run(personas, mediation):
    for outcome in ("success", "success", "failure"):
        mediation(personas.town, dt.date(2024, 4, 1), outcome=outcome)
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    return report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)


def test_generate_stores_an_immutable_run_with_hashes(run):
    assert run.figures > 0 and len(run.text_sha256) == 64 and len(run.docx_sha256) == 64
    assert "受理纠纷案件3件" in run.text and run.gate["passed"] is True
    run.text = "改过"
    with pytest.raises(HistoryImmutableError) as err:
        run.save()
    assert err.value.code == CoreErrorCode.AUDIT_IMMUTABLE


def test_only_office_roles_generate_and_advance(personas, run):
    for user in (personas.leader, personas.town_clerk, personas.outsider):
        with pytest.raises(access.AccessDenied):
            report_generate(acting_user=user, org_unit=personas.district, year=2024)
        with pytest.raises(access.AccessDenied):
            report_advance(acting_user=user, report=run.report)


def test_steps_in_order_with_audit_and_public_page(client, personas, run):
    report = run.report
    before = AuditEvent.objects.filter(action="report.advance").count()
    # The office drafts and publishes; the leader, another person, approves (审定).
    steps = ((personas.district_admin, ReportStatus.REVIEWING), (personas.leader, ReportStatus.APPROVED),
             (personas.district_admin, ReportStatus.PUBLISHED))
    for user, expected in steps:
        report = report_advance(acting_user=user, report=report)
        assert report.status == expected
    assert AuditEvent.objects.filter(action="report.advance").count() == before + 1
    assert AuditEvent.objects.filter(action="report.approve", actor=personas.leader).count() == 1
    assert AuditEvent.objects.filter(action="report.publish").count() == 1
    with pytest.raises(ReportWorkflowError) as err:
        report_advance(acting_user=personas.district_admin, report=report)
    assert err.value.code == ReportErrorCode.NOT_ALLOWED
    listing = client.get(reverse("public_reports")).content.decode()  # no login needed
    assert "2024年东洲区法治政府建设情况报告" in listing
    page = client.get(reverse("public_report", args=[report.pk])).content.decode()
    assert "受理纠纷案件" in page and "3件" in page


def test_a_failed_gate_blocks_approval(personas, mediation):
    from fazhi.indicators.rules import RuleOutcome, RuleResult

    mediation(personas.town, dt.date(2024, 4, 1), outcome="success")
    from fazhi.core.periods import period_parse

    broken = RuleResult("x", "受理数不少于成功数", "error", personas.district, period_parse("2024"), 1, "<=", 0,
                        RuleOutcome.VIOLATED)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("fazhi.reports.services.rules_check_values", lambda **kwargs: [broken])
        run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert run.gate["passed"] is False and run.gate["rules"]
    report = report_advance(acting_user=personas.district_admin, report=run.report)  # to 审核: no gate
    with pytest.raises(ReportWorkflowError) as err:
        report_advance(acting_user=personas.leader, report=report)
    assert err.value.code == ReportErrorCode.GATE_FAILED and err.value.gate["rules"]


def test_runs_cannot_be_changed_even_by_raw_sql(run):
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_reportrun SET text = 'tampered'")
    assert ReportRun.objects.get(pk=run.pk).text != "tampered"


def test_unpublished_reports_are_not_public(client, run):
    assert client.get(reverse("public_report", args=[run.report.pk])).status_code == 404
