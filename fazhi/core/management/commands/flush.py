"""Django's flush, refused on history tables unless the settings allow it (the test suite's teardown)."""

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from fazhi.core.history import history_protection_lifted


class Command(flush.Command):
    help = flush.Command.help + " History tables refuse it unless FAZHI_HISTORY_FLUSH_ALLOWED is set (tests only)."

    def handle(self, **options: Any) -> None:
        if not getattr(settings, "FAZHI_HISTORY_FLUSH_ALLOWED", False):
            # The triggers refuse the DELETE/TRUNCATE: a database with history is never wiped silently.
            return super().handle(**options)
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with history_protection_lifted(connection):
            return super().handle(**options)
