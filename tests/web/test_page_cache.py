"""Cached figures, menus and to-do counts (core/dataversion.py): computed once per data version, and never
shown after the write that changed them — the version row is changed by triggers in the writing transaction."""

import datetime as dt
import json
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.dataversion import data_version, version_cached
from fazhi.core.models import DataVersion
from fazhi.datasets.models import DataValue
from fazhi.registers.models import RecordRollup


def _cards(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-code="([a-z_0-9]+)">.*?class="big">([^<]*)<', html, re.S))


def _chart(html: str) -> dict:
    match = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


@pytest.mark.django_db
def test_every_write_to_a_watched_table_changes_the_version(personas, mediation):
    before = data_version()
    assert before is not None
    record = mediation(personas.town, dt.date(2024, 3, 1))
    after_create = data_version()
    assert after_create != before
    RecordRollup.objects.filter(register=record.register).update(amount=0)  # raw writes too, not only services
    assert data_version() != after_create
    now = data_version()
    DataValue.objects.filter(pk=-1).delete()  # a statement that touches no row may or may not count …
    personas.town.name = "哈达镇"
    personas.town.save()  # … but a unit renamed always does
    assert data_version() != now


@pytest.mark.django_db
def test_a_rolled_back_write_never_brings_back_a_version_seen_inside_it(personas, mediation):
    before = data_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        mediation(personas.town, dt.date(2024, 3, 1))
        inside = data_version()
        assert version_cached(("probe",), lambda: "inside") == "inside"
        raise RuntimeError
    assert data_version() == before
    mediation(personas.town, dt.date(2024, 3, 2))
    assert data_version() not in (before, inside)  # the token is random: no collision with the rolled-back one
    assert version_cached(("probe",), lambda: "after") == "after"


@pytest.mark.django_db
def test_a_value_is_computed_once_per_version(personas, mediation):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert version_cached(("count-me", 1), compute) == 1
    assert version_cached(("count-me", 1), compute) == 1
    assert version_cached(("count-me", 2), compute) == 2  # another key
    mediation(personas.town, dt.date(2024, 3, 1))
    assert version_cached(("count-me", 1), compute) == 3


@pytest.mark.django_db
def test_the_cockpit_figure_changes_as_soon_as_a_record_is_written(client, personas, mediation):
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success", closed=dt.date(2024, 3, 20))
    client.force_login(personas.leader)
    url = reverse("web:cockpit")
    params = {"unit": personas.district.pk, "period": "2024", "indicator": "mediation_cases"}
    first = client.get(url, params).content.decode()
    assert _cards(first)["mediation_cases"].strip() == "1"
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url, params).content.decode()
    assert again == first or _cards(again) == _cards(first)
    assert not any("registers_recordrollup" in q["sql"] for q in cached.captured_queries)  # from the cache
    mediation(personas.street, dt.date(2024, 6, 1))
    html = client.get(url, params).content.decode()
    assert _cards(html)["mediation_cases"].strip() == "2"
    assert _chart(html)["compare"]["values"] == [1.0, 1.0]


@pytest.mark.django_db
def test_the_menu_and_the_navigation_counts_follow_writes(client, personas, mediation):
    client.force_login(personas.leader)
    nav = client.get(reverse("web:home")).content.decode().split("</nav>")[0]
    assert "/registers/people_mediation/" not in nav  # a leader registers nothing; no record yet
    mediation(personas.town, dt.date(2024, 1, 5))  # never concluded: overdue
    nav = client.get(reverse("web:home")).content.decode().split("</nav>")[0]
    assert "/registers/people_mediation/" in nav
    client.force_login(personas.mediator)
    nav = client.get(reverse("web:home")).content.decode().split("</nav>")[0]
    counts = re.search(r'href="/workbench/">[^<]*<b class="nav-count">(\d+)</b> <span class="nav-count nav-overdue">'
                       r'超期 (\d+)</span>', nav)
    assert counts, "the 待办 link carries the counts"
    total, overdue = int(counts.group(1)), int(counts.group(2))
    assert overdue >= 1 and total >= overdue
    mediation(personas.town, dt.date(2024, 1, 6))
    nav = client.get(reverse("web:home")).content.decode().split("</nav>")[0]
    assert f"超期 {overdue + 1}</span>" in nav


@pytest.mark.django_db
def test_without_the_version_row_nothing_is_cached(personas):
    DataVersion.objects.all().delete()
    assert data_version() is None
    values = iter([1, 2])
    assert version_cached(("no-row",), lambda: next(values)) == 1
    assert version_cached(("no-row",), lambda: next(values)) == 2


@pytest.mark.django_db
def test_a_kept_page_carries_each_requesters_own_csrf_token(personas):
    from django.test import Client

    from fazhi.web.page_cache import PLACEHOLDER

    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(personas.district_admin)
    second.force_login(personas.district_admin)
    assert PLACEHOLDER not in first.get(reverse("web:workbench")).content.decode()
    with CaptureQueriesContext(connection) as queries:
        html = second.get(reverse("web:workbench")).content.decode()
    assert not any("datasets_datasetreport" in q["sql"] for q in queries.captured_queries)  # the kept page
    assert PLACEHOLDER not in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token
    assert second.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
