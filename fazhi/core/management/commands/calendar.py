from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = ("calendar load [--file PATH] | calendar show YEAR | calendar check YEAR [--file PATH] | "
            "calendar seed YEAR | calendar notice FILE — the holiday and 调休 calendar.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load holidays and make-up workdays from a YAML file")
        load.add_argument("--file", type=Path, default=None)
        show = sub.add_parser("show", help="list the exceptions of one year")
        show.add_argument("year", type=int)
        check = sub.add_parser("check", help="compare one year of the calendar file with chinesecalendar")
        check.add_argument("year", type=int)
        check.add_argument("--file", type=Path, default=None)
        seed = sub.add_parser("seed", help="print a calendar.yaml block for a year from chinesecalendar")
        seed.add_argument("year", type=int)
        notice = sub.add_parser("notice", help="load one year from the State Council's notice, saved as a text file")
        notice.add_argument("path", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        from fazhi.core.models import CalendarDay
        from fazhi.core.services import calendarday_set
        from fazhi.core.workdays import CALENDAR_FILE, calendar_file_entries

        if action in ("check", "seed"):
            return self._package(action, options["year"], options.get("file") or CALENDAR_FILE)
        if action == "notice":
            return self._notice(options["path"])
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

    def _package(self, action: str, year: int, path: Path) -> None:
        from fazhi.core.calendarsource import calendar_differences, calendar_year_yaml

        if action == "seed":
            block = calendar_year_yaml(year)
            if block.strip() == f"{year}:":
                raise CommandError(f"chinesecalendar 没有{year}年的节假日安排")
            self.stdout.write(block, ending="")
            return
        try:
            shipped, package, differences = calendar_differences(year, path)
        except (OSError, ValueError, AttributeError, TypeError) as exc:
            raise CommandError(f"无法读取节假日文件 {path}：{exc}") from exc
        if not shipped:
            raise CommandError(f"节假日文件缺少{year}年的安排")
        if not package:
            raise CommandError(f"chinesecalendar 没有{year}年的节假日安排，无法核对")
        for difference in differences:
            self.stdout.write(difference.describe())
        if differences:
            raise CommandError(f"{year}年有 {len(differences)} 天与 chinesecalendar 不一致")
        self.stdout.write(f"{year}年的节假日与调休安排与 chinesecalendar 一致")

    def _notice(self, path: Path) -> None:
        from fazhi.core.holidaynotice import NoticeError, holiday_notice_read
        from fazhi.core.services import calendar_year_set

        try:
            arrangement = holiday_notice_read(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取通知文件 {path}：{exc}") from exc
        except NoticeError as exc:
            raise CommandError(f"{path}：{exc.message}") from exc
        count = calendar_year_set(acting_user=None, arrangement=arrangement)
        self.stdout.write(f"已载入{arrangement.year}年节假日安排（{count}天）")
