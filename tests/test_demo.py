"""`fazhi demo` builds both districts idempotently, and its users can log in."""

import datetime as dt
import io
import os
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from fazhi.core.auditactions import AuditAction
from fazhi.core.demo import DEMO_PASSWORD
from fazhi.core.models import AuditEvent, OrgUnit
from fazhi.registers.models import Record
from fazhi.registers.selectors import clocks_overdue, record_replay
from fazhi.registers.services import record_state


def test_demo_is_idempotent_and_usable(db, client):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "dz_admin / " + DEMO_PASSWORD in out.getvalue()
    counts = (OrgUnit.objects.count(), Record.objects.count(), AuditEvent.objects.count())
    assert {"东洲区", "西市区"} <= set(OrgUnit.objects.values_list("name", flat=True))
    assert set(Record.objects.values_list("register", flat=True)) >= {"people_mediation", "administrative_review",
                                                                      "legal_aid"}
    call_command("demo", stdout=io.StringIO())
    assert (OrgUnit.objects.count(), Record.objects.count(), AuditEvent.objects.count()) == counts
    # Every action the demo wrote (services and bulk imports alike) is a member of AuditAction.
    written = set(AuditEvent.objects.values_list("action", flat=True).distinct())
    assert len(written) > 10 and written <= {a.value for a in AuditAction}, written - {a.value for a in AuditAction}

    # Some open mediation cases are past their one-month limit, for the overdue list.
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="dz_admin")
    assert clocks_overdue(admin, today=dt.date.today()).exists()
    for record in Record.objects.order_by("?")[:20]:
        assert record_replay(record) == record_state(record)

    # Every figure of the seed reports that fazhi reproduces comes out of the engine equal to the report.
    from fazhi.indicators.seedfigures import seed_figures_compute

    results = seed_figures_compute()
    assert len(results) >= 160
    wrong = [(r.figure.seed, r.figure.text, r.figure.indicator, r.computed, r.figure.value)
             for r in results if not r.equal]
    assert wrong == []

    # The annual report drafted from each seed district's snapshot states every seed figure of that year.
    from fazhi.core.periods import period_parse
    from fazhi.indicators.services import snapshot_freeze
    from fazhi.reports.builder import figure_text
    from fazhi.reports.definitions import PLACEHOLDER
    from fazhi.reports.models import AnnualReport
    from fazhi.reports.registry import report_outline
    from fazhi.reports.render import render_text
    from fazhi.reports.selectors import report_document
    from fazhi.reports.services import _gate

    definition = report_outline()
    # The lines whose own report sentences name each indicator (lines/<code>/report.yaml).
    named_by: dict[str, set[str]] = {}
    for sentence in definition.sentences():
        for m in PLACEHOLDER.finditer(sentence.text):
            named_by.setdefault(m.group(1), set()).add(sentence.line)
    assert {(r.figure.unit, r.figure.period) for r in results} == {("东洲区", "2024"), ("西市区", "2025")}
    for unit_name, year in (("东洲区", 2024), ("西市区", 2025)):
        unit = OrgUnit.objects.get(name=unit_name)
        snapshot = snapshot_freeze(acting_user=None, org_unit=unit, period=period_parse(str(year)))
        assert AnnualReport.objects.filter(org_unit=unit, year=year).exists()  # drafted by the demo
        doc = report_document(definition=definition, unit=unit, period=period_parse(str(year)), snapshot=snapshot)
        seeds = [r.figure for r in results if r.figure.unit == unit_name and r.figure.period == str(year)]
        # Each row of every line's seed_figures.yaml is printed in its unit's report of its year: a figure
        # bound to that indicator whose value is the seed's, drafted by a sentence of the seed's own line.
        missing = [f.text for f in seeds
                   if not any(p.code == f.indicator and p.value == f.value
                              and figure_text(abs(f.value), "", "num") in p.text for p in doc.figures())]
        assert missing == [], (unit_name, missing)
        elsewhere = [(f.line, f.indicator) for f in seeds if f.line not in named_by.get(f.indicator, set())]
        assert elsewhere == [], (unit_name, elsewhere)
        # Golden file: the whole drafted text, reviewed by a person when it changes
        # (FAZHI_UPDATE_GOLDEN=1 rewrites it).
        golden = Path(__file__).parent / "reports" / "golden" / f"{unit_name}{year}.txt"
        if os.environ.get("FAZHI_UPDATE_GOLDEN") == "1":
            golden.write_text(render_text(doc), encoding="utf-8")
        assert render_text(doc) == golden.read_text(encoding="utf-8")
        # The gate over that text and its snapshot: no rule broken, no false alarm on the drafted figures
        # nor on the demo's contributed texts.
        gate = _gate(AnnualReport.objects.get(org_unit=unit, year=year), doc, render_text(doc), snapshot)
        assert (gate["rules"], gate["checker"]) == ([], []), (unit_name, gate)

    # The seed reports, checked against the demo districts' snapshots, differ from fazhi's figures nowhere
    # (their one contradiction is a finding of another kind). Read from ../shared/seeds when it exists.
    from fazhi.checker.findings import FindingKind
    from fazhi.checker.platform_source import PlatformIndicatorSource
    from fazhi.checker.service import report_check
    from tests.checker.conftest import SEED_2024, SEED_2025

    for path, unit_name, year in ((SEED_2024, "东洲区", 2024), (SEED_2025, "西市区", 2025)):
        if not path.exists():
            continue
        result = report_check(text=path.read_text(encoding="utf-8"), unit=unit_name, year=year,
                              indicator_source=PlatformIndicatorSource())
        assert [f.message for f in result.findings if f.kind is FindingKind.DATA_MISMATCH] == [], unit_name
        assert sum(r.kind == "indicator" and r.holds for r in result.relations) >= 40, unit_name

    assert client.post(reverse("login"), {"username": "hd_clerk", "password": DEMO_PASSWORD}).status_code == 302
    page = client.get(reverse("web:record_list", args=["people_mediation"])).content.decode()
    assert "DZ-TJ-2024" in page and "XS-TJ" not in page


def test_cli_routes_report_files_to_the_checker():
    from fazhi.cli import _looks_like_report

    assert _looks_like_report(["报告.docx"])
    assert _looks_like_report(["--format", "json", "report.PDF"])
    assert not _looks_like_report(["--deploy"])
