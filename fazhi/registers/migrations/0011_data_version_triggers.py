"""Writes of records, rollups and clocks change the data version (core/dataversion.py)."""

from django.db import migrations

from fazhi.core.dataversion import triggers_migration, triggers_unmigration

TABLES = ('registers_record', 'registers_recordrollup', 'registers_recordclock')


class Migration(migrations.Migration):

    dependencies = [("core", "0008_data_version"), ("registers", "0010_list_indexes")]

    operations = [migrations.RunPython(triggers_migration(TABLES), triggers_unmigration(TABLES))]
