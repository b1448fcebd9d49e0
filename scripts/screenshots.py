"""`make screenshots`: the main pages of each demo persona at 1366×768 and 390×844, for a person to look at.

Serves the demo database (`fazhi demo` ran first) with `fazhi serve` on a free loopback port, signs in as each
demo persona in Debian's chromium (driven by Playwright, nothing downloaded), and writes one PNG per page and
screen into out/screenshots/ with index.html: the page's width against the screen's, its header height and the
console errors it logged, so overflow and CSP violations stand out.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SCREENS = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
MAX_HEIGHT = 3000  # px of a full-page shot: some lists are tens of thousands of pixels tall
MEASURE = ("({width: document.documentElement.scrollWidth, screen: innerWidth,"
           " header: (document.querySelector('header') || {getBoundingClientRect: () => ({height: 0})})"
           ".getBoundingClientRect().height, height: document.documentElement.scrollHeight})")

# (persona, page name, path or a step that finds the page). Steps: "first:<path>|<css of a link on it>".
PAGES = [
    (None, "登录", "/login/"),
    (None, "公开报告", "/public/reports/"),
    (None, "公开信息", "/public/"),
    ("dz_admin", "首页", "/"),
    ("dz_admin", "人民调解列表", "/registers/people_mediation/"),
    ("dz_admin", "人民调解记录", "first:/registers/people_mediation/|table a[href^='/records/']"),
    ("dz_admin", "指标", "/indicators/"),
    ("dz_admin", "指标详情", "first:/indicators/|table a[href^='/indicators/']"),
    ("dz_admin", "年度报告", "/report/"),
    ("dz_admin", "报告任务", "/report/sections/"),
    ("dz_admin", "数据报送", "/datasets/"),
    ("dz_admin", "完成情况", "first:/datasets/|a[href*='/completeness/']"),
    ("dz_admin", "单位管理", "/manage/units/"),
    ("dz_admin", "用户管理", "/manage/users/"),
    ("dz_admin", "导入", "/imports/"),
    ("dz_admin", "导出记录", "/imports/exports/"),
    ("dz_admin", "报告检查", "/checker/"),
    ("dz_admin", "接口文档", "/api/docs/"),
    ("hd_clerk", "首页", "/"),
    ("hd_clerk", "数据报送", "/datasets/"),
    ("hd_clerk", "数据填报", "first:/datasets/|table a[href^='/datasets/']:not([href*='completeness'])"),
    ("hd_clerk", "报告任务", "/report/sections/"),
    ("hd_mediator", "首页", "/"),
    ("hd_mediator", "人民调解列表", "/registers/people_mediation/"),
    ("hd_mediator", "新登记", "/registers/people_mediation/new/"),
    ("hd_mediator", "人民调解记录", "first:/registers/people_mediation/|table a[href^='/records/']"),
    ("hd_mediator", "办理步骤", "first:/registers/people_mediation/?status=registered|table a[href^='/records/']"
                              "|.card a.button[href^='/records/']"),
    ("dz_leader", "首页", "/"),
    ("dz_leader", "指标", "/indicators/"),
    ("dz_leader", "驾驶舱", "/cockpit/"),
    ("dz_leader", "年度报告", "/report/"),
    ("dz_review", "行政复议列表", "/registers/administrative_review/"),
    ("admin", "系统管理", "/admin/"),
]


@dataclass
class Shot:
    persona: str
    page: str
    screen: str
    file: str = ""
    url: str = ""
    width: int = 0
    screen_width: int = 0
    header: float = 0
    height: int = 0
    errors: list[str] = field(default_factory=list)


def chromium_executable() -> str | None:
    """As tests/browser/conftest.py: FAZHI_CHROMIUM, else Debian's chromium on the PATH."""
    named = os.environ.get("FAZHI_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(log_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "-m", "fazhi.cli", "serve", "--port", str(port), "--workers", "2"],
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/login/", timeout=5).close()  # noqa: S310 — loopback only
            return process, url
        except urllib.error.HTTPError:
            return process, url
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit("fazhi serve did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.3)


def resolve(page, target: str) -> str:
    """A path, or `first:<path>|<css>[|<css>…]`: follow the first matching link of each step."""
    if not target.startswith("first:"):
        return target
    path, *steps = target.removeprefix("first:").split("|")
    for css in steps:
        page.goto(path)
        link = page.locator(css).first
        href = link.get_attribute("href", timeout=5000)
        if not href:
            raise LookupError(f"no link {css} on {path}")
        path = href
    return path


def take(browser, base_url: str, persona: str | None, password: str, out: Path) -> list[Shot]:
    shots = []
    targets = [(name, target) for who, name, target in PAGES if who == persona]
    for screen, viewport in SCREENS.items():
        context = browser.new_context(viewport=viewport, locale="zh-CN", base_url=base_url)
        page = context.new_page()
        page.set_default_timeout(30000)
        errors: list[str] = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("response", lambda r, errors=errors: errors.append(f"HTTP {r.status} {r.url}")
                if r.status >= 400 else None)
        if persona:
            page.goto("/login/")
            page.fill("#id_username", persona)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
        for name, target in targets:
            shot = Shot(persona=persona or "未登录", page=name, screen=screen)
            errors.clear()
            try:
                path = resolve(page, target)
                errors.clear()  # only the page shot counts, not the ones passed on the way
                page.goto(path)
                page.wait_for_load_state("networkidle")
                measured = page.evaluate(MEASURE)
                shot.url, shot.width, shot.screen_width = path, measured["width"], measured["screen"]
                shot.header, shot.height = measured["header"], measured["height"]
                shot.file = f"{shot.persona}-{name}-{screen}.png"
                page.screenshot(path=str(out / shot.file), full_page=True,
                                clip={"x": 0, "y": 0, "width": measured["width"],
                                      "height": min(measured["height"], MAX_HEIGHT)})
            except Exception as exc:  # one broken page must not hide the others
                errors.append(f"{type(exc).__name__}: {exc}".splitlines()[0])
            shot.errors = list(errors)
            shots.append(shot)
            print(f"  {shot.persona} · {name} · {screen}: {shot.width}/{shot.screen_width} px"
                  f"{' · ' + str(len(shot.errors)) + ' 个错误' if shot.errors else ''}")
        context.close()
    return shots


def index(shots: list[Shot], out: Path) -> None:
    rows = []
    for s in shots:
        problems = []
        if s.width > s.screen_width:
            problems.append(f"页面宽 {s.width} px，超出屏幕 {s.screen_width} px")
        if s.screen == "phone" and s.header > 120:
            problems.append(f"页头高 {s.header:.0f} px")
        problems += s.errors
        image = (f'<a href="{html.escape(s.file)}"><img src="{html.escape(s.file)}" loading="lazy" alt=""></a>'
                 if s.file else "")
        rows.append(f"<tr class=\"{'bad' if problems else ''}\"><td>{html.escape(s.persona)}</td>"
                    f"<td>{html.escape(s.page)}</td><td>{s.screen}</td><td>{html.escape(s.url)}</td>"
                    f"<td>{s.width}/{s.screen_width}</td><td>{s.header:.0f}</td><td>{s.height}</td>"
                    f"<td>{'<br>'.join(html.escape(p) for p in problems)}</td><td>{image}</td></tr>")
    (out / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>fazhi 截图</title>"
        "<style>body{font-family:sans-serif}td{vertical-align:top;border-bottom:1px solid #ccc;padding:4px}"
        "img{max-width:240px;max-height:240px}tr.bad td{background:#fff0f0}</style>"
        f"<h1>fazhi 截图（{len(shots)}张）</h1><table><tr><th>用户</th><th>页面</th><th>屏幕</th><th>地址</th>"
        "<th>宽/屏宽</th><th>页头高</th><th>页高</th><th>问题</th><th>截图</th></tr>" + "".join(rows) + "</table>",
        encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/screenshots"))
    args = parser.parse_args()
    executable = chromium_executable()
    if executable is None:
        sys.exit("没有找到Chromium：apt-get install chromium（以root运行 make setup 会安装），或设置 FAZHI_CHROMIUM")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from fazhi.core.demo import DEMO_PASSWORD

    args.out.mkdir(parents=True, exist_ok=True)
    for old in args.out.glob("*.png"):
        old.unlink()
    process, url = serve(args.out / "serve.log")
    try:
        with sync_playwright() as playwright:
            # The browser's own controls (file and date inputs) follow its locale: Chinese, as a user's would.
            browser = playwright.chromium.launch(executable_path=executable, args=["--lang=zh-CN"],
                                                 env={**os.environ, "LANG": "zh_CN.UTF-8", "LANGUAGE": "zh_CN:zh"})
            shots: list[Shot] = []
            for persona in dict.fromkeys(who for who, _, _ in PAGES):
                shots += take(browser, url, persona, DEMO_PASSWORD, args.out)
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    index(shots, args.out)
    bad = sum(1 for s in shots if s.errors or s.width > s.screen_width)
    print(f"{len(shots)} 张截图：{args.out / 'index.html'}（{bad} 张有问题）")


if __name__ == "__main__":
    main()
