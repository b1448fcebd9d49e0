"""The report outline as a checked definition: the central outline and the lines' sentences, merged by
section, paragraph and order, every reference checked with file:line:column; a line added in one folder
brings its register, indicators and report sentences."""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.core.definitionfiles import LINES_DIR
from fazhi.core.periods import period_parse
from fazhi.datasets.registry import datasets_load
from fazhi.indicators.registry import indicator_registry, indicators_load
from fazhi.registers.registry import definitions_load, registry
from fazhi.reports.builder import report_build
from fazhi.reports.registry import (
    DEFINITIONS_DIR,
    ReportOutlineUnavailable,
    report_outline,
    report_registry,
    reports_load,
)
from fazhi.reports.render import render_text

OUTLINE = """\
kind: report
code: annual_report
name: 测试报告
version: 1
title: "{year}年{unit}测试报告"
parts:
  - heading: 主要举措和成效
    sections:
      - code: disputes
        heading: 化解矛盾纠纷
        paragraphs: [mediation, aid]
      - code: schools
        heading: 法治进校园
        paragraphs: [only]
  - heading: 其他需要报告的情况
    sections:
      - code: other
        default: ["无。"]
"""

SENTENCES = """\
kind: report_sentences
report: annual_report
sentences:
  - section: disputes
    paragraph: mediation
    order: 20
    text: "调解成功{mediation_success}。"
  - section: disputes
    paragraph: mediation
    order: 10
    text: "受理纠纷{mediation_cases}，"
  - section: schools
    order: 10
    text: "法治副校长平均每校{school_vice_principals_per_school}。"
"""


