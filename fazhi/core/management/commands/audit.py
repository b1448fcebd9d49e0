"""`fazhi audit verify [--table X]`: walk every history table's hash chain and check its triggers.
`fazhi audit text`: list the stored text fields that hold control characters (written before input was
checked; pages and reports strip them when rendering)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "History tables: `verify` walks each hash chain and checks the protective triggers."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="report the first broken link of each chain (exit code 1)")
        verify.add_argument("--table", action="append", default=None,
                            help="only this table (e.g. registers_recordevent or registers.RecordEvent); repeatable")
        verify.add_argument("--database", default="default")
        text = sub.add_parser("text", help="list stored text fields holding control characters (exit code 1)")
        text.add_argument("--database", default="default")

    def handle(self, *args: Any, action: str, table: list[str] | None = None, database: str = "default",
               **options: Any) -> None:
        if action == "text":
            return self._text(database)
        from fazhi.core.history import history_models, history_verify

        known = {m._meta.db_table: m for m in history_models()}
        chosen = None
        if table:
            aliases = {**{t: t for t in known}, **{m._meta.label_lower: t for t, m in known.items()}}
            chosen = []
            for name in table:
                if name.lower() not in aliases:
                    raise CommandError(f"没有名为“{name}”的历史表；可选：{'、'.join(sorted(known))}", returncode=2)
                chosen.append(aliases[name.lower()])
        reports = history_verify(tables=chosen, using=database)
        broken = [b for r in reports for b in r.breaks]
        for report in reports:
            if report.breaks:
                for b in report.breaks:
                    self.stdout.write(f"  ✗ {b}")
            else:
                head = report.head[:16] if report.rows else "（空）"
                self.stdout.write(f"  ✓ {report.table}：{report.rows} 行，链完整，链头 {head}")
        if broken:
            raise CommandError(f"历史记录校验未通过：{len(broken)} 处问题", returncode=1)
        rows = sum(r.rows for r in reports)
        self.stdout.write(f"历史记录校验通过：{len(reports)} 张表，共 {rows} 行，哈希链完整，保护触发器齐全。")

    def _text(self, database: str) -> None:
        from fazhi.core.storedtext import stored_control_characters

        found = stored_control_characters(using=database)
        for item in found:
            self.stdout.write(f"  ✗ {item}")
        if found:
            raise CommandError(f"{len(found)} 处保存的文字含控制字符（页面和报告显示时已去除；请在相应页面更正）",
                               returncode=1)
        self.stdout.write("没有发现含控制字符的已存文字。")
