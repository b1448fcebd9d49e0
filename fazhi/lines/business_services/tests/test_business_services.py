"""营商环境服务: 项目管家 matching (market entities → 管家) and their service records; the managers are
counted once each (distinct), a changed 管家 needs a reason, personas' access, the demo's seed figures."""

import datetime as dt

import pytest

from fazhi.core.periods import period_parse
from fazhi.core.services import entity_create
from fazhi.indicators.engine import indicators_compute
from fazhi.registers.errors import RecordError
from fazhi.registers.services import record_create, record_transition
from tests.lines.support import check_personas_access, line_officer

LINE = "business_services"
REGISTERS = ["business_manager_matches", "business_manager_services"]
D = dt.date


@pytest.fixture
def officer(personas):
    return line_officer(personas)


def _entity(officer, unit, name):
    from fazhi.core.identity import credit_code_check_digit

    first17 = f"91210403MA{len(name):02d}{abs(hash(name)) % 100000:05d}"
    return entity_create(acting_user=officer, org_unit=unit, name=name,
                         credit_code=first17 + credit_code_check_digit(first17))


def _registered(officer, unit, entity, number, on=None):
    on = on or D(2024, 3, 1)
    return record_create(acting_user=officer, register="business_manager_matches", org_unit=unit,
                         external_id=f"管-{number}", opened_on=on,
                         payload={"registered_on": on, "entity": entity.pk, "entity_kind": "enterprise"})


def _match(officer, record, name, code, unit, on=None, transition="match", **kw):
    on = on or D(2024, 3, 4)
    return record_transition(acting_user=officer, record=record, transition=transition, on_date=on,
                             fields={"manager_name": name, "manager_code": code, "manager_unit": unit.pk,
                                     "matched_on": on}, **kw)


def _values(unit, *codes):
    period = period_parse("2024")
    values = indicators_compute(units=[unit], periods=[period], codes=list(codes))
    return {c: values[(unit.pk, "2024", c)].value for c in codes}


@pytest.mark.parametrize("register", REGISTERS)
def test_personas_access(personas, officer, register):
    check_personas_access(personas, register, user=officer, unit=personas.town)


def test_each_manager_is_counted_once_and_a_change_needs_a_reason(personas, officer):
    a, b, c = (_entity(officer, personas.district, n) for n in ("东洲甲公司", "东洲乙商行", "东洲丙合作社"))
    first = _match(officer, _registered(officer, personas.district, a, 1), "王伟", "GJ001", personas.town)
    _match(officer, _registered(officer, personas.district, b, 2), "王伟", "GJ001", personas.town)
    _registered(officer, personas.district, c, 3)  # not matched yet
    assert _values(personas.district, "bs_entities_registered", "bs_managers_matched", "bs_entities_unmatched") == {
        "bs_entities_registered": 3, "bs_managers_matched": 1, "bs_entities_unmatched": 1}
    with pytest.raises(RecordError) as err:  # another 管家 only with a reason
        _match(officer, first, "王伟", "GJ002", personas.street, transition="rematch")
    assert err.value.code == "note_required"
    # A second 王伟 is another 管家: the number tells them apart.
    _match(officer, first, "王伟", "GJ002", personas.street, transition="rematch", note="原管家岗位调整")
    assert _values(personas.district, "bs_managers_matched")["bs_managers_matched"] == 2


def test_services_and_open_requests(personas, officer):
    entity = _entity(officer, personas.district, "东洲丁公司")

    def serve(number, on, request=False):
        return record_create(acting_user=officer, register="business_manager_services", org_unit=personas.town,
                             external_id=f"服-{number}", opened_on=on,
                             payload={"served_on": on, "entity": entity.pk, "manager_name": "李娜",
                                      "manner": "visit", "request_raised": request})

    done = serve(1, D(2024, 5, 6))
    record_transition(acting_user=officer, record=done, transition="conclude", on_date=D(2024, 5, 6),
                      fields={"answer": "已走访"}, outcome="solved")
    request = serve(2, D(2024, 12, 20), request=True)
    assert _values(personas.district, "bs_services", "bs_requests", "bs_requests_open") == {
        "bs_services": 2, "bs_requests": 1, "bs_requests_open": 1}
    record_transition(acting_user=officer, record=request, transition="conclude", on_date=D(2025, 1, 3),
                      fields={"answer": "已协调供电公司报装"}, outcome="solved")
    assert _values(personas.district, "bs_requests_open", "bs_requests_solved") == {
        "bs_requests_open": 1, "bs_requests_solved": 1}  # still open at the end of 2024; solved in 2025
