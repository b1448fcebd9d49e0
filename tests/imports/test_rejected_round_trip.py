"""Scope 4: the user chooses at commit between all-or-nothing and keeping the rejected rows (page, CLI, API);
the rejected rows download as .xlsx with a 原因 column, are fixed there and imported again."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from fazhi.imports.errors import ImportErrorCode
from fazhi.imports.models import ImportBatch
from fazhi.registers.models import Record
from tests.imports.helpers import cli_json, mediation_row, xlsx


def _batch_pk(response) -> int:
    assert response.status_code == 302, response.content
    return int(response["Location"].rstrip("/").split("/")[-1])


def _upload(client, content, mode):
    upload = io.BytesIO(content)
    upload.name = "台账.xlsx"
    return client.post(reverse("imports:index"), {"register": "people_mediation", "mode": mode, "file": upload})


def test_rejected_rows_download_get_fixed_and_import_again(client, personas):
    client.force_login(personas.mediator)
    rows = [mediation_row(1), mediation_row(2, 纠纷类型="外星纠纷"), mediation_row(3, 受理日期="2024.2.30"), mediation_row(4)]
    dry = _batch_pk(_upload(client, xlsx(rows), "all_or_nothing"))
    page = client.get(reverse("imports:batch", args=[dry])).content.decode()
    assert 'name="mode" value="keep_rejected"' in page  # the choice is offered again at commit
    # committing all-or-nothing writes nothing; choosing keep_rejected at commit writes the good rows
    strict = _batch_pk(client.post(reverse("imports:commit", args=[dry]), {"mode": "all_or_nothing"}))
    assert (ImportBatch.objects.get(pk=strict).status, Record.objects.count()) == ("refused", 0)
    kept = _batch_pk(client.post(reverse("imports:commit", args=[dry]), {"mode": "keep_rejected"}))
    assert ImportBatch.objects.get(pk=kept).summary["accepted"] == 2
    assert set(Record.objects.values_list("external_id", flat=True)) == {"TJ-1", "TJ-4"}
    assert client.post(reverse("imports:commit", args=[dry]), {"mode": "sometimes"}).status_code == 400

    download = client.get(reverse("imports:rejected", args=[kept]))
    book = load_workbook(io.BytesIO(download.content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    assert headers[-1] == "原因" and sheet.max_row == 3
    reasons = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=len(headers)).value for r in (2, 3)}
    assert "第3行“纠纷类型”列" in reasons["TJ-2"] and "第4行“受理日期”列" in reasons["TJ-3"]
    # fix the cells the reasons name, and import the same file again
    sheet.cell(row=2, column=headers.index("纠纷类型") + 1, value="邻里纠纷")
    sheet.cell(row=3, column=headers.index("受理日期") + 1, value="2024-02-29")
    fixed = io.BytesIO()
    book.save(fixed)
    again = _batch_pk(_upload(client, fixed.getvalue(), "all_or_nothing"))
    summary = ImportBatch.objects.get(pk=again).summary
    assert (summary["rows"], summary["accepted"], summary["errors"]) == (2, 2, [])
    assert summary["ignored_columns"] == ["原因"]
    committed = _batch_pk(client.post(reverse("imports:commit", args=[again])))
    assert ImportBatch.objects.get(pk=committed).status == "committed"
    assert Record.objects.count() == 4


def test_an_all_or_nothing_batch_downloads_every_row_and_reimports_whole(client, personas, tmp_path):
    client.force_login(personas.mediator)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([mediation_row(1), mediation_row(2, 纠纷类型="外星纠纷")]))
    out = cli_json(path, "--into", "people_mediation", "--user", "mediator")  # the CLI: all or nothing by default
    assert (out["committed"], out["rejected"]) == (False, 2)
    assert [e["code"] for e in out["errors"]] == [ImportErrorCode.BATCH_REJECTED, ImportErrorCode.VALUE_INVALID]
    sheet = load_workbook(io.BytesIO(client.get(reverse("imports:rejected", args=[out["batch"]])).content)).active
    assert sheet.max_row == 3  # the good row too, with the reason it was not imported
    sheet.cell(row=3, column=5, value="邻里纠纷")
    fixed = tmp_path / "fixed.xlsx"
    sheet.parent.save(fixed)
    again = cli_json(fixed, "--into", "people_mediation", "--user", "mediator")
    assert (again["committed"], again["accepted"], again["rejected"]) == (True, 2, 0)
    kept = cli_json(path, "--into", "people_mediation", "--user", "mediator", "--keep-rejected")
    assert (kept["unchanged"], kept["rejected"]) == (1, 1)
