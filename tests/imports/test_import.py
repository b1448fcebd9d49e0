"""Importing files into a register: counts, per-row errors, upserts, the pitfalls of real exports."""

import datetime as dt
import io

import pytest

from fazhi.core.models import AuditEvent, OrgUnitKind
from fazhi.core.services import orgunit_create, person_create
from fazhi.imports.models import BatchMode, ImportBatch, StagedRow
from fazhi.imports.services import import_run, register_export
from fazhi.registers.models import Record, RecordEvent
from tests.imports.helpers import MEDIATION_HEADERS, csv_bytes, mediation_row, xlsx

PM = "people_mediation"


def run(user, content, filename="f.xlsx", **kw):
    return import_run(acting_user=user, register=kw.pop("register", PM), content=content, filename=filename, **kw)


def codes(result):
    return [(e["row"], e["code"]) for e in result.as_json()["errors"]]


def test_import_then_same_file_unchanged_then_changed_row_updated_with_batch_named(personas):
    content = xlsx([mediation_row(i) for i in range(3)])
    first = run(personas.mediator, content)
    assert (first.rows, first.accepted, first.committed) == (3, 3, True)
    assert StagedRow.objects.filter(batch_id=first.batch, status="accepted").count() == 3
    again = run(personas.mediator, content)
    assert (again.accepted, again.unchanged, again.updated) == (0, 3, 0)
    changed = xlsx([mediation_row(0), mediation_row(1, 纠纷类型="婚姻家庭纠纷"), mediation_row(2)])
    third = run(personas.mediator, changed)
    assert (third.unchanged, third.updated) == (2, 1)
    record = Record.objects.get(external_id="TJ-1")
    assert record.payload["dispute_type"] == "marriage_family"
    event = RecordEvent.objects.filter(record=record, kind="updated").get()
    assert f"导入批次 #{third.batch}" in event.note
    audit = AuditEvent.objects.get(action="import.committed", object_id=str(third.batch))
    assert audit.diff["records_updated"] == [record.pk]
    assert Record.objects.count() == 3


def test_dry_run_writes_nothing_but_stages_rows(personas):
    result = run(personas.mediator, xlsx([mediation_row(i) for i in range(2)]), dry_run=True)
    assert (result.accepted, result.committed) == (2, False)
    assert Record.objects.count() == 0
    assert ImportBatch.objects.get(pk=result.batch).status == "dry_run"
    assert StagedRow.objects.filter(batch_id=result.batch).count() == 2


def test_all_or_nothing_rejects_the_batch_keep_rejected_imports_the_good_rows(personas):
    rows = [mediation_row(0), mediation_row(1, 纠纷类型="外星纠纷"), mediation_row(2, 受理日期="2024-13-45")]
    content = xlsx(rows)
    strict = run(personas.mediator, content)
    assert (strict.rejected, strict.accepted, strict.committed) == (3, 0, False)
    assert codes(strict) == [(2, "batch_rejected"), (3, "value_invalid"), (4, "date_invalid")]
    error = strict.as_json()["errors"][1]
    assert error["column"] == "纠纷类型" and "第3行“纠纷类型”列" in error["message"]
    assert Record.objects.count() == 0
    kept = run(personas.mediator, content, mode=BatchMode.KEEP_REJECTED)
    assert (kept.accepted, kept.rejected, kept.committed) == (1, 2, True)
    assert list(Record.objects.values_list("external_id", flat=True)) == ["TJ-0"]


