"""Exports of the indicator table, the records behind a figure, the completeness table and a unit's data set
values (issue 13 item 4, issue 14 item 8): the values of the page, masked unless the role may see personal
data, within jurisdiction, audited, parameters validated; the drill-down is paginated instead of cut at 500."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.core.auditactions import AuditAction
from fazhi.core.identity import id_number_check_digit
from fazhi.core.models import AuditEvent
from fazhi.core.periods import period_parse
from fazhi.core.services import person_create
from fazhi.datasets.services import datavalues_save
from fazhi.imports.models import ExportFile, ExportKind
from fazhi.indicators.selectors import indicator_table, indicator_table_filters_parse

ID_NUMBER = "11010519491231002" + id_number_check_digit("11010519491231002")
MASKED = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
DS = "dispute_screening"


def _url(kind, subject, fmt):
    return reverse("imports:table_export", args=[kind, subject, fmt])


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:300]
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[list]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _audits(user, kind):
    return [e for e in AuditEvent.objects.filter(action=AuditAction.EXPORT_CREATE, actor=user)
            if e.diff.get("kind") == kind]


@pytest.fixture
def seeded(personas, mediation):
    zhang = person_create(acting_user=None, org_unit=personas.town, name="张三丰", id_number=ID_NUMBER)
    records = [mediation(personas.town, dt.date(2024, 3, 1), outcome="success", party=zhang.pk),
               mediation(personas.town, dt.date(2024, 5, 1), outcome="failure"),
               mediation(personas.street, dt.date(2024, 6, 1), outcome="success")]
    records += [mediation(personas.town, dt.date(2024, 1, 2) + dt.timedelta(days=i), outcome="success")
                for i in range(60)]
    return records


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_indicator_table_export_holds_the_values_of_the_page(client, personas, seeded, fmt):
    client.force_login(personas.leader)
    query = {"unit": personas.district.pk, "period": "2024", "q": "调解"}
    page = client.get(reverse("web:indicators"), query)
    assert page.status_code == 200
    response = client.get(_url("indicators", "all", fmt), query)
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert rows[0] == ["条线", "指标", "数值", "计量单位", "分子", "分母", "同比"]
    expected = indicator_table(unit=personas.district, period=period_parse("2024"),
                               filters=indicator_table_filters_parse({"q": "调解"}))
    assert len(rows) - 1 == len(expected) > 0
    assert all("调解" in r[1] for r in rows[1:])
    html = page.content.decode()
    for row, want in zip(rows[1:], expected, strict=True):
        assert row[1] == want.value.name and row[1] in html
        shown = "暂无数据" if want.shown is None else want.shown
        assert str(row[2]) == str(shown) or float(row[2]) == float(shown)
    success = next(r for r in rows[1:] if r[1] == expected[0].value.name)
    assert success[0]  # the line's Chinese name
    [audit] = _audits(personas.leader, ExportKind.INDICATORS)
    assert audit.diff["rows"] == len(expected) and audit.org_unit_id == personas.district.pk


def test_the_indicator_table_filters_and_sort_are_validated(client, personas, seeded):
    client.force_login(personas.leader)
    base = {"unit": personas.district.pk, "period": "2024"}
    for bad in ({"sort": "drop table"}, {"line": "nope"}, {"period": "2024Q9"}, {"unit": "x"},
                {"has_data": "yes"}, {"q": "a" * 51}):
        for url in (reverse("web:indicators"), _url("indicators", "all", "csv")):
            response = client.get(url, {**base, **bad})
            assert response.status_code == 400, (url, bad)
    rows = _csv(client.get(_url("indicators", "all", "csv"), {**base, "sort": "-value", "has_data": "1"}))
    values = [float(r[2]) for r in rows[1:]]
    assert values == sorted(values, reverse=True) and values


def test_an_outsider_gets_404_for_another_districts_tables(client, personas, seeded):
    client.force_login(personas.outsider)
    query = {"unit": personas.district.pk, "period": "2024"}
    assert client.get(_url("indicators", "all", "csv"), query).status_code == 404
    assert client.get(_url("indicator_records", "mediation_success", "csv"), query).status_code == 404
    assert client.get(_url("completeness", DS, "csv"), {"unit": personas.district.pk, "period": "2024"}
                      ).status_code == 404
    assert client.get(_url("dataset_values", DS, "csv"), {"unit": personas.town.pk, "period": "2024"}
                      ).status_code == 404
    assert client.get(_url("nope", DS, "csv"), query).status_code == 404
    assert client.get(_url("indicator_records", "no_such_indicator", "csv"), query).status_code == 404
    assert not ExportFile.objects.exists()
    client.logout()
    assert client.get(_url("indicators", "all", "csv"), query).status_code in (302, 403)


def test_the_drilldown_is_paginated_and_exported_in_full_masked_unless_allowed(client, personas, seeded):
    query = {"unit": personas.district.pk, "period": "2024"}
    url = reverse("web:indicator_records", args=["mediation_success"])
    client.force_login(personas.leader)
    first = client.get(url, {**query, "per_page": "25"}).content.decode()
    assert "第 1 / 3 页" in first  # 62 successes, 25 a page
    third = client.get(url, {**query, "per_page": "25", "term": "0", "page": "3"}).content.decode()
    assert "第 3 / 3 页" in third
    assert client.get(url, {**query, "term": "9"}).status_code == 400
    assert client.get(url, {**query, "per_page": "7"}).status_code == 400
    rows = _csv(client.get(_url("indicator_records", "mediation_success", "csv"), {**query, "term": "0"}))
    numbers = [r[0] for r in rows[1:]]
    assert len(numbers) == 62 == len(set(numbers))
    successes = sorted([r for r in seeded if r.outcome == "success"], key=lambda r: (r.opened_on, r.pk))
    assert numbers == [r.external_id for r in successes]  # the page's order: by opening date
    text = "\n".join(",".join(r) for r in rows)
    assert ID_NUMBER not in text and MASKED in text  # the leader may not see personal data
    [audit] = _audits(personas.leader, ExportKind.INDICATOR_RECORDS)
    assert audit.diff["personal_data"] == "masked" and audit.diff["rows"] == 62
    client.force_login(personas.district_admin)
    rows = _xlsx(client.get(_url("indicator_records", "mediation_success", "xlsx"), {**query, "term": "0"}))
    assert ID_NUMBER in [c for r in rows for c in r]
    assert AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEW, actor=personas.district_admin).exists()
    client.force_login(personas.other_mediator)  # the street's mediator sees the street's record only
    rows = _csv(client.get(_url("indicator_records", "mediation_success", "csv"),
                           {"unit": personas.street.pk, "period": "2024"}))
    assert [r[0] for r in rows[1:]] == [seeded[2].external_id]


def test_a_large_drilldown_export_runs_as_a_background_job(client, personas, seeded, settings,
                                                          django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 10
    client.force_login(personas.leader)
    query = {"unit": personas.district.pk, "period": "2024", "term": "0"}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.get(_url("indicator_records", "mediation_success", "csv"), query)
    assert response.status_code == 302 and response.url == reverse("imports:exports")
    export = ExportFile.objects.get()
    assert export.kind == ExportKind.INDICATOR_RECORDS and export.status == "queued"
    for callback in queued:
        callback()  # the worker runs the job
    export.refresh_from_db()
    assert (export.status, export.progress, export.row_count, export.masked) == ("done", 100, 62, True)
    download = client.get(reverse("imports:export_download", args=[export.pk]))
    assert len(_csv(download)) == 63
    assert export.title in client.get(reverse("imports:exports")).content.decode()
    assert len(_audits(personas.leader, ExportKind.INDICATOR_RECORDS)) == 1


def test_completeness_and_data_set_values_export_what_the_pages_show(client, personas):
    period = period_parse("2024")
    datavalues_save(acting_user=personas.town_clerk, dataset=DS, org_unit=personas.town, period_start=period.start,
                    values={("screened", None): 12, ("resolved", None): 10})
    client.force_login(personas.leader)
    page = client.get(reverse("datasets:completeness", args=[DS, period.key]), {"unit": personas.district.pk})
    assert page.status_code == 200
    rows = _csv(client.get(_url("completeness", DS, "csv"), {"unit": personas.district.pk, "period": period.key}))
    assert rows[0][0] == "单位" and len(rows) > 2
    html = page.content.decode()
    assert all(r[0] in html for r in rows[1:])
    town = next(r for r in rows[1:] if r[0] == personas.town.name)
    assert town[4] != "0" and f"{town[6]}%" in html
    filtered = client.get(reverse("datasets:completeness", args=[DS, period.key]),
                          {"unit": personas.district.pk, "sort": "-filled"})
    assert filtered.status_code == 200
    sorted_rows = _csv(client.get(_url("completeness", DS, "csv"),
                                  {"unit": personas.district.pk, "period": period.key, "sort": "-filled"}))
    assert sorted_rows[1][0] == personas.town.name
    for bad in ({"sort": "x"}, {"timeliness": "soon"}, {"status": "gone"}):
        assert client.get(reverse("datasets:completeness", args=[DS, period.key]),
                          {"unit": personas.district.pk, **bad}).status_code == 400
        assert client.get(_url("completeness", DS, "csv"),
                          {"unit": personas.district.pk, "period": period.key, **bad}).status_code == 400
    assert client.get(_url("completeness", DS, "csv"), {"unit": personas.district.pk, "period": "2024-03"}
                      ).status_code == 400  # not the data set's kind of period
    entry = client.get(reverse("datasets:entry", args=[DS, personas.town.pk, period.key]))
    assert entry.status_code == 200
    values = _xlsx(client.get(_url("dataset_values", DS, "xlsx"), {"unit": personas.town.pk, "period": period.key}))
    assert values[0] == ["指标项", "分组", "项目", "数值"]
    totals = {r[0]: r[3] for r in values[1:] if r[2] == "合计"}
    assert 12 in totals.values() and 10 in totals.values()
    assert all(r[0] in entry.content.decode() for r in values[1:])
    assert len(_audits(personas.leader, ExportKind.DATASET_VALUES)) == 1
    assert len(_audits(personas.leader, ExportKind.COMPLETENESS)) == 2
