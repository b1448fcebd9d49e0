"""A real server for the security probes and the browser tests: `fazhi serve` (gunicorn) on a free loopback
port, over its own SQLite file.

The file is migrated once per test session and holds the named personas (tests/personas.py, passwords
`pw-<name>`); each module gets a fresh copy and its own server process, stopped at the module's end.
The tests therefore speak real HTTP to the production server, whichever database the rest of the run uses.
A plugin of the root conftest.py (`pytest_plugins`), so the session-wide database is made once for both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

REPO = Path(settings.BASE_DIR)
SECRET = "fazhi-serving-test-" + "s" * 50

_PERSONAS = """
import django
django.setup()
from tests.personas import personas_build
personas_build()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(var_dir: Path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_", "DATABASE_URL"))}
    # No warm PDF converter (a LibreOffice per server): PDFs are converted cold, as without `fazhi serve`.
    env.update(PYTHONPATH=str(REPO), FAZHI_VAR_DIR=str(var_dir), FAZHI_PDF_CONVERTER="off",
               DATABASE_URL=f"sqlite:///{var_dir / 'serve.sqlite3'}", **extra)
    return env


def fazhi_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "fazhi.cli", *args]


@dataclass
class Served:
    url: str
    var_dir: Path
    env: dict

    def fazhi(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(fazhi_command(*args), env=self.env, cwd=self.var_dir, capture_output=True,
                              text=True, timeout=120, check=True)


@pytest.fixture(scope="session")
def served_database(tmp_path_factory) -> Path:
    """A migrated SQLite file with the personas, made once per session."""
    var_dir = tmp_path_factory.mktemp("served-db")
    env = server_env(var_dir, FAZHI_SECRET_KEY=SECRET)
    subprocess.run(fazhi_command("migrate", "-v0"), env=env, cwd=var_dir, check=True, timeout=600)
    subprocess.run([sys.executable, "-c", _PERSONAS], env={**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"},
                   cwd=REPO, check=True, timeout=300)
    return var_dir / "serve.sqlite3"


@contextmanager
def serving(database: Path, var_dir: Path) -> Iterator[Served]:
    """`fazhi serve` over a copy of `database` in `var_dir`, stopped when the block ends."""
    shutil.copy(database, var_dir / "serve.sqlite3")
    env = server_env(var_dir, FAZHI_SECRET_KEY=SECRET)
    port = free_port()
    # The server's output goes to a file: an unread pipe fills up and blocks the server after many requests.
    log_path = var_dir / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen(fazhi_command("serve", "--port", str(port), "--workers", "1"), env=env, cwd=var_dir,
                               stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url + "/login/", timeout=5).close()  # noqa: S310 — loopback only
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail("fazhi serve did not start: " + log_path.read_text(errors="replace"))
            time.sleep(0.3)
    try:
        yield Served(url=url, var_dir=var_dir, env=env)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory, served_database) -> Iterator[Served]:
    with serving(served_database, tmp_path_factory.mktemp("serve")) as server:
        yield server
