"""Writes of data values and data-set reports change the data version (core/dataversion.py)."""

from django.db import migrations

from fazhi.core.dataversion import triggers_migration, triggers_unmigration

TABLES = ('datasets_datavalue', 'datasets_datasetreport')


class Migration(migrations.Migration):

    dependencies = [("core", "0008_data_version"), ("datasets", "0001_initial")]

    operations = [migrations.RunPython(triggers_migration(TABLES), triggers_unmigration(TABLES))]
