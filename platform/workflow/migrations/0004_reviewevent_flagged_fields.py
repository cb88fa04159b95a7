from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0003_return_answers_snapshot'),
    ]

    operations = [
        migrations.AddField(
            model_name='reviewevent',
            name='flagged_fields',
            field=models.JSONField(blank=True, default=list, editable=False, help_text="A return's cells the reviewer questions: answer paths (grid.row.column, or a field id).", verbose_name='flagged cells'),
        ),
    ]
