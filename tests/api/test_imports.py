"""Importing through the API: POST /api/imports/ answers the CLI's JSON; a dry run is committed by
POST /api/imports/<batch>/commit/; the same services and permission table as the page and the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from fazhi.api.errors import ApiErrorCode
from fazhi.core.errors import CoreErrorCode
from fazhi.imports.errors import ImportErrorCode
from fazhi.imports.models import ImportBatch
from fazhi.registers.models import Record
from tests.imports.helpers import cli_json, mediation_row, xlsx

URL = "/api/imports/"
RESULT_KEYS = {"batch", "register", "dry_run", "mode", "committed", "encoding", "sheet", "rows", "accepted",
               "rejected", "unchanged", "updated", "errors", "ignored_columns", "ignored_sheets", "unit", "headers",
               "errors_omitted"}  # errors beyond the first 10,000 are counted, not listed


def _token_client(user) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


def _post(client, content, name="台账.xlsx", **fields):
    return client.post(URL, {"file": SimpleUploadedFile(name, content), "into": "people_mediation", **fields})


def test_dry_run_then_commit_with_a_token_answers_the_clis_json(personas, tmp_path):
    client = _token_client(personas.mediator)
    content = xlsx([mediation_row(1), mediation_row(2, 纠纷类型="外星纠纷"), mediation_row(3)])
    dry = _post(client, content, dry_run="true", mode="keep_rejected")
    assert dry.status_code == 200, dry.content
    body = dry.json()
    assert set(body) == RESULT_KEYS
    assert {k: body[k] for k in ("rows", "accepted", "rejected", "unchanged", "updated", "dry_run", "committed")} == {
        "rows": 3, "accepted": 2, "rejected": 1, "unchanged": 0, "updated": 0, "dry_run": True, "committed": False}
    assert body["errors"] == [{"row": 3, "column": "纠纷类型", "value": "外星纠纷", "code": ImportErrorCode.VALUE_INVALID,
                               "message": body["errors"][0]["message"]}]
    assert body["errors"][0]["message"].startswith("第3行“纠纷类型”列：")
    assert Record.objects.count() == 0
    # the CLI's JSON for the same file has the same keys and the same counts
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    cli = cli_json(path, "--into", "people_mediation", "--user", "mediator", "--dry-run", "--keep-rejected")
    assert set(cli) == RESULT_KEYS
    assert {k: cli[k] for k in ("rows", "accepted", "rejected", "errors")} == {
        k: body[k] for k in ("rows", "accepted", "rejected", "errors")}

    # at commit the user chooses: all or nothing refuses the whole batch, keep_rejected writes the good rows
    strict = client.post(reverse("api:import_commit", args=[body["batch"]]), {"mode": "all_or_nothing"},
                         content_type="application/json").json()
    assert (strict["committed"], strict["rejected"], Record.objects.count()) == (False, 3, 0)
    kept = client.post(reverse("api:import_commit", args=[body["batch"]]), {}, content_type="application/json")
    assert kept.status_code == 200
    assert (kept.json()["committed"], kept.json()["accepted"], kept.json()["mode"]) == (True, 2, "keep_rejected")
    assert set(Record.objects.values_list("external_id", flat=True)) == {"TJ-1", "TJ-3"}
    again = client.post(reverse("api:import_commit", args=[kept.json()["batch"]]), {}, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, ImportErrorCode.BATCH_NOT_DRY_RUN)


def test_the_same_file_twice_is_unchanged(client, personas):
    client.force_login(personas.mediator)
    content = xlsx([mediation_row(1)])
    assert _post(client, content).json()["accepted"] == 1
    second = _post(client, content).json()
    assert (second["accepted"], second["unchanged"], second["committed"]) == (0, 1, True)


def test_a_town_clerk_cannot_import_into_another_towns_unit(client, personas):
    client.force_login(personas.mediator)
    other_town = _post(client, xlsx([mediation_row(1, 承办单位="新屯街道")])).json()
    missing = _post(client, xlsx([mediation_row(2, 承办单位="没有这个镇")])).json()
    assert [e["code"] for e in other_town["errors"]] == [ImportErrorCode.UNIT_UNKNOWN]
    # one answer for a unit outside the jurisdiction and a unit that does not exist
    assert other_town["errors"][0]["message"].replace("新屯街道", "X") == missing["errors"][0]["message"].replace(
        "没有这个镇", "X")
    by_option = _post(client, xlsx([{k: v for k, v in mediation_row(3).items() if k != "承办单位"}]), unit="新屯街道").json()
    assert [(e["row"], e["code"]) for e in by_option["errors"]] == [(None, ImportErrorCode.UNIT_UNKNOWN)]
    assert Record.objects.count() == 0


def test_an_outsider_gets_the_same_answer_for_a_forbidden_and_a_missing_unit(client, personas):
    client.force_login(personas.outsider)
    forbidden = _post(client, xlsx([mediation_row(1)])).json()
    missing = _post(client, xlsx([mediation_row(1, 承办单位="没有这个镇")])).json()
    assert forbidden["errors"][0]["code"] == missing["errors"][0]["code"] == ImportErrorCode.UNIT_UNKNOWN
    assert forbidden["errors"][0]["message"].replace("哈达镇", "X") == missing["errors"][0]["message"].replace(
        "没有这个镇", "X")
    # nor may they commit someone else's dry run: another user's batch is a 404
    other = _token_client(personas.mediator)
    batch = _post(other, xlsx([mediation_row(5)]), dry_run="true").json()["batch"]
    refused = client.post(reverse("api:import_commit", args=[batch]), {}, content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (404, CoreErrorCode.NOT_FOUND)
    assert ImportBatch.objects.filter(status="committed").count() == 0


def test_who_may_not_create_records_is_refused(client, personas):
    client.force_login(personas.leader)  # read-only
    refused = _post(client, xlsx([mediation_row(1)]))
    assert (refused.status_code, refused.json()["code"]) == (403, CoreErrorCode.FORBIDDEN)
    client.force_login(personas.legal_aid_staff)  # may create 法律援助 records, not 人民调解 ones
    refused = _post(client, xlsx([mediation_row(1)]))
    assert (refused.status_code, refused.json()["code"]) == (403, CoreErrorCode.FORBIDDEN)
    assert "人民调解" in refused.json()["message"]
    assert Client().post(URL, {}).status_code in (401, 403)


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({}, ApiErrorCode.FIELD_REQUIRED, "file"),
    ({"into": "no_such"}, ApiErrorCode.FIELD_INVALID, "into"),
    ({"mode": "sometimes"}, ApiErrorCode.FIELD_INVALID, "mode"),
    ({"dry_run": "perhaps"}, ApiErrorCode.FIELD_INVALID, "dry_run"),
])
def test_bad_requests_are_coded_400s_naming_the_field(client, personas, fields, code, field):
    client.force_login(personas.mediator)
    data = {"into": "people_mediation", **fields}
    if field != "file":
        data["file"] = SimpleUploadedFile("a.xlsx", xlsx([mediation_row(1)]))
    response = client.post(URL, data)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (code, field)


def test_a_file_refused_as_a_whole_comes_back_with_row_null(client, personas):
    client.force_login(personas.mediator)
    body = _post(client, b"not a spreadsheet", "a.pdf").json()
    assert body["rows"] == 0 and body["errors"][0]["row"] is None
    assert body["errors"][0]["code"] == ImportErrorCode.FORMAT_UNSUPPORTED


def test_the_import_endpoints_are_in_the_schema_and_the_root(client, personas):
    client.force_login(personas.mediator)
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/imports/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert "/api/imports/{id}/commit/" in schema["paths"]
    assert "ImportResult" in schema["components"]["schemas"]
    assert "imports" in {r["name"] for r in client.get("/api/").json()}