def _write(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _load(tmp_path, sentences: str, outline: str = OUTLINE):
    outline_path = _write(tmp_path / "outline", "annual_report.yaml", outline)
    line_path = _write(tmp_path / "lines" / "demo_line", "report.yaml", sentences)
    loaded = reports_load([outline_path], [line_path])
    reports_load()  # the shipped definitions again for the other tests
    return loaded, line_path


@dataclass
class V:
    value: Decimal | None
    unit: str


def test_the_shipped_outline_loads_once_with_every_lines_sentences():
    registry_ = report_registry()
    assert registry_.errors == []
    definition = report_outline()
    assert report_outline() is definition  # loaded once, not re-read per call
    assert [p.heading for p in definition.parts] == [
        "主要举措和成效", "存在的不足和原因", "党政主要负责人履行推进法治建设第一责任人职责情况", "下一年度主要安排",
        "其他需要报告的情况"]
    sentences = definition.sentences()
    # The central file keeps only the structure: every sentence that names a figure comes from a line.
    assert sentences and all(s.line and s.path.parent.parent == LINES_DIR for s in sentences)
    assert "{" not in DEFINITIONS_DIR.joinpath("annual_report.yaml").read_text(encoding="utf-8").split("parts:")[1]
    lines_with_sentences = {p.parent.name for p in LINES_DIR.glob("*/report.yaml")}
    assert {s.line for s in sentences} == lines_with_sentences
    assert set(registry_.reports["annual_report"].sentence_files) == set(LINES_DIR.glob("*/report.yaml"))
    # A line's sentences name its own indicators (groups join sentences of several lines, each its own).
    owner = {code: ind.path.parent.name for code, ind in indicator_registry().indicators.items()}
    from fazhi.reports.definitions import PLACEHOLDER

    foreign = [(s.line, m.group(1)) for s in sentences for m in PLACEHOLDER.finditer(s.text)
               if owner[m.group(1)] != s.line]
    assert foreign == []


def test_sentences_merge_by_section_paragraph_and_order(tmp_path, personas):
    loaded, _ = _load(tmp_path, SENTENCES)
    assert loaded.errors == []
    definition = loaded.reports["annual_report"].definition
    disputes = definition.parts[0].sections[0]
    assert [[s.text for s in p] for p in disputes.paragraphs] == [["受理纠纷{mediation_cases}，", "调解成功{mediation_success}。"], []]
    assert {s.line for s in definition.sentences()} == {"demo_line"}
    text = render_text(report_build(definition=definition, unit=personas.district, period=period_parse("2024"),
                                    values={"mediation_cases": V(Decimal(5), "件"), "mediation_success": V(Decimal(4), "件")}))
    assert "受理纠纷5件，调解成功4件。" in text and "法治进校园" not in text and "无。" in text


@pytest.mark.parametrize(("sentences", "line", "column", "says"), [
    # an indicator code that does not exist (typo), at the text of the sentence
    (SENTENCES.replace("{mediation_success}", "{mediation_sucess}"), 7, 11, "未知的指标 mediation_sucess"),
    # a placeholder style that does not exist, or a brace left open
    (SENTENCES.replace("{mediation_success}", "{mediation_success:round}"), 7, 11, "占位符写法有误"),
    (SENTENCES.replace("{mediation_success}", "{mediation_success"), 7, 11, "占位符写法有误"),
    # a section the outline does not have
    (SENTENCES.replace("section: schools", "section: school"), 12, 14, "没有章节 school"),
    # a paragraph the section does not have; a section with two paragraphs needs one named
    (SENTENCES.replace("paragraph: mediation\n    order: 20", "paragraph: mediaton\n    order: 20"), 5, 16,
     "没有段落 mediaton"),
    (SENTENCES.replace("    paragraph: mediation\n    order: 20", "    order: 20"), 4, 14, "请写明 paragraph"),
    # two sentences at the same place
    (SENTENCES.replace("order: 20", "order: 10"), 10, 12, "顺序号 10 在 disputes.mediation 中已被"),
    # not a number, not positive
    (SENTENCES.replace("order: 20", "order: twenty"), 6, 12, "order"),
    (SENTENCES.replace("order: 20", "order: 0"), 6, 12, "order"),
    # a YAML typo (a quote left open)
    (SENTENCES.replace('"调解成功{mediation_success}。"', '"调解成功{mediation_success}。'), 11, 12, "YAML 语法错误"),
    # an outline that does not exist
    (SENTENCES.replace("report: annual_report", "report: anual_report"), 2, 9, "没有代码为 anual_report 的报告大纲"),
    # a field the schema does not know
    (SENTENCES.replace("    order: 10\n    text: \"法治", "    ordre: 10\n    text: \"法治"), 13, 12, "ordre"),
])
def test_a_mistake_in_a_lines_sentences_names_file_line_and_column(tmp_path, sentences, line, column, says):
    loaded, path = _load(tmp_path, sentences)
    errors = [e for e in loaded.errors if e.path == path and says in e.message]
    assert errors, loaded.errors
    assert (errors[0].line, errors[0].column) == (line, column), errors
    assert says in errors[0].message, errors
    assert str(errors[0]).startswith(f"{path}:{line}:{column}: ")
    # The broken file's sentences are left out whole; the outline itself still loads.
    assert all(s.line != "demo_line" for s in loaded.reports["annual_report"].definition.sentences())


def test_a_group_must_follow_itself_and_prints_whole_or_not_at_all(tmp_path, personas):
    grouped = SENTENCES.replace("    order: 20\n", "    order: 20\n    group: pair\n").replace(
        "    order: 10\n    text: \"受理", "    order: 10\n    group: pair\n    text: \"受理")
    loaded, _ = _load(tmp_path, grouped)
    assert loaded.errors == []
    definition = loaded.reports["annual_report"].definition
    only_cases = {"mediation_cases": V(Decimal(5), "件"), "mediation_success": V(None, "件")}
    text = render_text(report_build(definition=definition, unit=personas.district, period=period_parse("2024"),
                                    values=only_cases))
    assert "受理纠纷" not in text  # its partner has no figure: the group is left out whole
    broken = grouped + ('  - section: disputes\n    paragraph: mediation\n    order: 15\n'
                        '    text: "另有{mediation_subsidy}。"\n')
    loaded, path = _load(tmp_path, broken)
    assert any("句组 pair" in e.message and e.path == path for e in loaded.errors), loaded.errors
    assert "annual_report" not in loaded.reports


@pytest.mark.parametrize(("outline", "line", "says"), [
    (OUTLINE.replace("code: schools", "code: disputes"), 12, "章节代码重复：disputes"),
    (OUTLINE.replace("[mediation, aid]", "[mediation, mediation]"), 11, "段落代码重复"),
    (OUTLINE.replace("heading: 主要举措和成效", "heading 主要举措和成效"), 8, "YAML 语法错误"),
    (OUTLINE.replace("kind: report", "kind: reprot"), 1, "kind"),
])
def test_a_mistake_in_the_outline_names_file_and_line(tmp_path, outline, line, says):
    loaded, _ = _load(tmp_path, SENTENCES, outline)
    path = tmp_path / "outline" / "annual_report.yaml"
    errors = [e for e in loaded.errors if e.path == path]
    assert errors and errors[0].line == line and says in errors[0].message, loaded.errors
    assert "annual_report" not in loaded.reports


def test_call_sites_say_what_is_wrong_instead_of_a_bare_404(tmp_path):
    outline_path = _write(tmp_path, "annual_report.yaml", OUTLINE.replace("code: schools", "code: disputes"))
    try:
        reports_load([outline_path], [])
        with pytest.raises(ReportOutlineUnavailable) as err:
            report_outline()
        assert f"{outline_path}:12:15: 章节代码重复" in str(err.value)
    finally:
        reports_load()


# ------------------------------------------------------------------------- a line added in one folder

DEMO_REGISTER = """\
kind: register
code: demo_visits
name: 演示走访
version: 1
create_roles: [office_staff]
fields:
  - {code: visited_on, name: 走访日期, type: date, required: true, column: opened_on}
statuses:
  - {code: open, name: 已登记, initial: true}
  - {code: done, name: 已办结, final: true}
transitions:
  - {code: finish, name: 办结, from: [open], to: done, roles: [office_staff]}
"""

DEMO_INDICATORS = """\
kind: indicators
version: 1
indicators:
  - {code: demo_visits_made, name: 演示走访次数, unit: 次, formula: count(demo_visits)}
"""

DEMO_SENTENCES = """\
kind: report_sentences
report: annual_report
sentences:
  - section: public_interest
    paragraph: governance
    order: 75
    text: "开展演示走访{demo_visits_made}。"
"""


@pytest.fixture
def demo_line(tmp_path, settings):
    """A business line that exists only in a temporary definitions folder (FAZHI_DEFINITION_DIRS)."""
    folder = tmp_path / "demo_line"
    _write(folder, "register.yaml", DEMO_REGISTER)
    _write(folder, "indicators.yaml", DEMO_INDICATORS)
    _write(folder, "report.yaml", DEMO_SENTENCES)
    settings.FAZHI_DEFINITION_DIRS = [str(tmp_path)]
    yield folder
    settings.FAZHI_DEFINITION_DIRS = []
    definitions_load()
    datasets_load()
    indicators_load()
    reports_load()


def test_a_line_added_in_one_folder_brings_its_register_indicators_and_sentences(demo_line, personas, capsys):
    call_command("definitions", "check")
    out = capsys.readouterr().out
    assert "report 1 个" in out
    assert "demo_visits" in registry().registers
    assert "demo_visits_made" in indicator_registry().indicators
    definition = report_outline()
    ours = [s for s in definition.sentences() if s.line == "demo_line"]
    assert [s.text for s in ours] == ["开展演示走访{demo_visits_made}。"]
    governance = definition.parts[0].sections[5].paragraphs[1]
    orders = [s.order for s in governance]
    assert orders == sorted(orders) and 75 in orders  # merged at its order among social_governance's
    text = render_text(report_build(definition=definition, unit=personas.district, period=period_parse("2024"),
                                    values={"demo_visits_made": V(Decimal(9), "次")}))
    assert "开展演示走访9次。" in text
    call_command("definitions", "list", "--format", "json")
    assert '"kind": "report"' in capsys.readouterr().out


def test_definitions_check_fails_on_a_typo_in_a_lines_sentences(demo_line, capsys):
    (demo_line / "report.yaml").write_text(DEMO_SENTENCES.replace("section: public_interest",
                                                                  "section: public_intrest"), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("definitions", "check")
    err = capsys.readouterr().err
    assert f"{demo_line / 'report.yaml'}:4:14: 报告“法治政府建设年度报告”没有章节 public_intrest" in err


def test_definitions_check_fails_on_a_typo_in_the_outline(tmp_path, monkeypatch, capsys):
    from fazhi.reports import registry as report_registry_module

    broken = DEFINITIONS_DIR.joinpath("annual_report.yaml").read_text(encoding="utf-8").replace(
        "paragraphs: [mediation, legal_services, correction]", "paragraphs: [mediation, legal_service, correction]")
    _write(tmp_path, "annual_report.yaml", broken)
    monkeypatch.setattr(report_registry_module, "DEFINITIONS_DIR", tmp_path)
    try:
        with pytest.raises(CommandError):
            call_command("definitions", "check")
        err = capsys.readouterr().err
        # The outline lost a paragraph the legal aid line's sentences go into: named at those sentences.
        assert f"{LINES_DIR / 'legal_aid' / 'report.yaml'}:" in err and "没有段落 legal_services" in err
    finally:
        monkeypatch.undo()
        reports_load()
    assert report_registry().errors == []
