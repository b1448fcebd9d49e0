"""Scope 1/3: a downloadable .xlsx template for every register and every data set (Chinese headers, drop-downs or
checked values, a 填写说明 sheet), and a unit's data-set values for one period imported from its template through
the data set's own services (who may enter, submitted or locked reports, breakdowns above their total)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.datasets.errors import DatasetErrorCode
from fazhi.datasets.models import DataValue
from fazhi.datasets.registry import dataset_definition, dataset_definitions
from fazhi.datasets.services import dataset_report_submit
from fazhi.imports.errors import ImportErrorCode
from fazhi.imports.services import dataset_import
from fazhi.registers.definitions import FieldType
from fazhi.registers.registry import register_definitions


def _chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


@pytest.mark.parametrize("definition", register_definitions(), ids=lambda d: d.code)
def test_every_register_has_a_template(client, personas, definition):
    client.force_login(personas.leader)
    response = client.get(reverse("imports:template", args=[definition.code]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["数据", "选项", "填写说明"]
    headers = [c.value for c in book["数据"][1]]
    assert all(_chinese(h) for h in headers)
    choices = [f for f in definition.fields if f.type == FieldType.CHOICE]
    assert len(book["数据"].data_validations.dataValidation) == len(choices)
    notes = [r[0] for r in book["填写说明"].iter_rows(min_row=2, values_only=True)]
    assert notes == headers


@pytest.mark.parametrize("definition", dataset_definitions(), ids=lambda d: d.code)
def test_every_data_set_has_a_template(client, personas, definition):
    client.force_login(personas.leader)
    response = client.get(reverse("imports:template", args=[definition.code]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["数据", "填写说明"]
    sheet = book["数据"]
    assert [c.value for c in sheet[1]] == ["数据项", "分类", "计量单位", "数值", "数据项代码", "分类代码"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    totals = [r for r in rows if r[1] == "合计"]
    assert [r[4] for r in totals] == [e.code for e in definition.elements]
    assert len(rows) == sum(1 + sum(len(definition.disaggregation(d).options) for d in e.disaggregations)
                            for e in definition.elements)
    checked = " ".join(str(v.sqref) for v in sheet.data_validations.dataValidation)
    assert all(f"D{i}" in checked.split() or f"D{i}" in checked for i in range(2, len(rows) + 2))
    notes = [r[0] for r in book["填写说明"].iter_rows(min_row=2, values_only=True) if r[0] and r[0] != "说明"]
    assert notes == [e.name for e in definition.elements]


def _filled(client, values: dict[tuple[str, str], object]) -> bytes:
    """The 普法宣传 template with {(element code, breakdown label): value} filled in."""
    book = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["legal_publicity"])).content))
    sheet = book["数据"]
    for row in sheet.iter_rows(min_row=2):
        value = values.get((row[4].value, row[1].value))
        if value is not None:
            row[3].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _stored(unit) -> dict[tuple[str, str], int]:
    return {(v.element, v.disaggregation): int(v.value)
            for v in DataValue.objects.filter(dataset="legal_publicity", org_unit=unit)}


def _run(user, content, unit="哈达镇", period="2024", **kw):
    return dataset_import(acting_user=user, dataset="legal_publicity", content=content, filename="普法.xlsx",
                          unit=unit, period=period, **kw)


def test_data_set_values_come_in_from_the_filled_template(client, personas):
    client.force_login(personas.town_clerk)
    content = _filled(client, {("events", "合计"): 10, ("events", "活动场所：学校"): 4, ("materials", "合计"): "１２０",
                               ("people_reached", "合计"): 500.0})
    dry = _run(personas.town_clerk, content, dry_run=True)
    assert (dry.rows, dry.errors, _stored(personas.town)) == (4, [], {})
    result = _run(personas.town_clerk, content)
    assert (result.committed, result.changed, result.errors) == (True, 4, [])
    assert _stored(personas.town) == {("events", ""): 10, ("events", "venue=school"): 4, ("materials", ""): 120,
                                      ("people_reached", ""): 500}
    again = _run(personas.town_clerk, content)
    assert (again.committed, again.changed) == (True, 0)


def test_bad_cells_and_broken_rules_name_the_row_and_save_nothing(client, personas):
    client.force_login(personas.town_clerk)
    bad = _run(personas.town_clerk, _filled(client, {("events", "合计"): 10, ("materials", "合计"): -3,
                                                     ("people_reached", "合计"): "很多"}))
    assert [(e.row, e.column, e.code) for e in bad.errors] == [
        (15, "数值", DatasetErrorCode.VALUE_NEGATIVE), (16, "数值", DatasetErrorCode.VALUE_INVALID)]
    # events: its total and 12 breakdown rows (2–14), then materials (15) and people_reached (16)
    assert bad.errors[0].message.startswith("第15行“数值”列：") and not bad.committed
    above = _run(personas.town_clerk, _filled(client, {("events", "合计"): 3, ("events", "活动场所：学校"): 4}))
    assert [e.code for e in above.errors] == [DatasetErrorCode.PARTS_EXCEED_TOTAL]
    assert _stored(personas.town) == {}


def test_the_data_sets_own_rules_hold(client, personas):
    client.force_login(personas.town_clerk)
    content = _filled(client, {("events", "合计"): 1, ("materials", "合计"): 1, ("people_reached", "合计"): 1})
    other_town = _run(personas.town_clerk, content, unit="新屯街道")
    missing = _run(personas.town_clerk, content, unit="没有这个镇")
    assert other_town.errors[0].code == missing.errors[0].code == ImportErrorCode.UNIT_UNKNOWN
    assert [e.code for e in _run(personas.leader, content).errors] == ["forbidden"]  # read-only
    assert [e.code for e in _run(personas.town_clerk, content, period="2024Q1").errors] == [
        ImportErrorCode.VALUE_INVALID]  # a yearly data set
    assert _run(personas.town_clerk, content).committed
    dataset_report_submit(acting_user=personas.town_clerk, dataset="legal_publicity", org_unit=personas.town,
                          period_start=dt.date(2024, 1, 1))
    changed = _filled(client, {("events", "合计"): 2})
    assert [e.code for e in _run(personas.town_clerk, changed).errors] == [DatasetErrorCode.REPORT_NOT_DRAFT]
    assert _stored(personas.town)[("events", "")] == 1


def test_the_cli_imports_data_set_values_and_writes_its_template(client, personas, tmp_path):
    from django.core.management import call_command

    from tests.imports.helpers import cli_json

    template = tmp_path / "t.xlsx"
    call_command("import", "template", "--into", "legal_publicity", "-o", str(template), stdout=io.StringIO())
    book = load_workbook(template)
    sheet = book["数据"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "合计":
            row[3].value = 7
    book.save(template)
    out = cli_json(template, "--into", "legal_publicity", "--unit", "哈达镇", "--period", "2024", "--user", "town_clerk")
    elements = len(dataset_definition("legal_publicity").elements)
    assert (out["committed"], out["rows"], out["errors"]) == (True, elements, [])
    assert set(_stored(personas.town).values()) == {7}


def test_the_import_page_takes_data_set_values(client, personas):
    client.force_login(personas.town_clerk)
    assert reverse("imports:dataset_upload") in client.get(reverse("imports:index")).content.decode()
    content = _filled(client, {("events", "合计"): 5, ("materials", "合计"): 6, ("people_reached", "合计"): 7})

    def post(data, dry_run):
        upload = io.BytesIO(data)
        upload.name = "普法.xlsx"
        return client.post(reverse("imports:dataset_upload"), {
            "dataset": "legal_publicity", "unit": "哈达镇", "period": "2024", "file": upload,
            **({"dry_run": "1"} if dry_run else {})})

    dry = post(content, True)
    assert dry.status_code == 200 and "试导入" in dry.content.decode() and _stored(personas.town) == {}
    done = post(content, False)
    assert "已导入" in done.content.decode()
    assert _stored(personas.town) == {("events", ""): 5, ("materials", ""): 6, ("people_reached", ""): 7}
    bad = post(_filled(client, {("materials", "合计"): -1}), False).content.decode()
    assert "第15行“数值”列" in bad and _stored(personas.town)[("materials", "")] == 6
    assert client.post(reverse("imports:dataset_upload"), {"dataset": "nope"}).status_code == 400
