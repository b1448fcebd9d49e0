"""The checker against fazhi's own data: claims are compared with the unit's snapshot or live values."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from fazhi.checker.platform_source import PlatformIndicatorSource, guess_unit
from fazhi.checker.service import report_check
from fazhi.core.periods import period_parse
from fazhi.indicators.services import snapshot_freeze

REPORT = "2024年东洲区法治政府建设情况报告\n一、主要举措和成效\n全年受理纠纷案件{cases}件，调解成功{ok}件。\n"


def _records(personas, mediation):
    for outcome in ("success", "success", "failure"):
        mediation(personas.town, dt.date(2024, 4, 1), outcome=outcome)


def test_live_values_when_no_snapshot(personas, mediation):
    _records(personas, mediation)
    source = PlatformIndicatorSource()
    result = report_check(text=REPORT.format(cases=3, ok=5), unit="东洲区", year=2024, indicator_source=source)
    mismatches = [f for f in result.findings if f.kind == "data_mismatch"]
    assert len(mismatches) == 1 and "调解成功" in mismatches[0].message
    agreeing = [r for r in result.relations if r.kind == "indicator" and r.holds]
    assert any("mediation_cases" in r.detail for r in agreeing)
    assert "尚未冻结指标快照" in source.notes[0]


def test_snapshot_is_preferred(personas, mediation):
    _records(personas, mediation)
    snapshot_freeze(acting_user=None, org_unit=personas.district, period=period_parse("2024"))
    mediation(personas.town, dt.date(2024, 5, 1))  # after the freeze: not in the snapshot
    source = PlatformIndicatorSource()
    result = report_check(text=REPORT.format(cases=3, ok=2), unit="东洲区", year=2024, indicator_source=source)
    assert not [f for f in result.findings if f.kind == "data_mismatch"]
    assert "快照" in source.notes[0]


def test_unknown_unit_is_a_note_not_a_failure(db):
    source = PlatformIndicatorSource()
    assert source.indicator_values("火星区", 2024) == []
    assert "没有名为“火星区”的单位" in source.notes[0]


def test_unit_is_recognised_from_the_title(personas):
    assert guess_unit(REPORT) == "东洲区"
    assert guess_unit("某县2024年工作报告") is None


def test_cli_compares_with_fazhi(personas, mediation, tmp_path, capsys):
    _records(personas, mediation)
    path = tmp_path / "报告.txt"
    path.write_text(REPORT.format(cases=4, ok=2), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("checkreport", str(path), "--format", "json", "--excerpt")
    out = capsys.readouterr()
    assert exit_.value.code == 1
    findings = json.loads(out.out)["findings"]
    assert any(f["kind"] == "data_mismatch" and "受理纠纷案件" in f["message"] for f in findings)
    assert "实时数据" in out.err
