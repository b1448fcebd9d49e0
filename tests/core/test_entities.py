"""Market entities registered in bulk: all or nothing, each refusal names the row."""

import pytest

from fazhi.core import access
from fazhi.core.auditactions import AuditAction
from fazhi.core.errors import CoreErrorCode
from fazhi.core.identity import credit_code_check_digit
from fazhi.core.models import AuditEvent, Entity
from fazhi.core.services import CoreError, entities_bulk_create, entity_create


def _code(serial: int) -> str:
    first17 = f"91210403MA{serial:07d}"
    return first17 + credit_code_check_digit(first17)


def test_bulk_create_registers_each_with_an_audit_row(personas):
    created = entities_bulk_create(acting_user=personas.district_admin, org_unit=personas.district,
                                   entities=[("甲公司", _code(1).lower(), "制造业"), ("乙商行", _code(2), "")])
    assert [e.credit_code for e in created] == [_code(1), _code(2)]  # normalised
    assert AuditEvent.objects.filter(action=AuditAction.ENTITY_CREATE, object_id__in=[str(e.pk) for e in created]).count() == 2


@pytest.mark.parametrize(("rows", "code"), [
    ([("甲公司", _code(1), ""), ("乙商行", _code(2)[:-1] + "0", "")], CoreErrorCode.CREDIT_CODE_CHECK_DIGIT_WRONG),
    ([("甲公司", _code(1), ""), ("  ", _code(2), "")], CoreErrorCode.FIELD_REQUIRED),
    ([("甲公司", _code(1), ""), ("乙商行", _code(1), "")], CoreErrorCode.CREDIT_CODE_DUPLICATE),
    ([("甲公司", _code(3), ""), ("乙商行", _code(9), "")], CoreErrorCode.CREDIT_CODE_DUPLICATE),
])
def test_a_bad_row_refuses_the_whole_batch(personas, rows, code):
    entity_create(acting_user=None, org_unit=personas.district, name="已有企业", credit_code=_code(9))
    with pytest.raises(CoreError) as err:
        entities_bulk_create(acting_user=personas.district_admin, org_unit=personas.district, entities=rows)
    assert err.value.code == code
    assert err.value.message.startswith("第2户")  # the refusal names the bad row
    assert Entity.objects.count() == 1  # nothing of the batch was kept


def test_outsider_cannot_register_entities_in_another_district(personas):
    with pytest.raises(access.AccessDenied):
        entities_bulk_create(acting_user=personas.outsider, org_unit=personas.district,
                             entities=[("甲公司", _code(1), "")])
