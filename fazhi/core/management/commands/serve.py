"""`fazhi serve`: the production server (gunicorn, whitenoise for static files) on 127.0.0.1."""

import os
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from gunicorn.app.base import BaseApplication


def workers_default() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1, capped so a small machine keeps memory for the checker."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


class Command(BaseCommand):
    help = "Serve fazhi with gunicorn on 127.0.0.1 (default port 8000, or $PORT)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("FAZHI_WORKERS", "0")) or workers_default())

    def handle(self, *args: Any, port: int, workers: int, **options: Any) -> None:
        if not settings.DEBUG:
            try:
                settings.SECRET_KEY  # noqa: B018 — Django raises when it is empty
            except Exception as exc:  # ImproperlyConfigured
                raise CommandError(f"没有SECRET_KEY：请先运行 `fazhi secretkey`（写入{settings.LOCAL_ENV_FILE}），"
                                   "或设置环境变量FAZHI_SECRET_KEY") from exc
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"fazhi 已启动：http://127.0.0.1:{port}/ （{workers}个进程；Ctrl+C 停止）")
        self.stdout.flush()
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
