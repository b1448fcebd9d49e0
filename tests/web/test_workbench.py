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


# --- 催报 -----------------------------------------------------------------------------------------


@pytest.fixture
def office(personas):
    from django.contrib.auth import get_user_model

    from fazhi.core.models import Role
    from fazhi.core.services import membership_grant

    user = get_user_model().objects.create_user(username="office_staff", password="pw")
    membership_grant(acting_user=None, user=user, role=Role.objects.get(code="office_staff"), org_unit=personas.district)
    return user


def _remind_dataset(client, user, personas):
    client.force_login(user)
    return client.post(reverse("web:reminder_send"), {
        "topic": "dataset_report", "dataset": DS, "period": _last_year().key, "root": personas.district.pk})


def test_the_office_reminds_the_units_that_have_not_submitted(client, personas, office):
    period = _last_year()
    datavalues_save(acting_user=personas.district_admin, dataset=DS, org_unit=personas.street,
                    period_start=period.start, values={("screened", None): 3, ("resolved", None): 3})
    dataset_report_submit(acting_user=personas.district_admin, dataset=DS, org_unit=personas.street,
                          period_start=period.start, at=timezone.make_aware(dt.datetime.combine(period.end, dt.time(9))))
    page = _page(client, office)
    assert 'id="wb-remind"' in page and 'name="topic" value="dataset_report"' in page
    assert _remind_dataset(client, office, personas).status_code == 302
    notices = Notice.objects.filter(topic=NoticeTopic.DATASET_REPORT, subject=DS, period_code=period.code)
    assert personas.town in {n.org_unit for n in notices}
    assert personas.street not in {n.org_unit for n in notices}  # it submitted on time
    assert AuditEvent.objects.filter(action=AuditAction.NOTICE_SENT).count() == notices.count()
    # sent again while unread: nobody gets a second notice
    _remind_dataset(client, office, personas)
    assert Notice.objects.filter(topic=NoticeTopic.DATASET_REPORT).count() == notices.count()

    # the town's clerk sees it on the workbench, linked to the entry page, until he marks it read
    town_notice = notices.get(org_unit=personas.town)
    clerk_page = _page(client, personas.town_clerk)
    assert 'id="wb-notices"' in clerk_page and town_notice.title in clerk_page
    assert reverse("datasets:entry", args=[DS, personas.town.pk, period.key]) in clerk_page
    assert town_notice.title not in _page(client, personas.leader)  # a leader enters nothing
    assert town_notice.title not in _page(client, personas.outsider)
    assert client.post(reverse("web:notice_read", args=[town_notice.pk])).status_code == 404  # outsider: 404
    client.force_login(personas.town_clerk)
    assert client.post(reverse("web:notice_read", args=[town_notice.pk])).status_code == 302
    town_notice.refresh_from_db()
    assert town_notice.read_at is not None and town_notice.read_by == personas.town_clerk
    assert AuditEvent.objects.filter(action=AuditAction.NOTICE_READ, object_id=str(town_notice.pk)).count() == 1
    assert 'id="wb-notices"' not in _page(client, personas.town_clerk)


def test_only_holders_of_reminder_send_may_remind(client, personas):
    for user in (personas.town_clerk, personas.leader, personas.mediator):
        assert _remind_dataset(client, user, personas).status_code == 403, user
    assert not Notice.objects.exists()
    # the outsider holds reminder.send, but not over 东洲区: the same 404 as a missing unit
    assert _remind_dataset(client, personas.outsider, personas).status_code == 404
    assert not Notice.objects.exists()


def test_the_service_refuses_units_outside_the_senders_reach(personas):
    from fazhi.core.access import AccessDenied
    from fazhi.core.services import notices_send

    with pytest.raises(AccessDenied) as refused:
        notices_send(acting_user=personas.outsider, org_units=[personas.town], topic=NoticeTopic.DATASET_REPORT,
                     subject=DS, title="请报送")
    assert refused.value.code == "forbidden"


def test_a_late_section_can_be_reminded_and_shows_on_the_writers_workbench(client, personas, office):
    from fazhi.reports.services import report_open, section_assign, section_step

    report = report_open(acting_user=office, org_unit=personas.district, year=timezone.localdate().year)
    late = section_assign(acting_user=office, report=report, section="disputes", org_unit=personas.town,
                          deadline=timezone.localdate() - dt.timedelta(days=3))
    page = _page(client, personas.town_clerk)
    assert 'id="wb-sections"' in page and reverse("web:section", args=[late.pk]) in page
    assert f'name="assignment" value="{late.pk}"' in _page(client, office)
    client.force_login(office)
    client.post(reverse("web:reminder_send"), {"topic": "report_section", "assignment": late.pk})
    notice = Notice.objects.get(topic=NoticeTopic.REPORT_SECTION)
    assert notice.org_unit == personas.town and notice.subject == str(late.pk)
    assert notice.title in _page(client, personas.town_clerk)
    assert notice.title not in _page(client, personas.mediator)  # a mediator writes no section
    # returned with a comment: the writer sees the comment on the workbench
    from fazhi.reports.services import section_save, section_submit

    section_save(acting_user=personas.town_clerk, assignment=late, text="本镇矛盾纠纷排查化解情况。")
    section_submit(acting_user=personas.town_clerk, assignment=late)
    section_step(acting_user=office, assignment=late, step="return", comment="请补充调解成功率")
    assert "请补充调解成功率" in _page(client, personas.town_clerk)


def test_a_bad_reminder_request_is_a_coded_400(client, personas, office):
    client.force_login(office)
    assert client.post(reverse("web:reminder_send"), {"topic": "nonsense"}).status_code == 400
    assert client.post(reverse("web:reminder_send"), {"topic": "dataset_report", "dataset": "nope"}).status_code == 400


def test_unit_ids_where_each_agrees_with_units_where(personas):
    from fazhi.core import access
    from fazhi.core.access import Perm
    from fazhi.datasets.registry import dataset_definitions

    definitions = [None, *dataset_definitions()]
    for user in personas.all_users().values():
        for perm in (Perm.DATASET_ENTER, Perm.DATASET_APPROVE, Perm.SECTION_WRITE):
            each = access.unit_ids_where_each(user, perm, definitions)
            for definition, ids in zip(definitions, each, strict=True):
                expected = set(access.units_where(user, perm, definition=definition).values_list("pk", flat=True))
                assert ids == expected, (user, perm, definition and definition.code)
    assert access.unit_ids_where_each(personas.superuser, Perm.DATASET_ENTER, definitions) == [None] * len(definitions)


def test_the_late_counts_agree_with_the_completeness_page(personas, office):
    from fazhi.datasets.selectors import Timeliness, dataset_completeness, datasets_late_units

    late = datasets_late_units(office)
    assert late
    for row in late:
        full = dataset_completeness(office, dataset=row.definition.code, period=row.period, root=row.root)
        assert row.missing == full.counts[Timeliness.MISSING] and row.due_on == full.due_on
