from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate when needed and load the demo districts, users and records (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        from fazhi.demo import demo_build, demo_logins

        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("载入示例数据……")
        demo_build(seed=seed, stdout=self.stdout)
        self.stdout.write("示例账号（用户名 / 密码 / 身份）：")
        for username, password, display in demo_logins():
            self.stdout.write(f"  {username} / {password} / {display}")
