from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "users import FILE.csv | users export FILE.csv — users and their roles (用户名, 姓名, 初始密码, 角色, 单位, 状态)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        from fazhi.core.setupcsv import CsvImportError, users_export, users_import

        if action == "export":
            self.stdout.write(f"已导出 {users_export(file)} 个用户到 {file}")
            return
        try:
            created = users_import(acting_user=None, data=file.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc.strerror}") from exc
        except CsvImportError as exc:
            raise CommandError(f"{file} 未导入（全部不导入）：\n{exc}") from exc
        self.stdout.write(f"已导入 {len(created)} 个用户")
