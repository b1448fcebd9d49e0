"""`fazhi serve`: the production server (gunicorn, whitenoise for static files) on 127.0.0.1."""

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication
from gunicorn.http import wsgi as gunicorn_wsgi


def workers_default() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped so a small machine keeps memory for the checker."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = "Serve fazhi with gunicorn on 127.0.0.1 (default port 8000, or $PORT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("FAZHI_WORKERS", "0")) or workers_default())
        parser.add_argument("--no-jobs", action="store_true",
                            help="不启动后台任务进程（大批量导出等由另行运行的 `fazhi db_worker` 处理）")
        parser.add_argument("--no-pdf-converter", action="store_true",
                            default=os.environ.get("FAZHI_PDF_CONVERTER") == "off",
                            help="不常驻 LibreOffice（每份 PDF 另起 LibreOffice，多约 2 秒）")

    def handle(self, *args: Any, port: int, workers: int, no_jobs: bool = False, no_pdf_converter: bool = False,
               **options: Any) -> None:
        if not settings.DEBUG:
            try:
                settings.SECRET_KEY  # noqa: B018 — Django raises when it is empty
            except Exception as exc:  # ImproperlyConfigured
                raise CommandError(f"没有SECRET_KEY：请先运行 `fazhi secretkey`（写入{settings.LOCAL_ENV_FILE}），"
                                   "或设置环境变量FAZHI_SECRET_KEY") from exc
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"fazhi 已启动：http://127.0.0.1:{port}/ （{workers}个进程；Ctrl+C 停止）")
        self.stdout.flush()
        # Before the workers fork: they and the job worker inherit its address (FAZHI_PDF_CONVERTER).
        converter = None if no_pdf_converter else _pdf_converter_start()
        jobs = None if no_jobs else jobs_worker_start()
        try:
            _serve(port, workers)
        finally:
            if converter is not None:
                converter.stop()
            if jobs is not None:
                jobs.terminate()
                try:
                    jobs.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    jobs.kill()


def jobs_worker_start() -> subprocess.Popen[bytes]:
    """The background-job worker (django-tasks-db's `db_worker`: large exports …), a child of the server, so
    one command runs everything; it stops with the server."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "fazhi.settings")}
    return subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--queue-name", "*"], env=env,
                            preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _pdf_converter_start() -> Any:
    """The warm PDF converter (fazhi/reports/pdf_converter.py), or None where it cannot run (then every PDF
    starts its own LibreOffice, as before)."""
    from fazhi.reports.pdf_converter import pdf_converter_start

    return pdf_converter_start(state_dir=settings.VAR_DIR)


def _die_with_parent() -> None:
    # Linux: the worker gets SIGTERM when the server dies, even by SIGKILL (no orphan polling the queue).
    import ctypes
    import signal

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _serve(port: int, workers: int) -> None:
    # gunicorn writes its own name into every response's Server header (older releases their version
    # too), with no setting to change it: the module-level name it reads is replaced before the workers
    # fork, so responses say only `Server: fazhi` (ASVS 14.3.3) and the WSGI environ names no version.
    gunicorn_wsgi.SERVER = gunicorn_wsgi.SERVER_SOFTWARE = "fazhi"
    _Server({
        "bind": f"127.0.0.1:{port}",
        "workers": workers,
        # Report PDFs go through LibreOffice: a worker may legitimately need a minute.
        "timeout": 120,
        "graceful_timeout": 20,
        # No access log: URLs can carry search terms, and the audit trail records every write.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "proc_name": "fazhi",
    }).run()


class _Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type information (an Any base)
    """A gunicorn application that serves fazhi.wsgi without reading the command line."""

    def __init__(self, options: dict[str, str | int | None]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        from fazhi.wsgi import application

        return application
