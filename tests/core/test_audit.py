import pytest
from django.db import DatabaseError, connection, transaction

from fazhi.core.models import AuditEvent, AuditImmutableError
from fazhi.core.services import person_create


def test_person_create_writes_one_audit_event_without_full_id_number(personas):
    before = AuditEvent.objects.count()
    person = person_create(acting_user=personas.town_clerk, org_unit=personas.town, name="赵六",
                           id_number="11010519491231002X")
    events = AuditEvent.objects.filter(object_type="core.person", object_id=str(person.pk))
    assert AuditEvent.objects.count() == before + 1
    event = events.get()
    assert event.actor == personas.town_clerk
    assert event.action == "person.create"
    assert "11010519491231002X" not in str(event.diff)


def test_audit_events_cannot_be_changed_through_the_orm(personas):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("sql", [
    "UPDATE core_auditevent SET action = 'tampered'",
    "DELETE FROM core_auditevent",
])
def test_audit_events_cannot_be_changed_by_raw_sql(personas, sql):
    count = AuditEvent.objects.count()
    assert count > 0
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(action="tampered").exists()
