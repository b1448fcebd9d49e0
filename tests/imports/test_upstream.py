"""A realistic export of a provincial 人民调解 system (written for this test, with the pitfalls of real ones),
the CLI, the template and the pages."""

import io

from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.imports.models import BatchMode
from fazhi.imports.services import import_run
from fazhi.registers.models import Record
from tests.imports.helpers import cli_json, mediation_row, xlsx


def upstream_mediation_export() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "调解案件"
    sheet.append(["东洲区人民调解案件登记台账（2024年1月）"])  # a title row above the header
    sheet.merge_cells("A1:J1")
    sheet.append(["序号", "卷宗号", "调解组织名称", "收案日期", "组织类型", "纠纷种类", "简要案情", "调解人员",
                  "调解结果", "当事人电话"])
    rows = [
        [1, "2024-HD-001", "哈达镇", 45292, "村调委会", "邻里", "相邻通行", "王五", "调解成功", "138****0001"],
        [2, "2024-HD-002", "哈达镇", "2024.1.3", "乡镇（街道）调委会", "婚姻家庭纠纷", "赡养", "王五", "成功", ""],
        [3, "２０２４-HD-003", "哈达镇　", "2024年1月4日", "村调委会", "宅基地纠纷", "宅基地界址", "赵六", "", ""],
        [4, "2024-HD-004", "哈达镇", "20240105", "交通事故纠纷人民调解委员会（交调）", "交通事故", "剐蹭", "赵六", "", ""],
        [5, "2024-HD-005", "哈达镇", "2024/01/08", "村调委会", "劳资纠纷", "欠薪", "王五", "", ""],
        [6, "2024-HD-006", "哈达镇", "2024-01-09", "村调委会", "外星人纠纷", "不明", "王五", "", ""],  # bad type
        [7, "2024-HD-002", "哈达镇", "2024.1.3", "乡镇（街道）调委会", "婚姻家庭纠纷", "赡养", "王五", "", ""],  # dup
        [8, "2024-HD-008", "哈达镇", "", "村调委会", "邻里", "漏填日期", "王五", "", ""],  # no date
        [None] * 10, [None] * 10,  # trailing empty rows
    ]
    for row in rows:
        sheet.append(row)
    hidden = book.create_sheet("字典")
    hidden.append(["卷宗号", "调解组织名称", "收案日期", "纠纷种类"])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_upstream_mediation_export_imports_with_the_expected_counts(personas):
    result = import_run(acting_user=personas.mediator, register="people_mediation",
                        content=upstream_mediation_export(), filename="台账.xlsx", mode=BatchMode.KEEP_REJECTED)
    assert (result.rows, result.accepted, result.rejected) == (8, 5, 3), result.errors
    assert [(e.row, e.code) for e in result.errors] == [(8, "value_invalid"), (9, "duplicate_in_file"),
                                                        (10, "value_required")]
    assert set(result.ignored_columns) == {"序号", "调解结果", "当事人电话"}
    assert result.ignored_sheets == ["字典"]
    assert Record.objects.get(external_id="2024-HD-003").payload["dispute_type"] == "land_housing"


def test_cli_json_and_template(personas, tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([mediation_row(1), mediation_row(2, 纠纷类型="?")]))
    out = cli_json(path, "--into", "people_mediation", "--user", "mediator", "--dry-run")
    assert {k: out[k] for k in ("rows", "accepted", "rejected", "unchanged", "updated")} == {
        "rows": 2, "accepted": 0, "rejected": 2, "unchanged": 0, "updated": 0}
    assert set(out["errors"][1]) == {"row", "column", "value", "code", "message"}
    assert Record.objects.count() == 0
    template = tmp_path / "t.xlsx"
    call_command("import", "template", "--into", "people_mediation", "-o", str(template), stdout=io.StringIO())
    book = load_workbook(template)
    assert book.sheetnames == ["数据", "选项", "填写说明"] and book["选项"].sheet_state == "hidden"
    headers = [c.value for c in book["数据"][1]]
    assert headers[:3] == ["编号", "承办单位", "受理日期"] and "纠纷类型" in headers
    assert len(book["数据"].data_validations.dataValidation) == 3  # 调解组织类型, 纠纷类型, 协议形式
    # the empty template itself is recognised (no rows, no error)
    result = import_run(acting_user=personas.mediator, register="people_mediation", content=template.read_bytes(),
                        filename="t.xlsx")
    assert (result.rows, result.errors) == (0, [])


def test_pages_dry_run_then_commit(client, personas):
    client.force_login(personas.mediator)
    page = client.get(reverse("imports:index"))
    assert page.status_code == 200 and "人民调解" in page.content.decode()
    upload = io.BytesIO(xlsx([mediation_row(1), mediation_row(2, 纠纷类型="外星")]))
    upload.name = "a.xlsx"
    response = client.post(reverse("imports:index"), {"register": "people_mediation", "mode": "keep_rejected",
                                                      "file": upload})
    assert response.status_code == 302
    batch_page = client.get(response["Location"])
    assert "第3行“纠纷类型”列" in batch_page.content.decode() and Record.objects.count() == 0
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    done = client.post(reverse("imports:commit", args=[pk]))
    assert done.status_code == 302 and Record.objects.count() == 1
    new_pk = int(done["Location"].rstrip("/").split("/")[-1])
    rejected = client.get(reverse("imports:rejected", args=[new_pk]))
    sheet = load_workbook(io.BytesIO(rejected.content)).active
    assert sheet.cell(row=1, column=sheet.max_column).value == "原因" and sheet.max_row == 2
    client.force_login(personas.other_mediator)  # another user's batch: 404
    assert client.get(reverse("imports:batch", args=[pk])).status_code == 404
    assert client.get(reverse("imports:template", args=["nope"])).status_code == 404
    assert client.get(reverse("imports:export", args=["people_mediation", "pdf"])).status_code == 404
