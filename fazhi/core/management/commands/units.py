from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "units import FILE.csv | units export FILE.csv — org units (名称, 类型, 上级单位, 行政区划代码, 常住人口)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        from fazhi.core.setupcsv import CsvImportError, units_export, units_import

        if action == "export":
            self.stdout.write(f"已导出 {units_export(file)} 个单位到 {file}")
            return
        try:
            created = units_import(acting_user=None, data=file.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取 {file}：{exc.strerror}") from exc
        except CsvImportError as exc:
            raise CommandError(f"{file} 未导入（全部不导入）：\n{exc}") from exc
        self.stdout.write(f"已导入 {len(created)} 个单位")
