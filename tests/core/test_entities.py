"""Market entities registered in bulk: all or nothing, each refusal names the row."""

import pytest

from fazhi.core import access
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
    assert AuditEvent.objects.filter(action="entity.create", object_id__in=[str(e.pk) for e in created]).count() == 2


@pytest.mark.parametrize(("rows", "message"), [
    ([("甲公司", _code(1), ""), ("乙商行", _code(2)[:-1] + "0", "")], "第2户（乙商行）统一社会信用代码：统一社会信用代码校验位错误"),
    ([("甲公司", _code(1), ""), ("  ", _code(2), "")], "第2户：名称不能为空"),
    ([("甲公司", _code(1), ""), ("乙商行", _code(1), "")], "第2户（乙商行）统一社会信用代码与第1户重复"),
    ([("甲公司", _code(3), ""), ("乙商行", _code(9), "")], f"第2户统一社会信用代码 {_code(9)} 已登记"),
])
def test_a_bad_row_refuses_the_whole_batch(personas, rows, message):
    entity_create(acting_user=None, org_unit=personas.district, name="已有企业", credit_code=_code(9))
    with pytest.raises(CoreError) as err:
        entities_bulk_create(acting_user=personas.district_admin, org_unit=personas.district, entities=rows)
    assert str(err.value) == message
    assert Entity.objects.count() == 1  # nothing of the batch was kept


def test_outsider_cannot_register_entities_in_another_district(personas):
    with pytest.raises(access.AccessDenied):
        entities_bulk_create(acting_user=personas.outsider, org_unit=personas.district,
                             entities=[("甲公司", _code(1), "")])
