"""The ``fazhi`` console command: Django's manage.py plus fazhi's own sub-commands."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "fazhi"
    # `fazhi check REPORT` runs the report checker; plain `fazhi check` stays Django's system check.
    if len(argv) > 2 and argv[1] == "check" and _looks_like_report(argv[2:]):
        argv[1] = "checkreport"
    execute_from_command_line(argv)


def _looks_like_report(args: list[str]) -> bool:
    suffixes = (".txt", ".docx", ".pdf", ".doc")
    return any(not a.startswith("-") and (a.lower().endswith(suffixes) or os.path.isfile(a)) for a in args)


if __name__ == "__main__":
    main()
