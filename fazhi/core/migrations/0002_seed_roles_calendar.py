"""Load the shipped roles and the holiday / 调休 calendar (both editable afterwards)."""

from pathlib import Path

import yaml
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    from fazhi.core.workdays import calendar_file_entries

    Role = apps.get_model("core", "Role")
    for row in yaml.safe_load((DATA / "roles.yaml").read_text(encoding="utf-8")):
        Role.objects.update_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})
    CalendarDay = apps.get_model("core", "CalendarDay")
    for day, kind, name in calendar_file_entries(DATA / "calendar.yaml"):
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
