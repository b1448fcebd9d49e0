"""The 登记簿 menu in the navigation (issue 13): the registers each persona works with, grouped."""

import datetime as dt

from django.urls import reverse

from fazhi.registers.registry import register_definition, register_definitions
from fazhi.web.navigation import register_menu
from tests.registers.driving import create_sample


def _codes(user) -> set[str]:
    return {d.code for group in register_menu(user) for d in group.registers}


def test_the_menu_lists_what_each_persona_may_register_or_read(personas):
    every = {d.code for d in register_definitions()}
    assert _codes(personas.district_admin) == every  # may register in every register
    assert _codes(personas.superuser) == every
    assert "people_mediation" in _codes(personas.mediator)
    assert "legal_aid" in _codes(personas.legal_aid_staff)
    assert "people_mediation" not in _codes(personas.legal_aid_staff)
    assert _codes(personas.leader) == set()  # reads only; nothing recorded yet
    create_sample(register_definition("people_mediation"), user=personas.mediator, unit=personas.town,
                  opened_on=dt.date(2024, 6, 3))
    assert _codes(personas.leader) == {"people_mediation"}



def test_every_register_has_a_menu_group():
    assert all(d.menu_group for d in register_definitions())


def test_the_menu_is_on_every_page_grouped_and_without_inline_style(client, personas):
    client.force_login(personas.mediator)
    body = client.get(reverse("web:home")).content.decode()
    assert '<details class="register-menu">' in body and "登记簿" in body
    assert "矛盾纠纷化解" in body
    assert reverse("web:record_list", args=["people_mediation"]) in body
    assert "style=" not in body and "<style" not in body
    client.force_login(personas.leader)
    assert '<details class="register-menu">' not in client.get(reverse("web:home")).content.decode()
