import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("digest send [--date YYYY-MM-DD] [--dry-run] — e-mail each user what is overdue or due within 7 days "
            "(run daily from cron or a systemd timer; at most one digest a day per user).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="send today's digests")
        send.add_argument("--date", default=None, help="the day to send for (default today)")
        send.add_argument("--dry-run", action="store_true", help="list who would get a digest, send nothing")

    def handle(self, *args, action: str, date: str | None = None, dry_run: bool = False, **options):
        from fazhi.web.digest import digests_send

        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"日期“{date}”无效，应为 YYYY-MM-DD") from exc
        sent = digests_send(today=today, dry_run=dry_run)
        for username, count in sent:
            self.stdout.write(f"{username}\t{count}项")
        self.stdout.write(f"{'将发送' if dry_run else '已发送'}{len(sent)}封待办提醒")
