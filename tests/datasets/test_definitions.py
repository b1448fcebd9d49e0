"""Data set definitions: schema and cross-reference errors name the file, line and column."""

import datetime as dt
import json
import textwrap

import pytest
from django.core.management import call_command

from fazhi.core.periods import Period
from fazhi.datasets.definitions import DueRule
from fazhi.datasets.registry import dataset_definitions, dataset_parse, datasets_load

GOOD = """\
kind: dataset
code: sample
name: 示例数据集
version: 1
period_type: year
reporting_kinds: [department, town]
entry_roles: [clerk]
approval_roles: [office_staff]
due: {month: 3, day: 1}
disaggregations:
  - code: venue
    name: 场所
    options: {school: 学校, online: 网络}
elements:
  - code: events
    name: 活动
    unit: 次
    disaggregations: [venue]
    required: true
"""


def _parse(tmp_path, text):
    path = tmp_path / "dataset.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return dataset_parse(path)


def test_good_file_loads(tmp_path):
    loaded, errors = _parse(tmp_path, GOOD)
    assert errors == []
    assert loaded.definition.element("events").disaggregations == ["venue"]


def test_unknown_disaggregation_points_at_its_line(tmp_path):
    loaded, errors = _parse(tmp_path, GOOD.replace("disaggregations: [venue]", "disaggregations: [audience]"))
    assert loaded is None
    [error] = errors
    assert (error.line, error.column) == (18, 23)
    assert "audience" in error.message and error.path.name == "dataset.yaml"


def test_schema_error_names_file_line_and_column(tmp_path):
    _, errors = _parse(tmp_path, GOOD.replace("unit: 次", "unit: 公斤"))
    [error] = errors
    assert error.line == 17
    assert "公斤" in error.message
    assert str(error).startswith(f"{tmp_path / 'dataset.yaml'}:17:11:")


def test_unknown_role_and_kind_are_refused(tmp_path):
    _, errors = _parse(tmp_path, GOOD.replace("entry_roles: [clerk]", "entry_roles: [janitor]"))
    assert [(e.line, "janitor" in e.message) for e in errors] == [(7, True)]
    _, errors = _parse(tmp_path, GOOD.replace("[department, town]", "[department, village]"))
    assert errors and errors[0].line == 6


def test_more_than_two_disaggregations_and_duplicate_codes(tmp_path):
    _, errors = _parse(tmp_path, GOOD.replace("disaggregations: [venue]", "disaggregations: [venue, venue, venue]"))
    assert errors and errors[0].line == 18
    doubled = GOOD + "  - code: events\n    name: 重复\n    unit: 次\n"
    _, errors = _parse(tmp_path, doubled)
    assert [e.line for e in errors] == [20]
    assert "重复" in errors[0].message


def test_due_rule_has_one_form(tmp_path):
    _, errors = _parse(tmp_path, GOOD.replace("due: {month: 3, day: 1}", "due: {month: 2, day: 30}"))
    assert errors and errors[0].line == 9
    _, errors = _parse(tmp_path, GOOD.replace("due: {month: 3, day: 1}", "due: {month: 3, day: 1, days_after_period_end: 5}"))
    assert errors


def test_due_dates():
    annual = DueRule(month=3, day=1)
    assert annual.due_on(Period.year(2024)) == dt.date(2025, 3, 1)
    assert DueRule(days_after_period_end=15).due_on(Period.parse("2024Q1")) == dt.date(2024, 4, 15)
    assert DueRule(month=4, day=10).due_on(Period.parse("2024Q1")) == dt.date(2024, 4, 10)


def test_shipped_data_sets_are_valid():
    registry = datasets_load()
    assert registry.errors == []
    codes = {d.code for d in dataset_definitions()}
    assert {"legal_publicity", "law_study", "rule_of_law_meetings", "accountability_reporting"} <= codes


def test_definitions_command_lists_data_sets(capsys):
    call_command("definitions", "list", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    kinds = {row["code"]: row["kind"] for row in rows}
    assert kinds["legal_publicity"] == "dataset"


def test_definitions_check_reports_a_broken_data_set(tmp_path, settings, capsys):
    folder = tmp_path / "broken_line"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(GOOD.replace("unit: 次", "unit: 斤"), encoding="utf-8")
    settings.FAZHI_DEFINITION_DIRS = [str(tmp_path)]
    try:
        with pytest.raises(Exception, match="错误"):
            call_command("definitions", "check")
        assert "dataset.yaml:17:11:" in capsys.readouterr().err
    finally:
        settings.FAZHI_DEFINITION_DIRS = []
        datasets_load()


def test_dataset_element_lookup_for_indicators():
    from fazhi.datasets.registry import dataset_element

    assert dataset_element("legal_publicity", "events").unit == "次"
    assert dataset_element("legal_publicity", "nope") is None
    assert dataset_element("nope", "events") is None
