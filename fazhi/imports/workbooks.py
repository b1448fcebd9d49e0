"""Writing .xlsx/.csv files: import templates, rejected rows with their reasons, register exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fazhi.datasets.definitions import DatasetDefinition, ElementDef
from fazhi.registers.definitions import FieldType, RegisterDefinition

from .columns import EXTERNAL_ID, OPENED_ON, ORG_UNIT, register_targets
from .spreadsheet_text import csv_text_quote, formula_like

_RULES = {
    FieldType.TEXT: "文字",
    FieldType.INT: "整数",
    FieldType.DECIMAL: "数字",
    FieldType.MONEY: "金额（元），不能为负数，保留两位小数",
    FieldType.DATE: "日期，如 2024-03-05（也可写 2024/3/5、2024.3.5、2024年3月5日、20240305）",
    FieldType.BOOL: "是 或 否",
    FieldType.CHOICE: "从下拉列表中选择",
    FieldType.PERSON: "已登记人员的18位身份证号（单元格须为文本格式，否则后几位会丢失）",
    FieldType.ORG_UNIT: "单位名称或行政区划代码",
    FieldType.ENTITY: "已登记市场主体的18位统一社会信用代码（单元格须为文本格式）",
}
_KEY_RULES = {
    EXTERNAL_ID: "本登记簿内唯一的编号；再次导入同一编号时更新该记录，内容相同则不变",
    ORG_UNIT: "承办单位的名称或行政区划代码；名称重复时须用代码",
    OPENED_ON: _RULES[FieldType.DATE],
}
_BOLD = Font(bold=True)
_REQUIRED = PatternFill("solid", fgColor="FCE4D6")


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_workbook(definition: RegisterDefinition) -> bytes:
    """An empty import file: Chinese headers (required ones shaded), a drop-down for every choice field, and
    a 填写说明 sheet with each column's rules; the choices' lists live on a hidden sheet."""
    book = Workbook()
    data = book.active
    data.title = "数据"
    options = book.create_sheet("选项")
    options.sheet_state = "hidden"
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "填写规则"])
    for cell in notes[1]:
        cell.font = _BOLD
    targets = register_targets(definition)
    option_col = 0
    for j, target in enumerate(targets, start=1):
        cell = data.cell(row=1, column=j, value=target.name)
        cell.font = _BOLD
        if target.required:
            cell.fill = _REQUIRED
        letter = get_column_letter(j)
        data.column_dimensions[letter].width = max(12, len(target.name) * 2 + 2)
        field = target.field
        rule = _KEY_RULES.get(target.key) or (_RULES[field.type] if field else "")
        if field is not None and field.type == FieldType.CHOICE:
            option_col += 1
            labels = list((field.choices or {}).values())
            options.cell(row=1, column=option_col, value=field.name)
            for i, label in enumerate(labels, start=2):
                options.cell(row=i, column=option_col, value=label)
            col = get_column_letter(option_col)
            validation = DataValidation(type="list", formula1=f"=选项!${col}$2:${col}${len(labels) + 1}",
                                        allow_blank=not target.required, showErrorMessage=True,
                                        error=f"请从列表中选择{field.name}", errorTitle="选项无效")
            validation.add(f"{letter}2:{letter}10000")
            data.add_data_validation(validation)
            rule = f"{rule}：{'、'.join(labels)}"
        if field is not None and field.type in (FieldType.PERSON, FieldType.ENTITY, FieldType.TEXT, FieldType.DATE):
            for r in range(2, 1002):
                data.cell(row=r, column=j).number_format = "@" if field.type != FieldType.DATE else "yyyy-mm-dd"
        if target.key == EXTERNAL_ID:
            for r in range(2, 1002):
                data.cell(row=r, column=j).number_format = "@"
        if field is not None and field.help:
            rule = f"{rule}（{field.help}）"
        notes.append([target.name, "必填" if target.required else "选填", rule])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 90
    data.freeze_panes = "A2"
    return _save(book)


def rows_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook, written row by row (openpyxl's write-only mode keeps memory flat for a large
    export). Text that looks like a formula is written as text with the quote prefix (spreadsheet_text)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header_cells = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=_xlsx_value(name))
        cell.font = _BOLD
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    return _save(book)


def _xlsx_cell(sheet, value: Any) -> Any:
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    value = _xlsx_value(value)
    if isinstance(value, str) and formula_like(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would store text starting with = as a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    return value


def _xlsx_value(value: Any) -> Any:
    # Every text stays text (an 18-digit number must never become a float); dates stay dates. A control
    # character (which the importer refuses, but a rejected row may hold) cannot be written to a sheet.
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def rows_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with BOM, so Excel opens Chinese text correctly."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_text_quote(value) if isinstance(value, str) else value


# A data set's template: one row per cell (an element's total, then each option of its breakdowns); the
# code columns make the import exact whatever the labels become.
DATASET_HEADERS = ["数据项", "分类", "计量单位", "数值", "数据项代码", "分类代码"]
_VALUE_RULES = {"int": "非负整数", "decimal": "非负数，最多四位小数", "money": "金额（元），非负，最多两位小数"}


def dataset_cells(definition: DatasetDefinition) -> list[tuple[ElementDef, str, str]]:
    """(element, cell key, breakdown label) of every cell a unit enters, in the entry page's order."""
    from fazhi.datasets.cells import TOTAL, disaggregation_key

    cells = []
    for element in definition.elements:
        cells.append((element, TOTAL, "合计"))
        for code in element.disaggregations:
            d = definition.disaggregation(code)
            assert d is not None  # an element's breakdowns are defined ones (checked when loading)
            for option, label in d.options.items():
                cells.append((element, disaggregation_key({code: option}), f"{d.name}：{label}"))
    return cells


