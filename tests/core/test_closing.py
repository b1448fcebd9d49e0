"""Year-end close: closing and reopening, refused writes into a closed year, corrections after close."""

import datetime as dt

import pytest

from fazhi.core.access import AccessDenied
from fazhi.core.closing import ClosingError, ClosingErrorCode
from fazhi.core.models import AuditEvent, LateCorrection, PeriodClose
from fazhi.core.services import period_close, period_reopen
from fazhi.datasets.errors import DatasetError, DatasetErrorCode
from fazhi.datasets.selectors import period_ready_for_snapshot
from fazhi.datasets.services import dataset_report_lock, datavalues_save
from fazhi.registers.errors import RecordError, RecordErrorCode
from fazhi.registers.services import record_transition, record_update

D = dt.date
VALUES = {("events", None): 3, ("materials", None): 10, ("people_reached", None): 100}


def test_only_the_office_may_close_and_a_year_closes_once(personas):
    for user in (personas.town_clerk, personas.leader, personas.outsider, personas.mediator):
        with pytest.raises(AccessDenied):
            period_close(acting_user=user, org_unit=personas.district, year=2024)
    close = period_close(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert AuditEvent.objects.filter(action="period.close", object_id=str(close.pk)).exists()
    with pytest.raises(ClosingError) as again:
        period_close(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert again.value.code == ClosingErrorCode.ALREADY_CLOSED
    with pytest.raises(ClosingError) as bad:
        period_close(acting_user=personas.district_admin, org_unit=personas.district, year=2024, scope="register")
    assert bad.value.code == ClosingErrorCode.SCOPE_INVALID
    with pytest.raises(ClosingError) as no_reason:
        period_reopen(acting_user=personas.district_admin, org_unit=personas.district, year=2024, reason=" ")
    assert no_reason.value.code == ClosingErrorCode.REASON_REQUIRED
    period_reopen(acting_user=personas.district_admin, org_unit=personas.district, year=2024, reason="补录漏报")
    assert not PeriodClose.objects.exists()
    assert AuditEvent.objects.filter(action="period.reopen").count() == 1


def test_a_closed_year_refuses_record_writes_and_accepts_a_correction_after_close(personas, mediation):
    record = mediation(personas.town, D(2024, 6, 3))
    later = mediation(personas.town, D(2025, 2, 3))
    period_close(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    with pytest.raises(RecordError) as refused:
        mediation(personas.town, D(2024, 12, 30))
    assert refused.value.code == RecordErrorCode.PERIOD_CLOSED and "2024年" in refused.value.message
    with pytest.raises(RecordError) as refused:
        record_update(acting_user=personas.mediator, record=record, changes={"mediator_name": "乙"})
    assert refused.value.code == RecordErrorCode.PERIOD_CLOSED
    # A clerk gives a reason but may not correct a closed year.
    with pytest.raises(AccessDenied):
        record_update(acting_user=personas.mediator, record=record, changes={"mediator_name": "乙"},
                      correction_reason="姓名录错")
    # 2025 is open; a closed year elsewhere does not matter.
    record_update(acting_user=personas.mediator, record=later, changes={"mediator_name": "乙"})
    record_update(acting_user=personas.district_admin, record=record, changes={"mediator_name": "乙"},
                  correction_reason="调解员姓名录错")
    event = record.events.order_by("-seq").first()
    assert event.data["correction_after_close"] == {"years": [2024], "reason": "调解员姓名录错"}
    late = LateCorrection.objects.get()
    assert (late.year, late.object_id, late.reason, late.actor) == (2024, str(record.pk), "调解员姓名录错",
                                                                   personas.district_admin)
    # A step dated in the closed year is refused too; one dated 2025 on the 2024 record is not.
    with pytest.raises(RecordError):
        record_transition(acting_user=personas.mediator, record=record, transition="conclude",
                          on_date=D(2024, 12, 31), outcome="success", fields={"mediator_name": "甲"})


def test_a_close_covers_only_its_subtree_and_its_register(personas, mediation):
    period_close(acting_user=None, org_unit=personas.street, year=2024)
    mediation(personas.town, D(2024, 6, 3))  # 哈达镇 is not under 新屯街道
    period_close(acting_user=None, org_unit=personas.district, year=2024, scope="register", code="legal_aid")
    mediation(personas.town, D(2024, 6, 4))  # another register
    period_close(acting_user=None, org_unit=personas.district, year=2024, scope="register", code="people_mediation")
    with pytest.raises(RecordError):
        mediation(personas.town, D(2024, 6, 5))


def test_a_closed_year_refuses_data_values_and_snapshot_readiness_names_what_is_missing(personas):
    start = D(2024, 1, 1)
    datavalues_save(acting_user=personas.town_clerk, dataset="legal_publicity", org_unit=personas.town,
                    period_start=start, values=VALUES)
    gaps = period_ready_for_snapshot(org_unit=personas.district, year=2024)
    assert {g.kind for g in gaps} == {"not_closed", "report_unlocked"}
    period_close(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    with pytest.raises(DatasetError) as refused:
        datavalues_save(acting_user=personas.town_clerk, dataset="legal_publicity", org_unit=personas.town,
                        period_start=start, values={("events", None): 4})
    assert refused.value.code == DatasetErrorCode.PERIOD_CLOSED
    datavalues_save(acting_user=personas.district_admin, dataset="legal_publicity", org_unit=personas.town,
                    period_start=start, values={("events", None): 4}, correction_reason="漏报一场活动")
    assert LateCorrection.objects.filter(scope="dataset", code="legal_publicity", year=2024).count() == 1
    assert [g.kind for g in period_ready_for_snapshot(org_unit=personas.district, year=2024)] == ["report_unlocked"]
    dataset_report_lock(acting_user=personas.district_admin, dataset="legal_publicity", org_unit=personas.town,
                        period_start=start)
    assert period_ready_for_snapshot(org_unit=personas.district, year=2024) == []
