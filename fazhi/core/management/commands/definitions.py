import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fazhi.core.definitionfiles import definition_kinds


class Command(BaseCommand):
    help = "definitions check | definitions list [--format json|table] — every kind of definition file."
    requires_system_checks = []  # `check` must report broken definitions, not refuse to start

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="validate every definition file")
        listing = sub.add_parser("list", help="list registers, data sets, indicators …")
        listing.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        summaries, errors = [], []
        for kind in definition_kinds():
            found, errs = kind.load()
            summaries += found
            errors += errs
        if action == "check":
            for err in errors:
                self.stderr.write(str(err))
            if errors:
                raise CommandError(f"{len(errors)} 处错误")
            counts = "，".join(f"{k.name} {sum(s.kind == k.name for s in summaries)} 个" for k in definition_kinds())
            self.stdout.write(f"全部定义有效：{counts}")
            return
        rows = [
            {"code": s.code, "kind": s.kind, "name": s.name, "version": s.version, "path": str(s.path),
             "sha256": s.sha256}
            for s in summaries
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                self.stdout.write(f"{row['code']:<28} {row['kind']:<10} v{row['version']}  {row['name']}")
