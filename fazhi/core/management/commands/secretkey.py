"""`fazhi secretkey`: write a random SECRET_KEY into the local environment file unless it holds one."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from fazhi.localenv import secret_env_ensure


class Command(BaseCommand):
    help = "Create var/secret.env with a random FAZHI_SECRET_KEY the first time (make run does this)."

    def handle(self, *args: Any, **options: Any) -> None:
        path = settings.LOCAL_ENV_FILE
        if secret_env_ensure(path):
            self.stdout.write(f"已生成SECRET_KEY：{path}（仅本机保存，勿提交）")
        else:
            self.stdout.write(f"SECRET_KEY已存在：{path}")
