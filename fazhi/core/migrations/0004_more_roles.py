"""Roles added with the procuratorate and court lines (公益诉讼检察官, 法院诉前调解工作人员)."""

from django.db import migrations


def load(apps, schema_editor):
    from importlib import import_module

    # The same loader as 0002: roles.yaml is the source, update_or_create keeps edits idempotent.
    import_module("fazhi.core.migrations.0002_seed_roles_calendar").load(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
