"""Exports of the filtered record list (issue 13 item 4, issue 14 item 8): exactly the filtered records, masked
unless the role sees personal data, audited, formula injection neutralised, kept and purged."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.core.auditactions import AuditAction
from fazhi.core.identity import id_number_check_digit
from fazhi.core.models import AuditEvent
from fazhi.core.services import person_create
from fazhi.imports.models import ExportFile
from fazhi.imports.services import export_run, exports_purge, import_run
from fazhi.imports.spreadsheet_text import csv_text_quote, csv_text_unquote, formula_like
from fazhi.registers.registry import register_definition
from tests.registers.driving import create_sample

D = dt.date(2024, 6, 3)
ID_NUMBER = "11010519491231002" + id_number_check_digit("11010519491231002")
MASKED = ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
LIST = reverse("web:record_list", args=["people_mediation"])
INJECTED = ['=HYPERLINK("http://evil.example","点此")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "'=already"]


@pytest.fixture
def listed(personas):
    mediation = register_definition("people_mediation")
    zhang = person_create(acting_user=None, org_unit=personas.town, name="张三丰", id_number=ID_NUMBER)
    return {
        "zhang": create_sample(mediation, user=personas.mediator, unit=personas.town, opened_on=D,
                               payload={"party": zhang.pk, "summary": INJECTED[0], "mediator_name": INJECTED[1]}),
        "other": create_sample(mediation, user=personas.mediator, unit=personas.town,
                               opened_on=D + dt.timedelta(days=40), payload={"summary": "邻里噪音"}),
        "street": create_sample(mediation, user=personas.other_mediator, unit=personas.street, opened_on=D,
                                payload={"summary": "宅基地"}),
    }


def _export(client, fmt, **params):
    return client.get(reverse("imports:export", args=["people_mediation", fmt]), params)


def _csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, so Excel opens it
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_export_holds_exactly_the_filtered_records(client, personas, listed):
    client.force_login(personas.district_admin)
    rows = _csv_rows(_export(client, "csv", opened_from="2024-07-01"))
    assert [r[0] for r in rows[1:]] == [listed["other"].external_id]
    rows = _csv_rows(_export(client, "csv", sort="external_id"))
    ids = [r[0] for r in rows[1:]]
    assert ids == sorted(ids) and set(ids) == {r.external_id for r in listed.values()}
    book = load_workbook(io.BytesIO(_export(client, "xlsx", unit=personas.town.pk).content))
    sheet = book.active
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {listed["zhang"].external_id,
                                                                    listed["other"].external_id}


def test_a_town_clerk_exports_only_the_town_and_an_outsider_nothing(client, personas, listed):
    client.force_login(personas.town_clerk)
    ids = {r[0] for r in _csv_rows(_export(client, "csv"))[1:]}
    assert listed["street"].external_id not in ids and listed["zhang"].external_id in ids
    client.force_login(personas.outsider)
    assert _csv_rows(_export(client, "csv"))[1:] == []
    assert _export(client, "csv", unit=personas.town.pk).status_code == 400


def test_personal_numbers_are_masked_unless_the_role_sees_personal_data(client, personas, listed):
    client.force_login(personas.mediator)
    body = b"".join([_export(client, "csv").content]).decode("utf-8-sig")
    assert ID_NUMBER not in body and MASKED in body
    assert ExportFile.objects.get(created_by=personas.mediator).masked
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEW, actor=personas.mediator).exists()
    client.force_login(personas.district_admin)
    body = _export(client, "csv").content.decode("utf-8-sig")
    assert ID_NUMBER in body
    view = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEW, actor=personas.district_admin)
    assert view.object_id == str(listed["zhang"].pk)


def test_each_export_is_audited_with_its_filters_and_never_the_searched_number(client, personas, listed):
    client.force_login(personas.district_admin)
    found = client.post(LIST, {"id_number": ID_NUMBER})
    token = found.url.split("party_token=")[1].split("&")[0]
    response = _export(client, "xlsx", party_token=token, status="registered")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [row[0].value for row in book.active.iter_rows(min_row=2)] == [listed["zhang"].external_id]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_CREATE)
    made = ExportFile.objects.get()
    assert event.actor == personas.district_admin and event.object_id == str(made.pk)
    assert event.diff["rows"] == 1 and event.diff["format"] == "xlsx" and event.diff["personal_data"] == "full"
    assert event.diff["filters"]["status"] == "registered"
    assert ID_NUMBER not in str(event.diff) and token not in str(event.diff) and ID_NUMBER not in str(made.filters)


def test_formula_like_text_is_neutralised_in_both_formats(client, personas, listed):
    client.force_login(personas.district_admin)
    rows = _csv_rows(_export(client, "csv", q=listed["zhang"].external_id))
    cells = rows[1]
    assert "'" + INJECTED[0] in cells and "'" + INJECTED[1] in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for row in rows for c in row)
    sheet = load_workbook(io.BytesIO(_export(client, "xlsx", q=listed["zhang"].external_id).content)).active
    formula_cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and formula_like(c.value)]
    assert {c.value for c in formula_cells} == {INJECTED[0], INJECTED[1]}  # the text itself, unchanged …
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_cells)  # … stored as text, never a formula


@pytest.mark.parametrize("text", [*INJECTED, "普通文字", "'普通", "''=x", "", "-"])
def test_csv_quoting_is_undone_by_the_reader(text):
    quoted = csv_text_quote(text)
    assert not quoted.startswith(("=", "+", "-", "@"))
    assert csv_text_unquote(quoted) == text


def test_an_exported_list_with_formula_text_reimports_unchanged(client, personas, listed):
    client.force_login(personas.district_admin)
    for fmt in ("csv", "xlsx"):
        content = _export(client, fmt, unit=personas.town.pk).content
        result = import_run(acting_user=personas.district_admin, register="people_mediation", content=content,
                            filename=f"e.{fmt}")
        assert (result.unchanged, result.rejected, result.accepted) == (2, 0, 0), result.errors


def test_malformed_export_parameters_are_coded_400s(client, personas, listed):
    client.force_login(personas.district_admin)
    for params in ({"sort": "payload"}, {"per_page": "9999"}, {"opened_to": "x"}):
        response = _export(client, "csv", **params)
        assert response.status_code == 400 and response.context["error"].code == "param_invalid"
    response = _export(client, "csv", q=ID_NUMBER)
    assert response.status_code == 400 and response.context["error"].code == "personal_data_in_url"
    assert _export(client, "pdf").status_code == 404
    assert not ExportFile.objects.exists() and not AuditEvent.objects.filter(action=AuditAction.EXPORT_CREATE).exists()


def test_too_large_an_export_is_refused_with_its_code(client, personas, listed, settings):
    settings.FAZHI_EXPORT_MAX_ROWS = 1
    client.force_login(personas.district_admin)
    response = _export(client, "xlsx")
    assert response.status_code == 400 and response.context["error"].code == "export_too_large"
    assert _export(client, "xlsx", opened_from="2024-07-01").status_code == 200


def test_exports_are_kept_for_their_author_only_and_purged_after_the_retention(client, personas, listed, settings):
    client.force_login(personas.mediator)
    _export(client, "csv")
    made = ExportFile.objects.get()
    page = client.get(reverse("imports:exports"))
    assert page.status_code == 200 and reverse("imports:export_download", args=[made.pk]) in page.content.decode()
    again = client.get(reverse("imports:export_download", args=[made.pk]))
    assert again.status_code == 200 and again.content == bytes(made.content)
    client.force_login(personas.district_admin)
    assert client.get(reverse("imports:export_download", args=[made.pk])).status_code == 404
    assert exports_purge(acting_user=None) == 0
    settings.FAZHI_EXPORT_RETENTION_DAYS = 7
    ExportFile.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    call_command("exports", "purge", stdout=io.StringIO())
    assert not ExportFile.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_PURGE).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT_CREATE).count() == 1  # the trail stays


@pytest.fixture
def background(settings):
    """Exports above one row go to the background; the job runs at once (django-tasks' immediate backend)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 1


def test_a_large_export_runs_as_a_background_job_with_its_progress(client, personas, listed, background, settings,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(personas.district_admin)
    found = client.post(LIST, {"id_number": ID_NUMBER})
    token = found.url.split("party_token=")[1].split("&")[0]
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _export(client, "xlsx", unit=personas.town.pk)
    assert response.status_code == 302 and response.url == reverse("imports:exports")
    made = ExportFile.objects.get()
    assert made.status == "queued" and made.progress == 0
    row = client.get(reverse("imports:export_progress", args=[made.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in row and "<progress" in row  # the page polls while the job runs
    assert client.get(reverse("imports:export_download", args=[made.pk])).status_code == 404  # not yet
    for callback in queued:
        callback()
    made.refresh_from_db()
    assert (made.status, made.progress, made.row_count, made.masked) == ("done", 100, 2, False)
    row = client.get(reverse("imports:export_progress", args=[made.pk])).content.decode()
    assert "hx-trigger" not in row and reverse("imports:export_download", args=[made.pk]) in row
    book = load_workbook(io.BytesIO(client.get(reverse("imports:export_download", args=[made.pk])).content))
    assert {r[0].value for r in book.active.iter_rows(min_row=2)} == {listed["zhang"].external_id,
                                                                      listed["other"].external_id}
    event = AuditEvent.objects.get(action=AuditAction.EXPORT_CREATE)
    assert event.object_id == str(made.pk) and event.diff["rows"] == 2
    # A party searched by 身份证号: the job's stored arguments hold the people's ids, never the number.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        _export(client, "csv", party_token=token, unit=personas.town.pk)
    from django_tasks_db.models import DBTaskResult

    stored = DBTaskResult.objects.get()
    assert ID_NUMBER not in str(stored.args_kwargs) and token not in str(stored.args_kwargs)
    export_run(**stored.args_kwargs["kwargs"])  # what the worker does
    party_export = ExportFile.objects.latest("pk")
    assert party_export.status == "done" and party_export.row_count == 1


def test_a_background_export_is_refused_when_too_large_and_fails_visibly(client, personas, listed, background,
                                                                         settings, django_capture_on_commit_callbacks):
    settings.FAZHI_EXPORT_MAX_ROWS = 2
    client.force_login(personas.district_admin)
    response = _export(client, "csv")
    assert response.status_code == 400 and response.context["error"].code == "export_too_large"
    assert not ExportFile.objects.exists()
