"""Load the shipped roles and the holiday / 调休 calendar (both editable afterwards)."""

from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    from fazhi.core.roles import roles_sync
    from fazhi.core.workdays import calendar_file_entries

    # The role files (core and lines) are the source; the same sync runs again after every migrate.
    roles_sync(apps.get_model("core", "Role"), using=schema_editor.connection.alias)
    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, kind, name in calendar_file_entries(DATA / "calendar.yaml"):
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
