"""Enterprise.industry_section: the section letter of the enterprise's industry, denormalised so that
the summaries by industry and by sector group without joining the industry table for each fact."""
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def sections_fill(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    Industry = apps.get_model("regions", "Industry")
    Enterprise.objects.update(industry_section=Subquery(Industry.objects.filter(pk=OuterRef("industry_id")).values("section")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0005_region_prefix_statistics"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="industry_section",
            field=models.CharField(blank=True, editable=False, max_length=1),
        ),
        migrations.RunPython(sections_fill, migrations.RunPython.noop),
    ]
