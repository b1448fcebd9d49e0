import json
from pathlib import Path

import pytest
from django.core.management import call_command

from fazhi.registers.registry import definition_parse, definitions_load, registry

GOOD = """\
kind: register
code: sample
name: 示例
version: 1
create_roles: [clerk]
fields:
  - {code: kind, name: 类型, type: choice, choices: {a: 甲}, column: category}
statuses:
  - {code: open, name: 办理中, initial: true}
  - {code: done, name: 办结, final: true}
transitions:
  - {code: finish, name: 办结, from: [open], to: done, roles: [clerk]}
clocks:
  - code: finish
    name: 办结期限
    basis: 测试
    length: 5
    unit: working_days
    start: {event: create}
    stop_statuses: [done]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sample" / "register.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_definitions_are_valid():
    loaded = definitions_load()
    assert loaded.errors == []
    assert {"people_mediation", "administrative_review", "legal_aid"} <= set(loaded.registers)


def test_a_good_definition_parses(tmp_path):
    loaded, errors = definition_parse(write(tmp_path, GOOD))
    assert errors == [] and loaded.definition.code == "sample"
    assert len(loaded.sha256) == 64


@pytest.mark.parametrize(("change", "line", "fragment"), [
    (("to: done", "to: nowhere"), 12, "nowhere"),  # unknown status, reported at the transition
    (("unit: working_days", "unit: fortnights"), 18, "unit"),
    (("length: 5", "length: -5"), 17, "length"),
    (("type: choice, choices: {a: 甲}", "type: text, choices: {a: 甲}"), 7, "choice"),
    (("create_roles: [clerk]", "create_roles: [clerks]"), 5, "clerks"),  # not a role of core/data/roles.yaml
    (("to: done, roles: [clerk]", "to: done, roles: [nobody]"), 12, "nobody"),
])
def test_errors_name_file_line_and_column(tmp_path, change, line, fragment):
    path = write(tmp_path, GOOD.replace(*change))
    loaded, errors = definition_parse(path)
    assert loaded is None and errors
    assert errors[0].path == path
    assert errors[0].line == line, str(errors[0])
    assert fragment in errors[0].message
    assert str(errors[0]).startswith(f"{path}:{line}:")


def test_yaml_syntax_error_has_a_position(tmp_path):
    path = write(tmp_path, GOOD.replace("name: 示例", "name: [示例"))
    _, errors = definition_parse(path)
    assert errors and errors[0].line > 1 and "YAML" in errors[0].message


def test_duplicate_codes_are_errors(tmp_path):
    a = write(tmp_path, GOOD)
    b = tmp_path / "other" / "register.yaml"
    b.parent.mkdir()
    b.write_text(GOOD, encoding="utf-8")
    loaded = definitions_load([a, b])
    assert len(loaded.errors) == 1 and "重复" in loaded.errors[0].message
    definitions_load()  # restore the shipped registry


def test_definitions_list_json(capsys):
    call_command("definitions", "list", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    by_code = {r["code"]: r for r in rows}
    assert by_code["people_mediation"]["name"] == "人民调解"
    assert {r["kind"] for r in rows} <= {"register", "dataset", "indicator", "role", "report"}
    assert by_code["mediation_cases"]["kind"] == "indicator"


def test_definitions_check_reports_errors(tmp_path, settings, capsys):
    from django.core.management.base import CommandError

    write(tmp_path, GOOD.replace("to: done", "to: nowhere"))
    settings.FAZHI_DEFINITION_DIRS = [str(tmp_path)]
    try:
        with pytest.raises(CommandError):
            call_command("definitions", "check")
        assert "register.yaml:12:" in capsys.readouterr().err
    finally:
        del settings.FAZHI_DEFINITION_DIRS
        definitions_load()
    assert registry().errors == []


MINIMUM = GOOD + """\
  - code: wait
    name: 等待期
    kind: minimum
    basis: 测试
    length: 30
    unit: days
    start: {event: create}
    blocks: [finish]
    stop_statuses: [done]
"""


def test_a_minimum_clock_parses(tmp_path):
    loaded, errors = definition_parse(write(tmp_path, MINIMUM))
    assert errors == []
    clock = loaded.definition.clock("wait")
    assert clock.is_minimum and clock.blocks == ["finish"] and not loaded.definition.clock("finish").is_minimum


def _line_of(text: str, needle: str) -> int:
    return next(i for i, row in enumerate(text.splitlines(), start=1) if needle in row)


@pytest.mark.parametrize(("change", "at", "fragment"), [
    (("blocks: [finish]", "blocks: [finnish]"), "finnish", "finnish"),  # blocks a transition that does not exist
    (("blocks: [finish]", "blocks: []"), "code: wait", "blocks"),  # a minimum clock must block something
    (("blocks: [finish]\n", "blocks: [finish]\n    suspendable: true\n"), "code: wait", "不能延长、中止"),
    (("stop_statuses: [done]\n", "stop_statuses: [done, open]\n"), "blocks: [finish]", "等待期不起作用"),
])
def test_minimum_clock_errors_name_file_line_and_column(tmp_path, change, at, fragment):
    text = GOOD + MINIMUM[len(GOOD):].replace(*change)
    path = write(tmp_path, text)
    loaded, errors = definition_parse(path)
    assert loaded is None and errors
    line = _line_of(text, at)
    assert errors[0].line == line, str(errors[0])
    assert fragment in errors[0].message
    assert str(errors[0]).startswith(f"{path}:{line}:")


def test_a_deadline_clock_cannot_block_transitions(tmp_path):
    text = GOOD.replace("    stop_statuses: [done]\n", "    stop_statuses: [done]\n    blocks: [finish]\n")
    loaded, errors = definition_parse(write(tmp_path, text))
    assert loaded is None and errors[0].line == _line_of(text, "  - code: finish") and "blocks" in errors[0].message


def test_transition_sets_must_name_a_choice_field_and_option(tmp_path):
    text = GOOD.replace("  - {code: finish, name: 办结, from: [open], to: done, roles: [clerk]}",
                        "  - {code: finish, name: 办结, from: [open], to: done, roles: [clerk], sets: {kind: b}}")
    loaded, errors = definition_parse(write(tmp_path, text))
    assert loaded is None and errors[0].line == 12 and "kind=b" in errors[0].message


@pytest.mark.parametrize(("rule", "fragment"), [
    ("{clock: nothing, met: met, missed: missed}", "没有这个时限"),
    ("{clock: finish, met: met, missed: late}", "late 不在它的 outcomes 中"),
])
def test_outcome_from_clock_must_name_a_clock_and_the_steps_outcomes(tmp_path, rule, fragment):
    text = GOOD.replace(
        "  - {code: finish, name: 办结, from: [open], to: done, roles: [clerk]}",
        "  - {code: finish, name: 办结, from: [open], to: done, roles: [clerk], outcomes: [met, missed], "
        f"outcome_from_clock: {rule}}}",
    ).replace("transitions:\n", "outcomes:\n  - {code: met, name: 按期}\n  - {code: missed, name: 超期}\ntransitions:\n")
    loaded, errors = definition_parse(write(tmp_path, text))
    assert loaded is None and errors and fragment in errors[0].message, errors
