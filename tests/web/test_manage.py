"""Administration pages: units, users and roles, year-end close, corrections after close — and who may."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fazhi.core.models import AuditEvent, Membership, OrgUnit, PeriodClose, Role
from fazhi.core.services import period_close

PAGES = ["web:manage_units", "web:manage_users", "web:manage_periods"]


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["town_clerk", "mediator", "leader", "review_officer"])
def test_who_cannot_administer_is_refused_every_page(client, personas, name):
    login(client, getattr(personas, name))
    for page in PAGES:
        assert client.get(reverse(page)).status_code == 403, page
    other = personas.district_admin
    assert client.get(reverse("web:manage_user", args=[other.pk])).status_code == 403


def test_a_district_admin_sees_and_creates_units_only_in_their_district(client, personas):
    login(client, personas.district_admin)
    page = client.get(reverse("web:manage_units")).content.decode()
    assert "哈达镇司法所" in page and "210403" in page and "西城街道" not in page
    response = client.post(reverse("web:manage_units"), {"name": "新村", "kind": "community",
                                                         "parent": personas.town.pk, "population": "800"})
    assert response.status_code == 302
    assert OrgUnit.objects.get(name="新村").parent == personas.town
    # The other district is not even a choice.
    response = client.post(reverse("web:manage_units"), {"name": "外村", "kind": "community",
                                                         "parent": personas.other_street.pk})
    assert response.status_code == 200 and not OrgUnit.objects.filter(name="外村").exists()
    assert client.get(reverse("web:manage_unit", args=[personas.other_street.pk])).status_code == 404
    response = client.post(reverse("web:manage_unit", args=[personas.town.pk]),
                           {"name": "哈达镇", "division_code": "210403101", "population": "22000"})
    assert response.status_code == 302
    personas.town.refresh_from_db()
    assert (personas.town.division_code, personas.town.population) == ("210403101", 22000)
    assert AuditEvent.objects.filter(action="orgunit.update", object_id=str(personas.town.pk)).exists()


def test_a_district_admin_creates_a_user_with_a_role_and_validated_password(client, personas):
    login(client, personas.district_admin)
    clerk = Role.objects.get(code="clerk")
    weak = client.post(reverse("web:manage_users"), {"username": "xt_clerk", "full_name": "新联络", "password": "123",
                                                     "role": clerk.pk, "org_unit": personas.street.pk})
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    assert not get_user_model().objects.filter(username="xt_clerk").exists()
    made = client.post(reverse("web:manage_users"), {"username": "xt_clerk", "full_name": "新联络",
                                                     "password": "Xintun-clerk-2025", "role": clerk.pk,
                                                     "org_unit": personas.street.pk})
    user = get_user_model().objects.get(username="xt_clerk")
    assert made.status_code == 302 and Membership.objects.filter(user=user, org_unit=personas.street).exists()
    outside = client.post(reverse("web:manage_users"), {"username": "x2", "full_name": "外", "password":
                                                        "Outside-user-2025", "role": clerk.pk,
                                                        "org_unit": personas.other_street.pk})
    assert outside.status_code == 200 and not get_user_model().objects.filter(username="x2").exists()


def test_deactivate_reset_grant_and_revoke_inside_the_district_only(client, personas):
    login(client, personas.district_admin)
    url = reverse("web:manage_user", args=[personas.town_clerk.pk])
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    personas.town_clerk.refresh_from_db()
    assert not personas.town_clerk.is_active
    client.post(url, {"action": "activate"})
    assert client.post(url, {"action": "password", "password": "short"}).status_code == 200
    assert client.post(url, {"action": "password", "password": "New-password-2025"}).status_code == 302
    personas.town_clerk.refresh_from_db()
    assert personas.town_clerk.check_password("New-password-2025")
    mediator = Role.objects.get(code="mediator")
    client.post(url, {"action": "grant", "role": mediator.pk, "org_unit": personas.town.pk})
    membership = Membership.objects.get(user=personas.town_clerk, role=mediator)
    client.post(url, {"action": "revoke", "membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = set(AuditEvent.objects.filter(object_id=str(personas.town_clerk.pk)).values_list("action", flat=True))
    assert {"user.deactivate", "user.activate", "user.password_reset"} <= actions
    assert AuditEvent.objects.filter(action="membership.revoke").exists()
    # 西市区's administrator and its users are out of reach: 404, the same as a missing user.
    for target in (personas.outsider, personas.superuser):
        assert client.get(reverse("web:manage_user", args=[target.pk])).status_code == 404
        assert client.post(reverse("web:manage_user", args=[target.pk]), {"action": "deactivate"}).status_code == 404
    assert client.get(reverse("web:manage_user", args=[999999])).status_code == 404
    page = client.get(reverse("web:manage_users")).content.decode()
    assert "town_clerk" in page and "outsider" not in page


def test_the_outsider_cannot_administer_dongzhou(client, personas):
    login(client, personas.outsider)
    assert client.get(reverse("web:manage_user", args=[personas.town_clerk.pk])).status_code == 404
    assert "哈达镇" not in client.get(reverse("web:manage_units")).content.decode()


def test_close_a_year_reopen_it_and_list_corrections(client, personas, mediation):
    login(client, personas.district_admin)
    response = client.post(reverse("web:manage_periods"), {"org_unit": personas.district.pk, "year": "2024",
                                                           "scope": "all"})
    assert response.status_code == 302
    close = PeriodClose.objects.get(year=2024, org_unit=personas.district)
    bad = client.post(reverse("web:manage_periods"), {"org_unit": personas.district.pk, "year": "2024",
                                                      "scope": "register", "code": "legal_publicity"})
    assert bad.status_code == 200 and PeriodClose.objects.count() == 1
    assert client.post(reverse("web:manage_period_reopen", args=[close.pk]), {"reason": ""}).status_code == 302
    assert PeriodClose.objects.filter(pk=close.pk).exists()
    client.post(reverse("web:manage_period_reopen", args=[close.pk]), {"reason": "补录"})
    assert not PeriodClose.objects.filter(pk=close.pk).exists()
    record = mediation(personas.town, dt.date(2024, 6, 3))
    period_close(acting_user=None, org_unit=personas.district, year=2024)
    from fazhi.registers.services import record_update

    record_update(acting_user=personas.district_admin, record=record, changes={"mediator_name": "乙"},
                  correction_reason="姓名录错")
    listing = client.get(reverse("web:manage_corrections")).content.decode()
    assert record.external_id in listing and "姓名录错" in listing
    assert "关账后更正" in client.get(reverse("web:record", args=[record.pk])).content.decode()
    assert client.get(reverse("web:manage_corrections"), {"year": "abc"}).status_code == 400
    login(client, personas.outsider)
    assert "姓名录错" not in client.get(reverse("web:manage_corrections")).content.decode()
