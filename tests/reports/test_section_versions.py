"""Issue 12, item 6: a section save carries the version it was read at; a stale save is refused with
section_conflict (409 in the API, a page with both texts on the web) and nothing typed is lost."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.reports.errors import ReportErrorCode, SectionConflict
from fazhi.reports.models import SectionAssignment
from fazhi.reports.services import report_open, section_assign, section_save
from tests.personas import personas_build

POSTGRES = connection.vendor == "postgresql"


def _assigned(personas) -> SectionAssignment:
    report = report_open(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    return section_assign(acting_user=personas.district_admin, report=report, section="disputes",
                          org_unit=personas.town)


def _text_diffs(assignment) -> list[list[str]]:
    rows = AuditEvent.objects.filter(object_type="reports.sectionassignment", object_id=str(assignment.pk))
    return [e.diff["text"] for e in rows.order_by("pk") if "text" in e.diff]


def test_stale_save_is_refused_and_changes_nothing(personas):
    a = _assigned(personas)
    assert a.version == 0
    section_save(acting_user=personas.town_clerk, assignment=a, text="甲的稿子。", version=0)
    assert SectionAssignment.objects.get(pk=a.pk).version == 1
    stale = SectionAssignment.objects.get(pk=a.pk)
    stale.version = 0  # as read by someone who opened the page before the first save
    with pytest.raises(SectionConflict) as refused:
        section_save(acting_user=personas.town_clerk, assignment=stale, text="乙的稿子。", version=0)
    assert refused.value.code == ReportErrorCode.SECTION_CONFLICT
    assert (refused.value.current_text, refused.value.current_version) == ("甲的稿子。", 1)
    fresh = SectionAssignment.objects.get(pk=a.pk)
    assert (fresh.text, fresh.version) == ("甲的稿子。", 1)
    assert _text_diffs(a) == [["", "甲的稿子。"]]


def test_api_gives_the_version_and_answers_409_on_a_stale_save(client, personas):
    a = _assigned(personas)
    client.force_login(personas.town_clerk)
    url = reverse("api:section", args=[a.pk])
    assert client.get(url).json()["version"] == 0
    first = client.post(url, {"action": "save", "text": "第一稿。", "version": 0}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 1
    stale = client.post(url, {"action": "save", "text": "第二稿。", "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    assert (stale.json()["code"], stale.json()["field"]) == (ReportErrorCode.SECTION_CONFLICT, "version")
    assert SectionAssignment.objects.get(pk=a.pk).text == "第一稿。"


def test_web_form_shows_both_texts_on_a_stale_save(client, personas):
    a = _assigned(personas)
    client.force_login(personas.town_clerk)
    page = client.get(reverse("web:section", args=[a.pk])).content.decode()
    assert 'name="version" value="0"' in page
    save = reverse("web:section_action", args=[a.pk, "save"])
    assert client.post(save, {"text": "别人的稿子。", "version": "0"}).status_code == 302
    stale = client.post(save, {"text": "我刚写的稿子。", "version": "0"})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "别人的稿子。" in body and "我刚写的稿子。" in body and 'name="version" value="1"' in body
    assert SectionAssignment.objects.get(pk=a.pk).text == "别人的稿子。"
    bad = client.post(save, {"text": "x", "version": "abc"})
    assert bad.status_code == 400


@pytest.mark.skipif(not POSTGRES, reason="SQLite serialises writers; row locks matter on PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixteen_concurrent_saves_one_wins_per_version():
    personas = personas_build()
    a = _assigned(personas)
    section_save(acting_user=personas.town_clerk, assignment=a, text="原稿。", version=0)
    start = threading.Barrier(16)
    outcomes: dict[int, str] = {}

    def writer(n, *, with_version):
        try:
            mine = SectionAssignment.objects.select_related("report", "org_unit").get(pk=a.pk)
            start.wait()
            section_save(acting_user=personas.town_clerk, assignment=mine, text=f"第{n}稿。",
                         version=mine.version if with_version else None)
            outcomes[n] = "saved"
        except SectionConflict:
            outcomes[n] = "conflict"
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            outcomes[n] = repr(exc)
        finally:
            connections.close_all()

    def run(with_version):
        outcomes.clear()
        threads = [threading.Thread(target=writer, args=(n,), kwargs={"with_version": with_version})
                   for n in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return dict(outcomes)

    first = run(True)
    assert sorted(first.values()) == ["conflict"] * 15 + ["saved"], first
    winner = next(n for n, o in first.items() if o == "saved")
    fresh = SectionAssignment.objects.get(pk=a.pk)
    assert (fresh.text, fresh.version) == (f"第{winner}稿。", 2)

    # Without a version every save wins in turn, and each audit "before" is the text it replaced.
    second = run(False)
    assert set(second.values()) == {"saved"}, second
    diffs = _text_diffs(a)
    assert len(diffs) == 1 + 1 + 16
    assert diffs[0] == ["", "原稿。"] and diffs[1] == ["原稿。", f"第{winner}稿。"]
    for previous, event in zip(diffs, diffs[1:], strict=False):
        assert event[0] == previous[1], diffs
    assert SectionAssignment.objects.get(pk=a.pk).version == 18
