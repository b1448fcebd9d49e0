"""Serving benchmark (issue 13 item 12, issue 17): the 待办 workbench and the 驾驶舱 under 16 concurrent clients,
served by the production server (`fazhi serve`: gunicorn + whitenoise), against a static file of the same server.

    python -m bench.serving_bench --out /tmp/bench/serving.json [--clients 16] [--requests 40]
    python -m bench.serving_bench --out X.json --database /path/to/larger.sqlite3   # any fazhi SQLite database
                                                                                      # holding the demo personas

The demo database (`fazhi demo`, a few minutes) is built once into $BENCH_DIR/serving-demo/ (default
/tmp/bench/serving-demo) and reused while it exists; each run serves a copy of it from a temporary
FAZHI_VAR_DIR, so sign-ins and sessions never change the cached file. Each demo persona signs in once through
the login form (CSRF token, password `fazhi-demo-2024`); its session cookie is then given to every client.
Every phase runs `clients` threads (one `requests.Session` each, keep-alive), each doing 2 untimed warm-up
requests and then `requests` timed ones; every response must be 200 (a redirect to the login page fails the run).
The static file is measured first and last, and its two phases are pooled into the baseline.
Afterwards each page is rendered once more in-process (Django's test client over the same database copy)
to count its SQL queries (an execute wrapper) and name the top costs (cProfile), as information.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/bench"))
CACHE = WORK / "serving-demo"
SECRET = "fazhi-serving-bench-" + "s" * 50
PASSWORD = "fazhi-demo-2024"
STATIC = "/static/web/fazhi.css"
# (label, persona, path): the pages people wait for, as the personas who use them
PAGES = [
    ("待办 workbench `/workbench/` as hd_clerk (哈达镇联络员)", "hd_clerk", "/workbench/"),
    ("待办 workbench `/workbench/` as dz_mediator (东洲区调解员)", "dz_mediator", "/workbench/"),
    ("待办 workbench `/workbench/` as dz_admin (东洲区依法治区办)", "dz_admin", "/workbench/"),
    ("驾驶舱 `/cockpit/` as dz_leader (东洲区领导)", "dz_leader", "/cockpit/"),
]
TARGET_P95_S = 0.150


def log(msg: str) -> None:
    print(f"[serving {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _env(var_dir: Path, database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_", "DATABASE_URL"))}
    env.update(PYTHONPATH=str(ROOT), FAZHI_VAR_DIR=str(var_dir), DATABASE_URL=f"sqlite:///{database}",
               FAZHI_SECRET_KEY=SECRET)
    return env


def _fazhi(*args: str) -> list[str]:
    return [sys.executable, "-m", "fazhi.cli", *args]


def demo_database() -> tuple[Path, float | None]:
    """The cached demo database, built by `fazhi demo` when it is missing (returns its build time then)."""
    done = CACHE / "demo.sqlite3"
    if done.exists():
        return done, None
    build = Path(tempfile.mkdtemp(prefix="serving-demo-", dir=WORK))
    log(f"building the demo database in {build} (`fazhi demo`, a few minutes)")
    started = time.perf_counter()
    subprocess.run(_fazhi("demo"), env=_env(build, build / "demo.sqlite3"), cwd=build, check=True,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    CACHE.mkdir(parents=True, exist_ok=True)
    shutil.move(build / "demo.sqlite3", done)  # only a finished build is ever reused
    shutil.rmtree(build, ignore_errors=True)
    return done, seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sign_in(base: str, username: str) -> dict[str, str]:
    import requests

    s = requests.Session()
    page = s.get(base + "/login/", timeout=30)
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not m:
        raise RuntimeError("no CSRF token on the login page")
    r = s.post(base + "/login/", data={"csrfmiddlewaretoken": m.group(1), "username": username,
                                       "password": PASSWORD}, headers={"Referer": base + "/login/"},
               allow_redirects=False, timeout=30)
    if r.status_code != 302 or "sessionid" not in s.cookies:
        raise RuntimeError(f"sign-in of {username} failed: HTTP {r.status_code}")
    return {c.name: c.value or "" for c in s.cookies}


def _phase(base: str, path: str, cookies: dict[str, str], clients: int, requests_each: int) -> dict:
    import requests

    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client() -> None:
        s = requests.Session()
        s.cookies.update(cookies)
        mine: list[float] = []
        try:
            for _ in range(2):  # warm-up: connection, worker caches
                s.get(base + path, allow_redirects=False, timeout=60)
            start.wait()
            for _ in range(requests_each):
                t0 = time.perf_counter()
                r = s.get(base + path, allow_redirects=False, timeout=60)
                _ = r.content
                mine.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {r.status_code}")
        except Exception as exc:  # reported after the phase; the barrier must not hang the others
            with lock:
                errors.append(str(exc))
            start.abort()
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    try:
        start.wait()
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{path}: {errors[0]} ({len(errors)} clients failed)")
    return _summary(times) | {"wall_s": wall, "throughput": len(times) / wall}


def _summary(times: list[float]) -> dict:
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"n": len(times), "p50_s": statistics.median(times), "p95_s": q[94], "max_s": max(times),
            "mean_s": statistics.fmean(times)}


def _page_bytes(base: str, path: str, cookies: dict[str, str]) -> int:
    import requests

    return len(requests.get(base + path, cookies=cookies, allow_redirects=False, timeout=60).content)


_PROFILE = r"""
import cProfile, io, json, pstats, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
out = {}
for label, username, path in json.loads(sys.argv[1]):
    c = Client()
    c.force_login(get_user_model().objects.get(username=username))
    c.get(path)  # warm
    # An execute wrapper, not CaptureQueriesContext: Django empties connection.queries at every request start.
    calls = []
    def counted(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            calls.append(time.perf_counter() - t0)
    with connection.execute_wrapper(counted):
        t0 = time.perf_counter(); r = c.get(path); t = time.perf_counter() - t0
    assert r.status_code == 200, (path, r.status_code)
    sql = sum(calls)
    prof = cProfile.Profile(); prof.enable(); c.get(path); prof.disable()
    s = io.StringIO(); st = pstats.Stats(prof, stream=s); st.sort_stats("cumulative")
    fazhi = [(f"{k[0].split('/fazhi/', 1)[-1]}:{k[2]}", v[3]) for k, v in st.stats.items()
             if "/fazhi/" in k[0] and "/site-packages/" not in k[0]
             and not any(w in k[0] + k[2] for w in ("middleware", "otp.py", "guarded", "_views.py"))]
    fazhi.sort(key=lambda kv: -kv[1])
    out[label] = {"queries": len(calls), "sql_s": sql, "single_s": t,
                  "top": [[name, round(cum, 4)] for name, cum in fazhi[:8]]}
print(json.dumps(out))
"""


def profile(env: dict[str, str], cwd: Path) -> dict:
    """One in-process request per page: its SQL query count and the costliest fazhi functions (cumulative)."""
    env = {**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    text = subprocess.run([sys.executable, "-c", _PROFILE, json.dumps(PAGES)], env=env, cwd=cwd, check=True,
                          capture_output=True, text=True, timeout=600).stdout
    return json.loads(text.strip().splitlines()[-1])


def _visible_records(env: dict[str, str], cwd: Path) -> int:
    code = "import django; django.setup(); from fazhi.registers.models import Record; print(Record.objects.count())"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"},
                         cwd=cwd, check=True, capture_output=True, text=True, timeout=600).stdout
    return int(out.strip().splitlines()[-1])


def run(clients: int, requests_each: int, workers: int | None, database: Path | None = None) -> dict:
    demo_s: float | None = None
    if database is None:
        database, demo_s = demo_database()
    run_dir = Path(tempfile.mkdtemp(prefix="serving-run-", dir=WORK))
    served_db = run_dir / "serve.sqlite3"
    shutil.copy(database, served_db)
    env = _env(run_dir, served_db)
    # A cached database may predate the code's latest migrations.
    subprocess.run(_fazhi("migrate", "--no-input"), env=env, cwd=run_dir, check=True, stdout=subprocess.DEVNULL)
    records = _visible_records(env, run_dir)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = _fazhi("serve", "--port", str(port), "--no-jobs", "--no-pdf-converter", *(["--workers", str(workers)] if workers else []))
    log_file = (run_dir / "serve.log").open("w")
    server = subprocess.Popen(cmd, env=env, cwd=run_dir, stdout=log_file, stderr=subprocess.STDOUT)
    load_before = os.getloadavg()
    try:
        import requests

        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(base + "/login/", timeout=5)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("fazhi serve did not start: "
                                       + (run_dir / "serve.log").read_text(errors="replace")) from None
                time.sleep(0.3)
        banner = (run_dir / "serve.log").read_text(errors="replace")
        m = re.search(r"（(\d+)个进程", banner)
        cookies = {persona: _sign_in(base, persona) for persona in dict.fromkeys(p for _, p, _ in PAGES)}
        log(f"server on {base}; {clients} clients × {requests_each} requests per phase")
        static_runs = [_phase(base, STATIC, {}, clients, requests_each)]
        pages = []
        for label, persona, path in PAGES:
            log(f"phase {label}")
            r = _phase(base, path, cookies[persona], clients, requests_each)
            pages.append({"label": label, "persona": persona, "path": path,
                          "bytes": _page_bytes(base, path, cookies[persona]), **r})
        static_runs.append(_phase(base, STATIC, {}, clients, requests_each))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log_file.close()
    load_after = os.getloadavg()
    static_times_p95 = [s["p95_s"] for s in static_runs]
    static = {"path": STATIC, "runs": static_runs, "p50_s": statistics.median(s["p50_s"] for s in static_runs),
              "p95_s": statistics.median(static_times_p95), "throughput": statistics.fmean(
                  s["throughput"] for s in static_runs), "bytes": 0}
    for p in pages:
        p["ratio_p95"] = p["p95_s"] / static["p95_s"]
        p["ratio_p50"] = p["p50_s"] / static["p50_s"]
        p["holds"] = p["p95_s"] <= TARGET_P95_S
    log("profiling one request per page in-process")
    try:
        prof = profile(env, run_dir)
    except (subprocess.SubprocessError, ValueError) as exc:
        prof = {"error": str(exc)[:300]}
    shutil.rmtree(run_dir, ignore_errors=True)
    return {"clients": clients, "requests": requests_each, "workers": int(m.group(1)) if m else workers,
            "database": "demo" if demo_s is not None or database == CACHE / "demo.sqlite3" else str(database),
            "records": records,
            "cores": os.cpu_count(), "demo_s": demo_s, "demo_cached": demo_s is None, "static": static,
            "pages": pages, "profile": prof, "target_p95_s": TARGET_P95_S,
            "load_average": {"before": list(load_before), "after": list(load_after)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_SERVING_REQUESTS", "20")), help="timed requests per client and page")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: `fazhi serve`'s own sizing)")
    parser.add_argument("--database", type=Path,
                        help="serve a copy of this SQLite database instead of the demo (e.g. a larger one; it must "
                             "hold the demo personas, password fazhi-demo-2024)")
    parser.add_argument("--profile-only", action="store_true",
                        help="no server: one in-process request per page, its queries and costliest functions")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    if args.profile_only:
        database = args.database or demo_database()[0]
        run_dir = Path(tempfile.mkdtemp(prefix="serving-profile-", dir=WORK))
        shutil.copy(database, run_dir / "serve.sqlite3")
        env = _env(run_dir, run_dir / "serve.sqlite3")
        subprocess.run(_fazhi("migrate", "--no-input"), env=env, cwd=run_dir, check=True, stdout=subprocess.DEVNULL)
        Path(args.out).write_text(json.dumps(profile(env, run_dir), ensure_ascii=False, indent=1), encoding="utf-8")
        shutil.rmtree(run_dir, ignore_errors=True)
        return
    result = run(args.clients, args.requests, args.workers, args.database)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
