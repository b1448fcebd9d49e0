"""Building import files in tests: .xlsx with openpyxl, .csv in a chosen encoding."""

import csv
import io
import json

from django.core.management import call_command
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MEDIATION_HEADERS = ["编号", "承办单位", "受理日期", "调解组织类型", "纠纷类型", "纠纷简要情况", "调解员"]


def mediation_row(i, **over):
    row = {"编号": f"TJ-{i}", "承办单位": "哈达镇", "受理日期": "2024-03-05", "调解组织类型": "村（居）人民调解委员会",
           "纠纷类型": "邻里纠纷", "纠纷简要情况": f"相邻通行纠纷{i}", "调解员": "张三"}
    row.update(over)
    return row


def xlsx(rows, headers=None, *, sheets=None, header_rows=None):
    """rows: list of dicts (or lists); extra sheets: {name: (rows, hidden)}."""
    book = Workbook()
    sheet = book.active
    sheet.title = "案件"
    headers = headers or (list(rows[0]) if rows and isinstance(rows[0], dict) else MEDIATION_HEADERS)
    for header_row in header_rows or [headers]:
        sheet.append(header_row)
    for row in rows:
        cells = [row.get(h) for h in headers] if isinstance(row, dict) else list(row)
        # an .xlsx cannot hold control characters (the CSV cases of the tests do)
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
    for name, (extra, hidden) in (sheets or {}).items():
        s = book.create_sheet(name)
        for r in extra:
            s.append(r)
        if hidden:
            s.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=None, encoding="utf-8"):
    headers = headers or list(rows[0])
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers] if isinstance(row, dict) else row)
    return out.getvalue().encode(encoding)


def cli_json(path, *args):
    out = io.StringIO()
    try:
        call_command("import", str(path), *args, "--format", "json", stdout=out)
    except SystemExit:
        pass
    return json.loads(out.getvalue())
