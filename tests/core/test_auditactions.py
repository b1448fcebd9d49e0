"""Audit actions are one enum with a Chinese name each; the writer refuses anything else."""

import re

import pytest

from fazhi.core.audit import audit_event_write, audit_events_write_many
from fazhi.core.auditactions import AuditAction, audit_action_label
from fazhi.core.errors import CoreErrorCode
from fazhi.core.models import AuditEvent, AuditImmutableError
from fazhi.registers.models import RecordEventKind
from fazhi.registers.services import EVENT_AUDIT_ACTIONS
from fazhi.reports.models import SectionEventKind
from fazhi.reports.services import SECTION_AUDIT_ACTIONS


def test_every_action_has_a_chinese_label_and_a_unique_value():
    assert len({a.value for a in AuditAction}) == len(AuditAction)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", a.label) for a in AuditAction), [a for a in AuditAction]
    assert audit_action_label("record.created") == "登记记录"
    assert audit_action_label("something.old") == "something.old"  # an unknown stored value is shown as it is


def test_every_timeline_event_kind_has_its_audit_action():
    assert set(EVENT_AUDIT_ACTIONS) == set(RecordEventKind)
    assert set(SECTION_AUDIT_ACTIONS) == set(SectionEventKind)
    # The values the audit trail stored before the enum existed.
    assert {str(EVENT_AUDIT_ACTIONS[k]) for k in RecordEventKind} == {f"record.{k.value}" for k in RecordEventKind}
    assert {str(SECTION_AUDIT_ACTIONS[k]) for k in SectionEventKind} == {
        f"report.section.{k.value}" for k in SectionEventKind}


def test_the_writer_refuses_an_unknown_action(personas):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_event_write(actor=None, action="record.tampered", obj=personas.town, diff={})
    with pytest.raises(ValueError, match="unknown audit action"):
        audit_events_write_many(actor=None, action="orgunit.created", rows=[(personas.town, personas.town, {})])
    assert AuditEvent.objects.count() == before
    event = audit_event_write(actor=None, action=AuditAction.ORGUNIT_UPDATE, obj=personas.town, diff={})
    assert AuditEvent.objects.get(pk=event.pk).action == "orgunit.update"


def test_audit_rows_refuse_changes_with_a_code(personas):
    event = AuditEvent.objects.first()
    with pytest.raises(AuditImmutableError) as err:
        event.save()
    assert err.value.code == CoreErrorCode.AUDIT_IMMUTABLE
