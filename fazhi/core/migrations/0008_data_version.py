"""The data version row and the triggers of core's tables that change it (core/dataversion.py)."""

from django.db import migrations, models

from fazhi.core.dataversion import triggers_migration, triggers_unmigration


def _first_row(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.create(pk=1, n=0, token=0)

TABLES = ('core_orgunit', 'core_orgunitclosure', 'core_membership', 'core_role', 'core_calendarday', 'core_notice')


class Migration(migrations.Migration):

    dependencies = [("core", "0007_notice")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("n", models.BigIntegerField(default=0, verbose_name="版本")),
                ("token", models.BigIntegerField(default=0, verbose_name="随机标记")),
            ],
            options={"verbose_name": "数据版本", "verbose_name_plural": "数据版本"},
        ),
        migrations.RunPython(_first_row, migrations.RunPython.noop),
        migrations.RunPython(triggers_migration(TABLES), triggers_unmigration(TABLES)),
    ]
