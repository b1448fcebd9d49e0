import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "definitions check | definitions list [--format json|table]"
    requires_system_checks = []  # `check` must report broken definitions, not refuse to start

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("check", help="validate every definition file")
        listing = sub.add_parser("list", help="list registers and data sets")
        listing.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, action: str, **options):
        from fazhi.registers.registry import definitions_load

        registry = definitions_load()
        if action == "check":
            for err in registry.errors:
                self.stderr.write(str(err))
            if registry.errors:
                raise CommandError(f"{len(registry.errors)} 处错误")
            self.stdout.write(f"全部定义有效：{len(registry.registers)} 个登记簿")
            return
        rows = [
            {"code": d.definition.code, "kind": d.definition.kind, "name": d.definition.name,
             "version": d.definition.version, "path": str(d.path), "sha256": d.sha256}
            for d in registry.registers.values()
        ]
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for row in rows:
                self.stdout.write(f"{row['code']:<28} {row['kind']:<9} v{row['version']}  {row['name']}")