def test_register_refusals_come_back_per_row(personas):
    # 新屯街道 is outside the mediator's units: the register service refuses it, the other row goes in.
    rows = [mediation_row(0), mediation_row(1, 承办单位="新屯街道")]
    result = run(personas.mediator, xlsx(rows), mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (1, 1)
    assert codes(result) == [(3, "unit_unknown")]  # not in the reader's jurisdiction: one answer
    other = run(personas.other_mediator, xlsx([mediation_row(5, 承办单位="新屯街道")]))
    assert other.accepted == 1


def test_csv_encodings_are_detected_and_undecodable_refused(personas):
    rows = [mediation_row(i) for i in range(2)]
    for encoding, name in (("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8-BOM"), ("gb18030", "GB18030")):
        Record.objects.all().delete()
        result = run(personas.mediator, csv_bytes(rows, encoding=encoding), "f.csv")
        assert (result.encoding, result.accepted) == (name, 2)
    bad = run(personas.mediator, b"\xff\xfe\x00\x00\x81\x30", "f.csv")
    assert codes(bad) == [(None, "encoding_unknown")] and bad.rows == 0


def test_dates_serial_and_text_full_width_and_trailing_empties(personas):
    dates = [45356, "2024.3.5", "2024年3月5日", "20240305", "2024/03/05", dt.datetime(2024, 3, 5), "２０２４－０３－０５"]
    rows = [[f"D-{i}", "哈达镇", d, "村（居）人民调解委员会", "邻里纠纷", "情况", "张三", None, None]
            for i, d in enumerate(dates)]
    rows += [[None] * 9, ["", " ", None, None, None, None, None, None, None]]
    result = run(personas.mediator, xlsx(rows, MEDIATION_HEADERS + [None, None]))
    assert (result.rows, result.accepted) == (len(dates), len(dates)), result.errors
    assert set(Record.objects.values_list("opened_on", flat=True)) == {dt.date(2024, 3, 5)}
    spaced = run(personas.mediator, xlsx([mediation_row("Ｘ１", 编号="ＴＪ－１０　", 纠纷类型=" 邻里纠纷　")]))
    assert spaced.accepted == 1 and Record.objects.filter(external_id="TJ-10").exists()


def test_duplicates_in_one_file(personas):
    result = run(personas.mediator, xlsx([mediation_row(1), mediation_row(1)]), mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (1, 1)
    assert codes(result) == [(3, "duplicate_in_file")]


def test_a_file_for_another_register_is_refused(personas):
    hotline = xlsx([["GD-1", "哈达镇", "2024-03-01", "12345电话", "城市管理", "投诉", "噪音"]],
                   ["工单编号", "承办单位", "受理日期", "诉求渠道", "诉求领域", "诉求类型", "诉求内容"])
    result = run(personas.mediator, hotline)
    assert codes(result) == [(None, "wrong_register")] and "12345" in result.errors[0].message


def test_two_row_header_and_hidden_sheets(personas):
    top = ["案件编号", "承办单位", "受理日期", "纠纷情况", None, None, "调解员"]
    bottom = [None, None, None, "调解组织类型", "纠纷类型", "纠纷简要情况", None]
    hidden = [MEDIATION_HEADERS, ["H-1", "哈达镇", "2024-03-01", "村调委会", "邻里", "隐藏", "甲"]]
    content = xlsx([["T-1", "哈达镇", "2024-03-01", "村调委会", "邻里", "两行表头", "甲"]], top,
                   header_rows=[top, bottom], sheets={"旧数据": (hidden, True)})
    result = run(personas.mediator, content)
    assert result.accepted == 1, result.errors
    assert result.ignored_sheets == ["旧数据"]
    assert list(Record.objects.values_list("external_id", flat=True)) == ["T-1"]


def test_a_unit_name_two_units_bear_is_refused_naming_both(personas):
    orgunit_create(acting_user=None, name="哈达镇", kind=OrgUnitKind.OFFICE, parent=personas.street)
    result = run(None, xlsx([mediation_row(1)]))
    assert codes(result)[0] == (2, "unit_ambiguous")
    assert "东洲区/哈达镇" in result.errors[0].message and "新屯街道/哈达镇" in result.errors[0].message


def test_identity_numbers_read_as_numbers_are_rejected_never_guessed(personas):
    person = person_create(acting_user=None, org_unit=personas.justice_bureau, name="李四", id_number="11010519491231002X")
    headers = ["编号", "承办单位", "申请日期", "受援人身份证号", "案件类型", "服务类型", "案件来源"]
    base = ["A-{}", "区司法局", "2024-03-01", None, "民事", "法律援助案件", "当事人申请"]

    def row(i, ident):
        r = list(base)
        r[0], r[3] = f"A-{i}", ident
        return r

    content = xlsx([row(1, person.id_number), row(2, 110105194912310020.0), row(3, "1.10105194912310E+17"),
                    row(4, "110105194912310021")], headers)
    result = run(personas.legal_aid_staff, content, register="legal_aid", mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (1, 3), result.errors
    assert codes(result) == [(3, "identity_as_number"), (4, "identity_as_number"), (5, "identity_invalid")]
    assert all("110105194912310" not in e.value and "110105194912310" not in e.message for e in result.errors)
    assert Record.objects.get().payload["applicant"] == person.pk


def test_missing_required_columns_and_unreadable_files(personas):
    result = run(personas.mediator, xlsx([["1", "哈达镇"]], ["编号", "承办单位"]))
    assert codes(result) in ([(None, "columns_missing")], [(None, "no_data")])
    assert codes(run(personas.mediator, xlsx([mediation_row(1)])[:300])) == [(None, "file_unreadable")]
    assert codes(run(personas.mediator, b"abc", "f.pdf")) == [(None, "format_unsupported")]


def test_export_reimports_unchanged_masked_or_not(personas):
    person = person_create(acting_user=None, org_unit=personas.justice_bureau, name="李四", id_number="11010519491231002X")
    headers = ["编号", "承办单位", "申请日期", "受援人", "案件类型", "服务类型", "案件来源", "挽回经济损失（元）", "农民工讨薪"]
    content = xlsx([["A-1", "区司法局", "2024-03-01", person.id_number, "民事", "法律援助案件", "当事人申请", "1200.5", "是"]],
                   headers)
    assert run(personas.legal_aid_staff, content, register="legal_aid").accepted == 1
    for user in (personas.legal_aid_staff, personas.district_admin, None):
        for fmt in ("xlsx", "csv"):
            exported = register_export(acting_user=user, register="legal_aid", fmt=fmt)
            again = run(personas.legal_aid_staff, exported, f"e.{fmt}", register="legal_aid")
            assert (again.rows, again.unchanged) == (1, 1), (user, fmt, again.errors)
    views = AuditEvent.objects.filter(action="personal_data.view").count()
    register_export(acting_user=None, register="legal_aid", fmt="csv")  # numbers in full: one view per record
    assert AuditEvent.objects.filter(action="personal_data.view").count() == views + 1
    csv_text = register_export(acting_user=personas.district_admin, register="legal_aid", fmt="csv").decode("utf-8-sig")
    full = person.id_number in csv_text
    assert full == __import__("fazhi.core.access", fromlist=["may"]).may(
        personas.district_admin, "personal_data.view", personas.justice_bureau)


def test_outsider_exports_nothing_of_the_district(personas):
    assert run(None, xlsx([mediation_row(1)])).accepted == 1
    csv_text = register_export(acting_user=personas.outsider, register=PM, fmt="csv").decode("utf-8-sig")
    assert "TJ-1" not in csv_text and csv_text.startswith("编号")


@pytest.mark.parametrize("synonym", ["登记日期", "收案日期"])
def test_header_synonyms(personas, synonym):
    headers = [synonym if h == "受理日期" else h for h in MEDIATION_HEADERS]
    row = mediation_row(1, 调解组织类型="村调委会")
    row[synonym] = row.pop("受理日期")
    assert run(personas.mediator, xlsx([row], headers)).accepted == 1


def test_control_characters_are_refused_and_rejected_rows_still_download(personas):
    from openpyxl import load_workbook

    from fazhi.imports.services import batch_rejected_workbook

    rows = [mediation_row(1), mediation_row(2, 纠纷简要情况="相邻\x01通行")]
    result = run(personas.mediator, csv_bytes(rows), "f.csv", mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (1, 1)
    assert codes(result) == [(3, "value_invalid")] and result.errors[0].column == "纠纷简要情况"
    sheet = load_workbook(io.BytesIO(batch_rejected_workbook(ImportBatch.objects.get(pk=result.batch)))).active
    assert sheet.cell(row=2, column=6).value == "相邻\ufffd通行"
