"""The pitfalls of real exports (issue 14, scope 6) not covered in test_import.py: formulas saved without their
values, headers in merged cells, 统一社会信用代码 turned into numbers, data only on a hidden sheet, a file
for another register named by its register. Every error names the row and the column in Chinese."""

import io

from openpyxl import Workbook

from fazhi.core.identity import credit_code_check_digit
from fazhi.core.services import entity_create
from fazhi.imports.errors import ImportErrorCode
from fazhi.imports.models import BatchMode, ImportBatch
from fazhi.imports.services import batch_rejected_workbook, import_run
from fazhi.registers.models import Record
from tests.imports.helpers import MEDIATION_HEADERS, csv_bytes, mediation_row, xlsx


def _book(build) -> bytes:
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _codes(result):
    return [(e.row, e.column, e.code) for e in result.errors]


def test_formulas_without_cached_values_are_refused_naming_row_and_column(personas):
    def build(book):
        sheet = book.active
        sheet.append(MEDIATION_HEADERS)
        sheet.append(list(mediation_row(1).values()))
        row = list(mediation_row(2).values())
        row[2] = "=DATE(2024,3,5)"  # openpyxl writes the formula and no value: as a program's export does
        sheet.append(row)
        row = list(mediation_row(3).values())
        row[5] = '=A2&"纠纷"'
        sheet.append(row)

    result = import_run(acting_user=personas.mediator, register="people_mediation", content=_book(build),
                        filename="公式.xlsx", mode=BatchMode.KEEP_REJECTED)
    assert (result.rows, result.accepted, result.rejected) == (3, 1, 2)
    assert _codes(result) == [(3, "受理日期", ImportErrorCode.FORMULA_UNCOMPUTED),
                              (4, "纠纷简要情况", ImportErrorCode.FORMULA_UNCOMPUTED)]
    assert result.errors[0].message.startswith("第3行“受理日期”列：是公式（=DATE(2024,3,5)）")
    assert list(Record.objects.values_list("external_id", flat=True)) == ["TJ-1"]  # never taken for empty text
    # the rejected rows' file keeps the formula as text, to be fixed
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(batch_rejected_workbook(ImportBatch.objects.get(pk=result.batch)))).active
    assert sheet.cell(row=3, column=6).value == '=A2&"纠纷"' and sheet.cell(row=3, column=6).data_type == "s"


def test_a_formula_beyond_the_last_value_is_still_seen(personas):
    def build(book):
        sheet = book.active
        sheet.append(MEDIATION_HEADERS)
        sheet.append([*list(mediation_row(1).values())[:-1], "=B2"])  # the last column is a formula only

    result = import_run(acting_user=personas.mediator, register="people_mediation", content=_book(build),
                        filename="f.xlsx")
    assert _codes(result) == [(2, "调解员", ImportErrorCode.FORMULA_UNCOMPUTED)]


def test_a_header_in_merged_cells_over_two_rows(personas):
    def build(book):
        sheet = book.active
        sheet.append(["东洲区人民调解案件台账"])
        sheet.merge_cells("A1:G1")
        sheet.append(["编号", "承办单位", "受理日期", "纠纷情况", None, None, "调解员"])
        sheet.append([None, None, None, "调解组织类型", "纠纷类型", "纠纷简要情况", None])
        for col in "ABCG":  # the one-column headers are merged down over both rows
            sheet.merge_cells(f"{col}2:{col}3")
        sheet.merge_cells("D2:F2")  # 纠纷情况 spans its three columns
        sheet.append(list(mediation_row(1).values()))
        sheet.append(list(mediation_row(2, 受理日期="2024.13.1").values()))

    result = import_run(acting_user=personas.mediator, register="people_mediation", content=_book(build),
                        filename="合并.xlsx", mode=BatchMode.KEEP_REJECTED)
    assert (result.rows, result.accepted, result.ignored_columns) == (2, 1, []), result.errors
    assert _codes(result) == [(5, "受理日期", ImportErrorCode.DATE_INVALID)]  # the sheet's own row number
    assert Record.objects.get().payload["dispute_type"] == "neighbourhood"


def test_credit_codes_read_as_numbers_are_refused_never_guessed(personas):
    first17 = "91210403MA0Q12345"
    code = first17 + credit_code_check_digit(first17)
    entity_create(acting_user=None, org_unit=personas.district, name="某公司", credit_code=code)
    numeric = "9121040312345678"  # a code of digits only (rare, but real for old registrations)
    headers = ["编号", "承办单位", "录入平台日期", "市场主体", "市场主体类型"]
    rows = [["M-1", "哈达镇", "2024-03-01", code, "企业"],
            ["M-2", "哈达镇", "2024-03-01", float(numeric + "01"), "企业"],
            ["M-3", "哈达镇", "2024-03-01", "9.12104031234568E+17", "企业"]]
    result = import_run(acting_user=None, register="business_manager_matches", content=xlsx(rows, headers),
                        filename="管家.xlsx", mode=BatchMode.KEEP_REJECTED)
    assert (result.accepted, result.rejected) == (1, 2), result.errors
    assert _codes(result) == [(3, "市场主体", ImportErrorCode.IDENTITY_AS_NUMBER),
                              (4, "市场主体", ImportErrorCode.IDENTITY_AS_NUMBER)]
    assert all("统一社会信用代码" in e.message and "丢失" in e.message for e in result.errors)
    assert all(numeric[:10] not in e.message + e.value for e in result.errors)


def test_data_only_on_a_hidden_sheet_is_not_imported_silently(personas):
    content = xlsx([["说明：数据见下一工作表"]], ["东洲区台账"],
                   sheets={"数据": ([MEDIATION_HEADERS, list(mediation_row(1).values())], True)})
    result = import_run(acting_user=personas.mediator, register="people_mediation", content=content,
                        filename="f.xlsx")
    assert _codes(result) == [(None, None, ImportErrorCode.NO_DATA)] and result.rows == 0
    assert "隐藏" in result.errors[0].message and "数据" in result.errors[0].message
    assert Record.objects.count() == 0


def test_a_file_for_another_register_names_it(personas):
    headers = ["编号", "承办单位", "申请日期", "受援人身份证号", "案件类型", "服务类型", "案件来源"]
    content = csv_bytes([["A-1", "区司法局", "2024-03-01", "", "民事", "法律援助案件", "当事人申请"]], headers)
    result = import_run(acting_user=personas.mediator, register="people_mediation", content=content,
                        filename="援助.csv")
    assert _codes(result) == [(None, None, ImportErrorCode.WRONG_REGISTER)]
    assert "法律援助" in result.errors[0].message and "人民调解" in result.errors[0].message
