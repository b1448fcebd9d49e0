"""The Django admin is for system administrators only, and accepts no lookup its pages do not declare.

Before: every demo user was staff and `/admin/core/person/?id_number__startswith=…` recovered a full
身份证号 in 77 requests of a town clerk without the personal-data role."""

from __future__ import annotations

import pytest

from fazhi.core.models import Person

ADMIN_PAGES = ["/admin/", "/admin/core/person/", "/admin/registers/record/", "/admin/core/auditevent/"]


@pytest.fixture
def person(personas):
    return Person.objects.create(name="张三", id_number="110101199003074514", org_unit=personas.town)


@pytest.mark.parametrize("persona", ["district_admin", "town_clerk", "mediator", "leader", "outsider"])
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_no_unit_role_opens_the_admin(client, personas, persona, path):
    user = getattr(personas, persona)
    user.is_staff = True  # even a staff flag left over from earlier versions does not open it
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_system_administrator_reads_the_person_list_masked(client, personas, person):
    client.force_login(personas.superuser)
    response = client.get("/admin/core/person/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "张三" in body
    assert "110101199003074514" not in body


@pytest.mark.parametrize("query", [
    "id_number__startswith=1101",
    "id_number=110101199003074514",
    "id_number__regex=^1",
    "phone__startswith=13",
    "name__contains=张",
    "org_unit__name__startswith=哈",
])
def test_undeclared_lookups_are_refused(client, personas, person, query):
    client.force_login(personas.superuser)
    response = client.get(f"/admin/core/person/?{query}")
    assert response.status_code == 400
    assert "110101199003074514" not in response.content.decode()


def test_person_list_has_no_search(client, personas, person):
    Person.objects.create(name="李四", id_number="220102198506150012", org_unit=personas.town)
    client.force_login(personas.superuser)
    response = client.get("/admin/core/person/?q=110101")
    # no search fields: a search term narrows nothing, so it cannot probe a number
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三" in body and "李四" in body


def test_declared_filters_still_work(client, personas):
    client.force_login(personas.superuser)
    assert client.get("/admin/core/orgunit/?kind__exact=town").status_code == 200
    assert client.get("/admin/registers/record/?status__exact=registered").status_code == 200
    assert client.get("/admin/registers/record/?opened_on__year=2024").status_code == 200
    assert client.get("/admin/core/orgunit/?population__gte=1").status_code == 400
