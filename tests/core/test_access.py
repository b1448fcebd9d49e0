import pytest

from fazhi.core import access
from fazhi.core.errors import CoreErrorCode
from fazhi.core.identity import credit_code_check_digit
from fazhi.core.models import OrgUnit, Person
from fazhi.core.services import CoreError, entity_create, person_create


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_jurisdiction_is_the_subtree_of_memberships(personas):
    assert names(access.units_in_jurisdiction(personas.town_clerk)) == {"哈达镇", "哈达镇司法所"}
    assert "哈达镇" in names(access.units_in_jurisdiction(personas.district_admin))
    assert names(access.units_in_jurisdiction(personas.outsider)) == {"西市区", "西城街道"}
    assert access.units_in_jurisdiction(personas.superuser).count() == OrgUnit.objects.count()


def test_leader_reads_everything_in_the_district_but_writes_nothing(personas):
    assert access.can_read_unit(personas.leader, personas.town)
    assert not access.can_write_unit(personas.leader, personas.town)
    assert access.units_in_jurisdiction(personas.leader, writable=True).count() == 0


def test_town_clerk_cannot_read_or_write_another_town(personas):
    assert not access.can_read_unit(personas.town_clerk, personas.street)
    assert not access.can_write_unit(personas.town_clerk, personas.street)
    with pytest.raises(access.AccessDenied) as err:
        person_create(acting_user=personas.town_clerk, org_unit=personas.street, name="张三")
    assert err.value.code == CoreErrorCode.FORBIDDEN


def test_outsider_sees_nothing_of_the_district(personas):
    person_create(acting_user=personas.town_clerk, org_unit=personas.town, name="李四")
    assert access.scope_queryset(personas.outsider, Person.objects.all()).count() == 0
    assert access.scope_queryset(personas.district_admin, Person.objects.all()).count() == 1


def test_inactive_and_anonymous_users_have_no_jurisdiction(personas):
    from django.contrib.auth.models import AnonymousUser

    personas.district_admin.is_active = False
    assert access.units_in_jurisdiction(personas.district_admin).count() == 0
    assert access.units_in_jurisdiction(AnonymousUser()).count() == 0
    assert not access.can_read_unit(AnonymousUser(), personas.town)


class _Names:
    """A stand-in definition that names roles for record.create (core.access.RoleSource)."""

    def __init__(self, *roles):
        self.roles = list(roles)

    def roles_for(self, perm):
        return self.roles if perm == access.Perm.RECORD_CREATE else []


def test_role_gates_actions(personas):
    create = access.Perm.RECORD_CREATE
    assert access.may(personas.mediator, create, personas.town, definition=_Names("mediator"))
    assert not access.may(personas.town_clerk, create, personas.town, definition=_Names("mediator"))
    assert access.may(personas.district_admin, create, personas.town, definition=_Names("mediator"))  # administrator
    assert not access.may(personas.leader, create, personas.town, definition=_Names("leader"))  # read-only roles never act
    assert not access.may(personas.mediator, create, personas.town)  # no definition names it: nothing


def test_person_id_number_is_validated_and_masked(personas):
    with pytest.raises(CoreError) as err:
        person_create(acting_user=personas.town_clerk, org_unit=personas.town, name="王五", id_number="110105194912310021")
    assert (err.value.code, err.value.field) == (CoreErrorCode.ID_NUMBER_CHECK_DIGIT_WRONG, "id_number")
    person = person_create(acting_user=personas.town_clerk, org_unit=personas.town, name="王五",
                           id_number="11010519491231002x")
    assert person.id_number == "11010519491231002X"
    assert str(person) == "王五（110105********002X）"


def test_entity_credit_code_is_validated_and_unique(personas):
    first17 = "91210403MA0QC1234"
    code = first17 + credit_code_check_digit(first17)
    entity_create(acting_user=personas.town_clerk, org_unit=personas.town, name="某公司", credit_code=code)
    with pytest.raises(CoreError) as err:
        entity_create(acting_user=personas.town_clerk, org_unit=personas.town, name="某公司二", credit_code=code)
    assert (err.value.code, err.value.field) == (CoreErrorCode.CREDIT_CODE_DUPLICATE, "credit_code")
    with pytest.raises(CoreError) as err:
        entity_create(acting_user=personas.town_clerk, org_unit=personas.town, name="某公司三",
                      credit_code=code[:17] + ("0" if code[17] != "0" else "1"))
    assert err.value.code == CoreErrorCode.CREDIT_CODE_CHECK_DIGIT_WRONG
