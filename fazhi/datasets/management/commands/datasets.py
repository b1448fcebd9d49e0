import json

from django.core.management.base import BaseCommand, CommandError

from fazhi.core.models import OrgUnit


class Command(BaseCommand):
    help = "datasets completeness --dataset CODE --period 2024 --unit 东洲区 [--format table|json]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("completeness", help="每个应报单位的报送状态、是否按时、必填项完成度")
        report.add_argument("--dataset", required=True, help="数据集代码，如 legal_publicity")
        report.add_argument("--period", required=True, help="期间：2024、2024Q1 或 2024-03")
        report.add_argument("--unit", required=True, help="上级单位的名称或编号")
        report.add_argument("--as-of", dest="as_of", help="按此日期判断是否逾期（默认今天），如 2025-03-02")
        report.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action: str, **options):
        import datetime as dt

        from fazhi.core.periods import Period, PeriodError
        from fazhi.datasets.registry import UnknownDataset, dataset_definition
        from fazhi.datasets.selectors import dataset_completeness

        try:
            definition = dataset_definition(options["dataset"])
            period = Period.parse(options["period"])
        except (UnknownDataset, PeriodError) as exc:
            raise CommandError(str(exc)) from None
        if period.type != definition.period_type:
            raise CommandError(f"“{definition.name}”按{definition.period_type}填报，期间 {options['period']} 不符")
        root = self._unit(options["unit"])
        today = dt.date.fromisoformat(options["as_of"]) if options.get("as_of") else None
        # A command-line job acts as the system (acting user None), like demo and imports.
        result = dataset_completeness(None, dataset=definition.code, period=period, root=root, today=today)
        rows = [
            {
                "unit": row.unit.name, "unit_id": row.unit.pk, "status": row.status or "none",
                "status_name": row.status_name, "locked": bool(row.report and row.report.locked),
                "timeliness": str(row.timeliness), "timeliness_name": row.timeliness.label,
                "submitted_on": row.submitted_on.isoformat() if row.submitted_on else None,
                "required_filled": row.required_filled, "required_total": row.required_total,
                "filled_percent": row.filled_percent,
            }
            for row in result.units
        ]
        summary = {
            "dataset": definition.code, "name": definition.name, "period": period.key, "period_label": period.label,
            "unit": root.name, "due_on": result.due_on.isoformat(), "expected": result.expected,
            "submitted": result.submitted, "approved": result.approved,
            "completion_rate": None if result.completion_rate is None else str(result.completion_rate),
            "timeliness_rate": None if result.timeliness_rate is None else str(result.timeliness_rate),
            "units": rows,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{definition.name} · {period.label} · {root.name}（报送截止 {result.due_on}）")
        for row in rows:
            self.stdout.write(
                f"{row['unit']:<14}\t{row['status_name']}{'（已锁定）' if row['locked'] else ''}\t"
                f"{row['timeliness_name']}\t{row['submitted_on'] or '—'}\t必填项 {row['filled_percent']}%"
            )
        rate = "—" if result.completion_rate is None else f"{result.completion_rate}%"
        timely = "—" if result.timeliness_rate is None else f"{result.timeliness_rate}%"
        self.stdout.write(f"应报 {result.expected}，已报 {result.submitted}，已审核 {result.approved}；"
                          f"完成率 {rate}，及时率 {timely}")

    def _unit(self, text: str) -> OrgUnit:
        if text.isdigit():
            unit = OrgUnit.objects.filter(pk=int(text)).first()
            if unit is None:
                raise CommandError(f"没有编号为 {text} 的单位")
            return unit
        units = list(OrgUnit.objects.filter(name=text)[:2])
        if not units:
            raise CommandError(f"没有名为“{text}”的单位")
        if len(units) > 1:
            raise CommandError(f"名为“{text}”的单位不止一个，请改用单位编号")
        return units[0]
