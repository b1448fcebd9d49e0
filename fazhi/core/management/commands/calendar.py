from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "calendar load [--file PATH] | calendar show YEAR — the holiday and 调休 calendar."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load holidays and make-up workdays from a YAML file")
        load.add_argument("--file", type=Path, default=None)
        show = sub.add_parser("show", help="list the exceptions of one year")
        show.add_argument("year", type=int)

    def handle(self, *args, action: str, **options):
        from fazhi.core.models import CalendarDay
        from fazhi.core.services import calendarday_set
        from fazhi.core.workdays import CALENDAR_FILE, calendar_file_entries

        if action == "show":
            for day in CalendarDay.objects.filter(date__year=options["year"]):
                self.stdout.write(f"{day.date} {day.get_kind_display()} {day.name}")
            return
        path = options["file"] or CALENDAR_FILE
        try:
            entries = calendar_file_entries(path)
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            raise CommandError(f"无法读取节假日文件 {path}：{exc}") from exc
        changed = 0
        for date, kind, name in entries:
            current = CalendarDay.objects.filter(date=date).values_list("kind", "name").first()
            if current != (kind, name):
                calendarday_set(acting_user=None, date=date, kind=kind, name=name)
                changed += 1
        self.stdout.write(f"已载入 {len(entries)} 天，其中 {changed} 天有变化")
