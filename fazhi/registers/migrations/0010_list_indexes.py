from django.db import migrations, models


class Migration(migrations.Migration):
    """The record list's default sort (received date, newest first) over a whole register (issue 13)."""

    dependencies = [
        ("registers", "0009_record_number_counter"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["register", "opened_on"], name="record_reg_opened_idx"),
        ),
    ]
