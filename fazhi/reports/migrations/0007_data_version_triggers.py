"""Writes of annual reports and section assignments change the data version (core/dataversion.py)."""

from django.db import migrations

from fazhi.core.dataversion import triggers_migration, triggers_unmigration

TABLES = ('reports_annualreport', 'reports_sectionassignment')


class Migration(migrations.Migration):

    dependencies = [("core", "0008_data_version"), ("reports", "0006_approval_versions")]

    operations = [migrations.RunPython(triggers_migration(TABLES), triggers_unmigration(TABLES))]
