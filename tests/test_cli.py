"""The `fazhi` command line: fazhi's own non-web commands skip Django's system checks, and with them the
import of the web stack (URL configuration, views, DRF, drf-spectacular); `fazhi check` still runs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi.cli import LEAN_COMMANDS, cli_argv

ROOT = Path(__file__).resolve().parents[1]


def test_lean_commands_skip_the_system_checks():
    assert cli_argv(["/x/fazhi", "report", "--unit", "东洲区", "--year", "2024", "-o", "a.docx"]) == [
        "fazhi", "report", "--skip-checks", "--unit", "东洲区", "--year", "2024", "-o", "a.docx"]
    assert cli_argv(["fazhi", "import", "stage", "a.xlsx"])[:3] == ["fazhi", "import", "--skip-checks"]
    assert cli_argv(["fazhi", "check", "report.txt"])[:3] == ["fazhi", "checkreport", "--skip-checks"]


@pytest.mark.parametrize("argv", [
    ["fazhi", "check"],  # Django's system check itself
    ["fazhi", "serve", "--port", "1"],  # what is served is checked first
    ["fazhi", "migrate"],
    ["fazhi", "report", "--help"],
    ["fazhi", "report", "--skip-checks", "--unit", "x"],
    ["fazhi"],
])
def test_other_commands_keep_their_checks(argv):
    assert cli_argv(argv) == argv


def test_every_lean_command_exists_and_accepts_skip_checks():
    from django.core.management import get_commands, load_command_class

    commands = get_commands()
    for name in LEAN_COMMANDS:
        command = load_command_class(commands[name], name)
        assert command.requires_system_checks, name  # else `--skip-checks` is no option of it
        assert "--skip-checks" in command.create_parser("fazhi", name).format_usage(), name


def test_a_lean_command_does_not_load_the_web_stack(tmp_path):
    probe = ("import sys\nfrom fazhi.cli import main\nsys.argv = ['fazhi', 'secretkey']\nmain()\n"
             "web = sorted(m for m in ('rest_framework.views', 'drf_spectacular.views', 'fazhi.urls', 'fazhi.api.views')"
             " if m in sys.modules)\nprint('web:', web)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_", "DATABASE_URL"))}
    env.update(FAZHI_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "web: []" in out, out
    assert (tmp_path / "secret.env").is_file()
    # and the checks, when they run, do load it (so the probe above can tell)
    probe_checked = probe.replace("'secretkey']", "'secretkey', '--skip-checks']").replace(
        "main()", "from django.core.management import call_command\nmain()\ncall_command('check')")
    out = subprocess.run([sys.executable, "-c", probe_checked], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "'fazhi.urls'" in out, out
