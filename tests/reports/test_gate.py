"""The report gate checks the snapshot the report printed: the rules over the snapshot's values, each
drafted figure against its own indicator, and the whole text (contributed sections too) with the checker
against the snapshot's figures."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.periods import period_parse
from fazhi.indicators.selectors import snapshot_values
from fazhi.indicators.services import snapshot_freeze
from fazhi.reports.builder import report_build
from fazhi.reports.registry import report_outline
from fazhi.reports.render import render_text, text_figures
from fazhi.reports.services import _gate, report_generate
from tests.reports.support import contribute, sections_complete

Y2024 = period_parse("2024")


@dataclass
class V:
    value: Decimal | None
    unit: str


def _cases(personas, mediation, outcomes=("success", "success", "failure")):
    for outcome in outcomes:
        mediation(personas.town, dt.date(2024, 4, 1), outcome=outcome)


def test_a_report_whose_text_matches_its_snapshot_passes(personas, mediation):
    _cases(personas, mediation)
    report = sections_complete(personas.district_admin, unit=personas.district, year=2024)
    # A department's text that states the snapshot's own figure agrees with it.
    contribute(personas.district_admin, report=report, section="disputes", unit=personas.town,
               text="全区人民调解组织全年调解成功2件，矛盾纠纷就地化解。", writer=personas.town_clerk)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert "调解成功2件" in run.text
    assert run.gate == {"rules": [], "checker": [], "sections": [], "personal": [], "passed": True}


def test_a_figure_changed_in_a_contributed_section_is_flagged(personas, mediation):
    _cases(personas, mediation)
    report = sections_complete(personas.district_admin, unit=personas.district, year=2024)
    contribute(personas.district_admin, report=report, section="disputes", unit=personas.town,
               text="全区人民调解组织全年调解成功5件，矛盾纠纷就地化解。", writer=personas.town_clerk)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert "调解成功2件" in run.text and "调解成功5件" in run.text  # drafted, then the department's
    assert run.gate["passed"] is False
    [flagged] = run.gate["checker"]
    assert "调解成功5件" in flagged and "的值2件不符" in flagged  # named with the snapshot's value


def test_the_rules_run_over_the_snapshot_the_report_printed_not_the_data_since(personas, mediation,
                                                                                extra_indicators):
    extra_indicators("""
        kind: indicators
        rules:
          - code: at_most_two_cases
            name: 受理不超过两件
            left: mediation_cases
            op: "<="
            right: 2
            importance: error
    """)
    _cases(personas, mediation, outcomes=("success", "success"))
    sections_complete(personas.district_admin, unit=personas.district, year=2024)
    snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=Y2024)
    _cases(personas, mediation, outcomes=("success",))  # after the freeze: live, three cases
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert "受理纠纷案件2件" in run.text
    assert run.gate["rules"] == [] and run.gate["passed"] is True, run.gate
    # Frozen again, the snapshot holds three cases: now the report prints 3 and the rule is violated.
    snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=Y2024)
    run = report_generate(acting_user=personas.district_admin, org_unit=personas.district, year=2024)
    assert "受理纠纷案件3件" in run.text
    assert [m for m in run.gate["rules"] if "受理不超过两件" in m and "受理纠纷案件为3，应不超过2" in m], run.gate


def test_a_drafted_figure_that_is_not_its_snapshot_value_is_flagged(personas, mediation):
    _cases(personas, mediation)
    report = sections_complete(personas.district_admin, unit=personas.district, year=2024)
    snapshot = snapshot_freeze(acting_user=personas.district_admin, org_unit=personas.district, period=Y2024)
    values = snapshot_values(snapshot)
    definition = report_outline()
    doc = report_build(definition=definition, unit=personas.district, period=Y2024, values=values)
    text = render_text(doc)
    assert all(text[start:end] == figure.text for start, end, figure in text_figures(doc))
    assert _gate(report, doc, text, snapshot)["checker"] == []
    # A document drafted from other numbers than the snapshot it claims (one figure off by one).
    other = dict(values, mediation_cases=V(Decimal(4), values["mediation_cases"].unit))
    doc = report_build(definition=definition, unit=personas.district, period=Y2024, values=other)
    gate = _gate(report, doc, render_text(doc), snapshot)
    assert gate["passed"] is False
    assert "“4件”（mediation_cases）与报告所依据的快照不符：快照为3件" in gate["checker"]
    assert not [m for m in gate["checker"] if "mediation_success" in m]  # the other figures are their own
