"""`fazhi exports purge`: remove list exports older than FAZHI_EXPORT_RETENTION_DAYS (run it daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from fazhi.imports.services import exports_purge


class Command(BaseCommand):
    help = "清除超过保留期限的导出文件（FAZHI_EXPORT_RETENTION_DAYS，默认 7 天）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge"])

    def handle(self, *args, action: str, **options):
        removed = exports_purge(acting_user=None)
        self.stdout.write(f"已清除 {removed} 个超过 {settings.FAZHI_EXPORT_RETENTION_DAYS} 天的导出文件")