def dataset_template_workbook(definition: DatasetDefinition) -> bytes:
    """A data set's import file: every cell as a row with its Chinese names and codes, the 数值 column
    checked by Excel (a non-negative whole number for counts), and a 填写说明 sheet with each item's rules."""
    book = Workbook()
    data = book.active
    data.title = "数据"
    data.append(DATASET_HEADERS)
    for cell in data[1]:
        cell.font = _BOLD
    rows = dataset_cells(definition)
    for r, (element, key, label) in enumerate(rows, start=2):
        data.append([element.name, label, element.unit, None, element.code, key])
        data.cell(row=r, column=6).number_format = "@"
        if element.required and not key:
            data.cell(row=r, column=4).fill = _REQUIRED
    for kind in ("int", "decimal", "money"):
        ranges = [f"D{r}" for r, (e, _, _) in enumerate(rows, start=2) if e.value_type == kind]
        if not ranges:
            continue
        validation = DataValidation(type="whole" if kind == "int" else "decimal", operator="greaterThanOrEqual",
                                    formula1="0", allow_blank=True, showErrorMessage=True, errorTitle="数值无效",
                                    error=f"请填写{_VALUE_RULES[kind]}")
        for cell_range in ranges:
            validation.add(cell_range)
        data.add_data_validation(validation)
    for letter, width in zip("ABCDEF", (30, 24, 10, 12, 24, 30), strict=True):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    notes.append(["数据项", "计量单位", "是否必填", "填写规则"])
    for cell in notes[1]:
        cell.font = _BOLD
    for element in definition.elements:
        rule = _VALUE_RULES[element.value_type]
        if element.disaggregations:
            rule += "；各分类之和不能超过合计"
        if element.help:
            rule += f"（{element.help}）"
        notes.append([element.name, element.unit, "必填" if element.required else "选填", rule])
    notes.append([])
    notes.append(["说明", "", "", f"“{definition.name}”按{'年' if definition.period_type == 'year' else '季度' if definition.period_type == 'quarter' else '月'}"
                  "填报；导入时指定单位和期间。“数值”留空的行不导入（不清除已填的值）；数据项代码、分类代码两列请勿修改。"])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["D"].width = 90
    return _save(book)
