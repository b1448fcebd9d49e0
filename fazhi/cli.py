"""The ``fazhi`` console command: Django's manage.py plus fazhi's own sub-commands."""

import os
import sys

# fazhi's own commands that serve nothing on the web. Django's system checks, which every other command
# runs first, import the URL configuration and with it every view, DRF and drf-spectacular (about 0.75 s
# of the ~1 s a `fazhi report` took); these commands skip them. `fazhi check` and `fazhi serve` still run
# them, so a broken configuration is still reported before anything is served. (`definitions` never runs
# them: it must report broken definition files that the checks would stop at.)
LEAN_COMMANDS = frozenset({
    "audit", "calendar", "checkreport", "datasets", "demo", "digest", "exports", "import",
    "indicators", "report", "rollups", "secretkey", "seedfigures", "units", "users",
})


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(cli_argv(sys.argv))


def cli_argv(argv: list[str]) -> list[str]:
    """The argument list Django's command line is given for ``fazhi`` ``argv[1:]``."""
    argv = ["fazhi", *argv[1:]]
    # `fazhi check REPORT` runs the report checker; plain `fazhi check` stays Django's system check.
    if len(argv) > 2 and argv[1] == "check" and _looks_like_report(argv[2:]):
        argv[1] = "checkreport"
    if len(argv) > 1 and argv[1] in LEAN_COMMANDS and not {"-h", "--help", "--skip-checks"} & set(argv[2:]):
        argv.insert(2, "--skip-checks")
    return argv


def _looks_like_report(args: list[str]) -> bool:
    suffixes = (".txt", ".docx", ".pdf", ".doc")
    return any(not a.startswith("-") and (a.lower().endswith(suffixes) or os.path.isfile(a)) for a in args)


if __name__ == "__main__":
    main()
