from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compute every seed-report figure fazhi reproduces; --write FILE writes the markdown table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", type=Path, help="write the table to this markdown file")

    def handle(self, *args: Any, **options: Any) -> None:
        from fazhi.indicators.seedfigures import (
            seed_figures_compute,
            seed_figures_markdown,
            seed_figures_write,
        )

        results = seed_figures_compute()
        if options["write"]:
            seed_figures_write(options["write"], results)
        self.stdout.write(seed_figures_markdown(results))
        wrong = [r for r in results if not r.equal]
        if wrong:
            raise CommandError(f"{len(wrong)} 个数字与报告不一致")
