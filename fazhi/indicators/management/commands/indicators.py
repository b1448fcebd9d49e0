import csv
import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "fazhi indicators --unit 东洲区 --period 2024 [--code C …] [--format table|json|csv]"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="org unit name (or id)")
        parser.add_argument("--period", required=True, help="2024, 2024Q1, 2024-03 or 2024YTD09")
        parser.add_argument("--code", action="append", dest="codes", help="only these indicators")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args: Any, unit: str, period: str, codes: list[str] | None, **options: Any) -> None:
        from fazhi.core.models import OrgUnit
        from fazhi.core.periods import PeriodError, period_parse
        from fazhi.indicators.engine import indicators_compute
        from fazhi.indicators.registry import indicator_registry

        try:
            parsed = period_parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        units = list(OrgUnit.objects.filter(pk=int(unit))) if unit.isdigit() else list(OrgUnit.objects.filter(name=unit))
        if not units:
            raise CommandError(f"没有名为“{unit}”的单位")
        if len(units) > 1:
            raise CommandError(f"有 {len(units)} 个名为“{unit}”的单位，请改用编号：{', '.join(str(u.pk) for u in units)}")
        unknown = sorted(set(codes or []) - set(indicator_registry().indicators))
        if unknown:
            raise CommandError(f"没有这些指标：{'、'.join(unknown)}")
        values = indicators_compute(units=units, periods=[parsed], codes=codes)
        rows = [v.as_dict() for v in values.values()]
        fmt = options["format"]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        elif fmt == "csv":
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["code"])
            writer.writeheader()
            writer.writerows(rows)
        else:
            for v in values.values():
                shown = "—" if v.value is None else f"{v.value}{v.unit}"
                ratio = f"（{v.numerator}/{v.denominator}）" if v.kind == "rate" and v.denominator else ""
                self.stdout.write(f"{v.code:<30} {v.name:<24} {shown}{ratio}")
