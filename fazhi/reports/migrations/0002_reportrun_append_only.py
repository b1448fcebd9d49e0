"""Database triggers that keep generated report runs as they were made, raw SQL included."""

from django.db import migrations

SQLITE_UP = [
    """CREATE TRIGGER reports_reportrun_no_update BEFORE UPDATE ON reports_reportrun
       BEGIN SELECT RAISE(ABORT, 'report runs are immutable'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER reports_reportrun_no_update"]
POSTGRES_UP = [
    """CREATE FUNCTION reports_reportrun_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'report runs are immutable'; END $$""",
    """CREATE TRIGGER reports_reportrun_no_update BEFORE UPDATE ON reports_reportrun
       FOR EACH ROW EXECUTE FUNCTION reports_reportrun_refuse()""",
]
POSTGRES_DOWN = ["DROP TRIGGER reports_reportrun_no_update ON reports_reportrun",
                 "DROP FUNCTION reports_reportrun_refuse()"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
