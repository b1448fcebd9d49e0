import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve fazhi on 127.0.0.1 (default port 8000, or $PORT)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))

    def handle(self, *args, port: int, **options):
        self.stdout.write(f"fazhi 已启动：http://127.0.0.1:{port}/ （Ctrl+C 停止）")
        # --insecure: fazhi serves its own static files; nothing is fetched from elsewhere.
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True)
