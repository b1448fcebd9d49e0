"""Every register, the same persona checks (tests/lines/support.py: check_personas_access): the leader reads
and cannot write, the outsider from 西市区 sees nothing, a town's liaison cannot touch another town's
records and may take the liaison's steps on its own. The acting officer holds every role the register
names, over the district."""

import pytest
from django.contrib.auth import get_user_model

from fazhi.core.models import Role
from fazhi.core.services import membership_grant
from fazhi.registers.registry import register_definition, register_definitions

from .support import NEW_ROLES, check_personas_access


def _officer(personas, register: str):
    definition = register_definition(register)
    roles = set(definition.create_roles) | {r for t in definition.transitions for r in t.roles}
    user = get_user_model().objects.create_user(username=f"officer_{register}", password="pw", is_staff=True)
    for code in sorted(roles):
        role, _ = Role.objects.get_or_create(code=code, defaults={"name": NEW_ROLES.get(code, code)})
        membership_grant(acting_user=None, user=user, role=role, org_unit=personas.district)
    return user


@pytest.mark.parametrize("register", sorted(d.code for d in register_definitions()))
def test_personas_access(personas, register):
    check_personas_access(personas, register, user=_officer(personas, register), unit=personas.town)
