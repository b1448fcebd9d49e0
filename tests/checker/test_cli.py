import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CLEAN = "一、主要举措和成效\n全年受理纠纷案件120件，调解成功118件，调解成功率98.3%。\n"
BAD = "一、主要举措和成效\n全年受理纠纷案件120件，调解成功118件，调解成功率99.5%。\n"


def fazhi(*args, database=None):
    # The command runs against an empty, unmigrated database of its own, never the developer's.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database or Path(tempfile.mkdtemp()) / 'empty.sqlite3'}"}
    return subprocess.run([sys.executable, "-m", "fazhi.cli", "check", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_exit_0_and_json(tmp_path):
    report = tmp_path / "报告.txt"
    report.write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "out.json"
    text_out = tmp_path / "plain.txt"
    proc = fazhi(report, "--format", "json", "-o", out, "--text-out", text_out)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    plain = text_out.read_text(encoding="utf-8")
    assert [plain[c["start"]:c["end"]] for c in data["claims"]] == ["120件", "118件", "98.3%"]


def test_exit_1_on_error_finding_and_unit_year_note(tmp_path):
    report = tmp_path / "报告.txt"
    report.write_text(BAD, encoding="utf-8")
    proc = fazhi(report, "--unit", "东洲区", "--year", "2024", "--format", "table")
    assert proc.returncode == 1
    assert "比率不符" in proc.stdout
    assert "未与平台数据比对" in proc.stderr  # no fazhi database here: the report is still checked


def test_exit_2_on_unreadable(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    proc = fazhi(junk)
    assert proc.returncode == 2
    assert "无法读取报告" in proc.stderr


def test_html_via_call_command(tmp_path, db):
    report = tmp_path / "r.txt"
    report.write_text(CLEAN, encoding="utf-8")
    out = tmp_path / "r.html"
    call_command("checkreport", str(report), "--format", "html", "-o", str(out))
    assert 'data-claim="c1"' in out.read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        call_command("checkreport", str(tmp_path / "missing.txt"))
    assert info.value.code == 2
