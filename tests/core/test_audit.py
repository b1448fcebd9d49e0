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


def test_every_core_service_write_has_exactly_one_audit_event(personas):
    import datetime as dt

    from fazhi.core.identity import credit_code_check_digit
    from fazhi.core.models import OrgUnitKind, Role
    from fazhi.core.services import (
        calendarday_set,
        entity_create,
        membership_grant,
        orgunit_create,
        orgunit_move,
        orgunit_update,
        user_create,
    )

    admin = personas.district_admin
    calls = {
        "orgunit.create": lambda: orgunit_create(acting_user=admin, name="新村", kind=OrgUnitKind.COMMUNITY,
                                                 parent=personas.town),
        "orgunit.update": lambda: orgunit_update(acting_user=admin, unit=personas.town, population=22000),
        "orgunit.move": lambda: orgunit_move(acting_user=admin, unit=personas.town_office, new_parent=personas.street),
        "entity.create": lambda: entity_create(acting_user=admin, org_unit=personas.town, name="某公司",
                                               credit_code="91210403MA0QC1234" + credit_code_check_digit("91210403MA0QC1234")),
        "user.create": lambda: user_create(acting_user=personas.superuser, username="new_user", password="x" * 12),
        "membership.grant": lambda: membership_grant(acting_user=admin, user=personas.town_clerk,
                                                     role=Role.objects.get(code="clerk"), org_unit=personas.street),
        "calendar.set": lambda: calendarday_set(acting_user=personas.superuser, date=dt.date(2026, 12, 31),
                                                kind="holiday", name="测试"),
    }
    for action, call in calls.items():
        before = AuditEvent.objects.count()
        call()
        assert AuditEvent.objects.count() == before + 1, action
        last = AuditEvent.objects.order_by("-pk").first()
        assert last.action == action and last.diff, action


def test_membership_grant_needs_an_administrator(personas):
    from fazhi.core.access import AccessDenied
    from fazhi.core.models import Role
    from fazhi.core.services import membership_grant

    with pytest.raises(AccessDenied):
        membership_grant(acting_user=personas.town_clerk, user=personas.town_clerk,
                         role=Role.objects.get(code="district_admin"), org_unit=personas.town)
