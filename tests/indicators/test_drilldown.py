"""The records behind a figure: their number equals the engine's value; other people see only theirs."""

import datetime as dt

from django.urls import reverse

from fazhi.core.periods import period_parse
from fazhi.indicators.drilldown import indicator_records
from fazhi.indicators.engine import indicators_compute
from fazhi.indicators.registry import indicator


def _seed(personas, mediation):
    mediation(personas.town, dt.date(2024, 3, 1), outcome="success")
    mediation(personas.town, dt.date(2024, 5, 1), outcome="failure")
    mediation(personas.street, dt.date(2024, 6, 1), outcome="success")
    mediation(personas.street, dt.date(2023, 6, 1), outcome="success")  # another year
    mediation(personas.town, dt.date(2024, 7, 1), outcome="success", category="traffic")


def test_each_term_lists_as_many_records_as_the_engine_counts(personas, mediation):
    _seed(personas, mediation)
    period = period_parse("2024")
    for code in ("mediation_success", "mediation_success_rate", "mediation_committee_success"):
        value = indicators_compute(units=[personas.district], periods=[period], codes=[code])[
            (personas.district.pk, "2024", code)]
        terms = indicator_records(user=personas.district_admin, loaded=indicator(code), unit=personas.district,
                                  period=period)
        counts = {t.role: t.count for t in terms}
        if value.numerator is not None:  # a rate: numerator and denominator, each through its indicator
            assert counts == {"numerator": value.numerator, "denominator": value.denominator}
        else:
            assert counts == {"formula": value.value}
    committee = indicator_records(user=personas.district_admin, loaded=indicator("mediation_committee_success"),
                                  unit=personas.district, period=period)[0]
    assert committee.count == 2 and all(r.category != "traffic" for r in committee.records)


def test_a_reader_sees_only_the_records_of_their_jurisdiction(client, personas, mediation):
    _seed(personas, mediation)
    url = reverse("web:indicator_records", args=["mediation_success"]) + f"?unit={personas.district.pk}&period=2024"
    client.force_login(personas.district_admin)
    page = client.get(url).content.decode()
    assert page.count("/records/") >= 3 and "IND-" in page
    terms = indicator_records(user=personas.other_mediator, loaded=indicator("mediation_success"),
                              unit=personas.district, period=period_parse("2024"))
    assert terms[0].count == 1  # the street's own success only
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404  # 东洲区 is not the outsider's unit


def test_a_distinct_term_counts_values_and_lists_their_records(personas, extra_indicators):
    from tests.indicators.test_engine import _case_file

    extra_indicators("""
        kind: indicators
        indicators:
          - code: d_lawyers
            name: 评查律师
            unit: 名
            formula: "distinct(enforcement_case_review, field=reviewer, category=lawyer)"
    """)
    _case_file(personas.town, dt.date(2024, 3, 1), "甲")
    _case_file(personas.town_office, dt.date(2024, 4, 1), "甲")
    _case_file(personas.street, dt.date(2024, 5, 1), "乙")
    _case_file(personas.street, dt.date(2024, 6, 1), "丙", kind="staff")
    period = period_parse("2024")
    value = indicators_compute(units=[personas.district], periods=[period], codes=["d_lawyers"])[
        (personas.district.pk, "2024", "d_lawyers")]
    [term] = indicator_records(user=personas.district_admin, loaded=indicator("d_lawyers"), unit=personas.district,
                               period=period)
    assert term.count == value.value == 2
    assert len(term.records) == 3 and "field=reviewer" in term.description
