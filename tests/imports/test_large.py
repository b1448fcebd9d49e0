"""Large files (issue 14 item 7): checked and written chunk by chunk, background jobs with their progress."""

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.imports import services
from fazhi.imports.models import BatchMode, ImportBatch, StagedRow
from fazhi.imports.services import import_run
from fazhi.registers.models import Record
from tests.imports.helpers import cli_json, csv_bytes, mediation_row, xlsx

PM = "people_mediation"


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "IMPORT_CHUNK", 5)


def test_progress_advances_chunk_by_chunk_to_the_end(personas, small_chunks):
    seen = []
    result = import_run(acting_user=personas.mediator, register=PM, content=xlsx([mediation_row(i) for i in range(23)]),
                        filename="f.xlsx", progress=seen.append)
    assert (result.rows, result.accepted, result.committed) == (23, 23, True)
    assert seen == sorted(set(seen)) and seen[-1] == 100  # only forward
    assert len([p for p in seen if 0 < p < 50]) >= 3  # checking, chunk by chunk
    assert len([p for p in seen if 50 < p < 100]) >= 3  # writing, chunk by chunk
    batch = ImportBatch.objects.get(pk=result.batch)
    assert (batch.state, batch.progress) == ("done", 100)
    assert not StagedRow.objects.filter(batch=batch, data__isnull=False).exists()  # nothing left pending
    assert Record.objects.count() == 23


def test_a_duplicate_in_a_later_chunk_names_the_first_row(personas, small_chunks):
    rows = [mediation_row(i) for i in range(12)]
    rows[10] = mediation_row(2)  # the 编号 of spreadsheet row 4, in the third chunk
    result = import_run(acting_user=personas.mediator, register=PM, content=xlsx(rows), filename="f.xlsx",
                        mode=BatchMode.KEEP_REJECTED)
    assert (result.rows, result.accepted, result.rejected) == (12, 11, 1)
    [error] = result.errors
    assert (error.row, error.code) == (12, "duplicate_in_file") and "与第4行重复" in error.message


def test_a_bad_row_in_a_later_chunk_refuses_the_whole_batch(personas, small_chunks):
    """All or nothing across chunks: the chunks written before the bad row's are rolled back."""
    rows = [mediation_row(i) for i in range(14)]
    before = Record.objects.count()
    # Refused by the register, not by the cells: a 受理日期 in the future is found when writing.
    rows[12] = mediation_row(12, 受理日期="2999-01-01")
    result = import_run(acting_user=personas.mediator, register=PM, content=xlsx(rows), filename="f.xlsx")
    assert (result.rows, result.rejected, result.committed) == (14, 14, False)
    assert Record.objects.count() == before
    assert [e.code for e in result.errors].count("batch_rejected") == 13
    kept = import_run(acting_user=personas.mediator, register=PM, content=xlsx(rows), filename="f.xlsx",
                      mode=BatchMode.KEEP_REJECTED)
    assert (kept.accepted, kept.rejected, kept.committed) == (13, 1, True)
    assert Record.objects.count() == before + 13
    dry = import_run(acting_user=personas.mediator, register=PM, content=xlsx(rows), filename="f.xlsx", dry_run=True,
                     mode=BatchMode.KEEP_REJECTED)
    assert (dry.unchanged, dry.rejected) == (13, 1)


def test_the_cli_streams_a_large_file_from_the_disk(personas, tmp_path, monkeypatch, small_chunks):
    command = importlib.import_module("fazhi.imports.management.commands.import")
    monkeypatch.setattr(command, "STREAM_BYTES", 0)
    path = tmp_path / "large.csv"
    path.write_bytes(csv_bytes([mediation_row(i) for i in range(11)], encoding="gb18030"))
    out = cli_json(path, "--into", PM, "--user", personas.mediator.username)
    assert (out["rows"], out["accepted"], out["encoding"]) == (11, 11, "GB18030")
    assert bytes(ImportBatch.objects.get(pk=out["batch"]).content) == b""  # not kept: committed from the disk


def test_a_large_upload_runs_as_a_background_job_with_its_progress_on_the_batch_page(
        client, personas, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FAZHI_IMPORT_BACKGROUND_BYTES = 1
    client.force_login(personas.mediator)
    upload = SimpleUploadedFile("large.xlsx", xlsx([mediation_row(i) for i in range(4)]))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("imports:index"), {"register": PM, "file": upload, "mode": "all_or_nothing"})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    assert (batch.state, batch.progress) == ("queued", 0)
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and '<progress max="100" value="0">' in page  # polls while queued
    ImportBatch.objects.filter(pk=batch.pk).update(state="running", progress=37)
    page = client.get(response.url).content.decode()
    assert '<progress max="100" value="37">' in page and "处理中" in page
    ImportBatch.objects.filter(pk=batch.pk).update(state="queued", progress=0)
    for callback in queued:
        callback()  # the immediate backend runs the job now
    batch.refresh_from_db()
    assert (batch.state, batch.progress, batch.status, batch.summary["accepted"]) == ("done", 100, "dry_run", 4)
    assert Record.objects.count() == 0
    polled = client.get(response.url, headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"  # the page reloads itself to show the result
    assert "<progress" not in polled.content.decode() and "正式导入" in polled.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        committed = client.post(reverse("imports:commit", args=[batch.pk]))
    done = ImportBatch.objects.latest("pk")
    assert committed.url == reverse("imports:batch", args=[done.pk]) and done.pk != batch.pk
    assert (done.state, done.status, done.summary["accepted"]) == ("done", "committed", 4)
    assert Record.objects.count() == 4


def test_a_failed_background_job_is_shown_on_its_page(client, personas, settings, monkeypatch,
                                                       django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.FAZHI_IMPORT_BACKGROUND_BYTES = 1

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "import_batch_run", broken)
    client.force_login(personas.mediator)
    upload = SimpleUploadedFile("large.csv", csv_bytes([mediation_row(1)]))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse("imports:index"), {"register": PM, "file": upload, "mode": "all_or_nothing"})
    for callback in queued:
        callback()  # the immediate backend records the task as failed
    batch = ImportBatch.objects.get()
    assert batch.state == "failed"
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "导入失败" in page and "disk full" not in page and "<progress" not in page
