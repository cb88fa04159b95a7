"""ExportJob takes the shared task model's field names (ops.task_base): `progress` is now `processed`
and `error` is now `message`, on the same columns. Only the migration state changes; the database
is left as it is (no column is renamed, no row touched)."""
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("exports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name="exportjob", old_name="progress", new_name="processed"),
                migrations.AlterField(
                    model_name="exportjob", name="processed",
                    field=models.PositiveIntegerField(db_column="progress", default=0, verbose_name="rows written"),
                ),
                migrations.RenameField(model_name="exportjob", old_name="error", new_name="message"),
                migrations.AlterField(
                    model_name="exportjob", name="message",
                    field=models.TextField(blank=True, db_column="error", verbose_name="error"),
                ),
            ],
            database_operations=[],
        ),
    ]
