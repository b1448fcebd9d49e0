"""Browser tests: Playwright drives Debian's chromium against the real server (tests/serving.py).

The browser is found on this machine (`FAZHI_CHROMIUM`, else `chromium` on the PATH); nothing is downloaded.
Without one, or without Playwright, the tests skip and say why. They use the served fixture's own SQLite file
whatever the run's database is, so the PostgreSQL run (DATABASE_URL=postgres…) skips them: they run once.
Every page a test opens is watched for console errors, failed page scripts and CSP violations, and the test
fails on any of them at its end.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.serving import Served, serving

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def chromium_executable() -> str | None:
    """Debian's chromium (or the one FAZHI_CHROMIUM names): Playwright drives it by path."""
    named = os.environ.get("FAZHI_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")):
        pytest.skip("browser tests run once, in the SQLite run (they use the served fixture's own SQLite file)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[dev]')")
    executable = chromium_executable()
    if executable is None:
        pytest.skip("no Chromium found: apt-get install chromium (scripts/setup-system.sh does as root) "
                    "or set FAZHI_CHROMIUM to its path")
    with sync_playwright() as playwright:
        # In Chinese, as a user's browser would be: its own controls (date and file inputs) follow LANG.
        launched = playwright.chromium.launch(executable_path=executable, args=["--lang=zh-CN"],
                                              env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"})
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def site(browser, tmp_path_factory, served_database) -> Iterator[Served]:
    """One server for all browser tests (their writes are each test's own records)."""
    with serving(served_database, tmp_path_factory.mktemp("browser-serve")) as server:
        yield server


@dataclass
class Problems:
    """What the browser complained about while a test ran."""

    allowed: set[tuple[int, str]] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)

    def expected(self, status: int, url: str) -> bool:
        return (status, urlsplit(url).path) in self.allowed

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url") or ""
        provoked = re.search(r"status of (\d{3})", message.text)  # Chromium's "Failed to load resource" line
        if provoked and self.expected(int(provoked.group(1)), url):
            return
        self.errors.append(f"console {message.type}: {message.text} at {url}")

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))


@pytest.fixture(scope="package")
def signed_in() -> dict[str, dict]:
    """Each persona's cookies after its first sign-in: a sign-in hashes the password (slow by design),
    so later pages of the same persona start signed in."""
    return {}


@pytest.fixture
def expected_http() -> set[tuple[int, str]]:
    """(status, path) pairs a test provokes on purpose (an invalid form's 400, another town's record's 404):
    `open_page` does not count those responses, nor Chromium's console line about them, as problems."""
    return set()


@pytest.fixture
def open_page(browser, site, signed_in, expected_http):
    """`open_page(username, viewport=DESKTOP)`: a signed-in page in a fresh context; at the test's end it must
    have seen no console error (a CSP violation is one), no script error, and no response >= 400 but those
    the test named in `expected_http`."""
    problems = Problems(expected_http)
    contexts = []

    def make(username: str | None = None, *, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=site.url,
                                      storage_state=signed_in.get(username or ""))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        problems.watch(page)
        page.on("response", lambda r: problems.errors.append(f"HTTP {r.status} {r.url}")
                if r.status >= 400 and not problems.expected(r.status, r.url) else None)
        if username is not None and username not in signed_in:
            login(page, username)
            signed_in[username] = context.storage_state()
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems.errors == []


def login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-" + username)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
