import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "rollups rebuild [--register CODE …] | rollups verify — recompute or check the rollup table."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="recompute the rollups from raw records")
        rebuild.add_argument("--register", action="append", dest="registers")
        sub.add_parser("verify", help="compare the rollups with a fresh computation, changing nothing")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from django.db import transaction

        from fazhi.registers.rollups import rollup_snapshot, rollups_rebuild

        if action == "rebuild":
            started = time.perf_counter()
            rows = rollups_rebuild(registers=options.get("registers"))
            self.stdout.write(f"汇总已重建：{rows} 行，用时 {time.perf_counter() - started:.1f} 秒")
            return
        current = rollup_snapshot()
        with transaction.atomic():
            rollups_rebuild()
            fresh = rollup_snapshot()
            transaction.set_rollback(True)
        differing = {k for k in current.keys() | fresh.keys() if current.get(k) != fresh.get(k)}
        if differing:
            for key in sorted(differing, key=str)[:20]:
                self.stderr.write(f"{key}: 现有 {current.get(key)}，应为 {fresh.get(key)}")
            raise CommandError(f"汇总与原始记录不一致：{len(differing)} 行")
        self.stdout.write(f"汇总与原始记录一致：{len(current)} 行")
