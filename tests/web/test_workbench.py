"""The 待办 workbench: each persona sees what it must do, only that, and only in its jurisdiction;
the office's 催报 becomes a notice on the unit's workbench until read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.auditactions import AuditAction
from fazhi.core.models import AuditEvent, Notice, NoticeTopic
from fazhi.core.periods import Period
from fazhi.datasets.services import dataset_report_submit, datavalues_save
from fazhi.registers.selectors import clocks_due_within, records_awaiting_transition

pytestmark = pytest.mark.django_db

DS = "dispute_screening"  # entered by the town's 联络员 (clerk), approved by the office


def _page(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("web:workbench"), params)
    assert response.status_code == 200
    return response.content.decode()


def _last_year() -> Period:
    return Period.containing("year", timezone.localdate()).previous()


def test_a_mediator_sees_his_cases_and_their_overdue_clock(client, personas, mediation):
    old = mediation(personas.town, timezone.localdate() - dt.timedelta(days=45))  # 调解期限 one month: overdue
    other = mediation(personas.street, timezone.localdate())
    page = _page(client, personas.mediator)
    assert reverse("web:record", args=[old.pk]) in page
    assert reverse("web:record", args=[other.pk]) not in page  # 新屯街道 is the other mediator's
    assert 'id="wb-clocks"' in page and "调解期限" in page
    assert list(records_awaiting_transition(personas.mediator)) == [old]
    assert [c.record for c in clocks_due_within(personas.mediator, working_days=5)] == [old]
    assert list(records_awaiting_transition(personas.other_mediator)) == [other]
    # a concluded case is no longer a task, though 重新调解 could be taken from it
    mediation(personas.town, timezone.localdate(), outcome="success")
    assert list(records_awaiting_transition(personas.mediator)) == [old]


def test_a_town_clerk_sees_his_towns_data_set_and_no_case_tasks(client, personas, mediation):
    mediation(personas.town, timezone.localdate())
    page = _page(client, personas.town_clerk)
    entry = reverse("datasets:entry", args=[DS, personas.town.pk, _last_year().key])
    assert entry in page
    assert reverse("datasets:entry", args=[DS, personas.street.pk, _last_year().key]) not in page
    assert 'id="wb-records"' not in page  # a clerk takes no mediation step
    assert 'id="wb-remind"' not in page  # nor sends reminders


def test_a_submitted_data_set_leaves_the_clerks_list_and_waits_for_the_office(client, personas):
    period = _last_year()
    datavalues_save(acting_user=personas.town_clerk, dataset=DS, org_unit=personas.town, period_start=period.start,
                    values={("screened", None): 12, ("resolved", None): 10})
    dataset_report_submit(acting_user=personas.town_clerk, dataset=DS, org_unit=personas.town,
                          period_start=period.start)
    entry = reverse("datasets:entry", args=[DS, personas.town.pk, period.key])
    assert entry not in _page(client, personas.town_clerk)
    admin_page = _page(client, personas.district_admin)
    assert 'id="wb-approval"' in admin_page and entry in admin_page


def test_a_leader_has_no_entry_tasks(client, personas, mediation):
    mediation(personas.town, timezone.localdate() - dt.timedelta(days=45))
    page = _page(client, personas.leader)
    for block in ("wb-records", "wb-clocks", "wb-entry", "wb-approval", "wb-sections", "wb-remind"):
        assert f'id="{block}"' not in page, block
    assert 'id="wb-nothing"' in page


def test_an_outsider_sees_nothing_of_the_other_district(client, personas, mediation):
    record = mediation(personas.town, timezone.localdate() - dt.timedelta(days=45))
    page = _page(client, personas.outsider)
    assert reverse("web:record", args=[record.pk]) not in page
    for unit in (personas.town, personas.street, personas.district):
        assert f"/datasets/{DS}/{unit.pk}/" not in page
    assert "哈达镇" not in page and "东洲区" not in page


def test_the_days_parameter_is_validated(client, personas):
    client.force_login(personas.mediator)
    response = client.get(reverse("web:workbench"), {"days": "abc"})
    assert response.status_code == 400


def test_login_lands_on_the_workbench(settings):
    assert reverse(settings.LOGIN_REDIRECT_URL) == reverse("web:workbench")


def test_the_workbench_is_linked_first_in_the_navigation(client, personas):
    page = _page(client, personas.town_clerk)
    nav = page[page.index("<nav>"):]
    assert nav.index(reverse("web:workbench")) < nav.index('href="/"')
