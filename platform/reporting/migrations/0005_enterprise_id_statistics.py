"""A larger statistics sample for the enterprise column of reports and facts (PostgreSQL).

Facts and reports are stored enterprise by enterprise (a report's fifty facts, an enterprise's months
side by side), so the default sample of 30,000 rows sees the same enterprises again and again:
at 100,000 enterprises PostgreSQL estimated 26,000 distinct enterprises among the facts and 37,000
among the reports, and planned the summaries' joins around those wrong sizes. With 1,000 (a
300,000-row sample; ANALYZE of 64 million facts ~10 s) it estimates 92,500 and 99,900, and the
summaries by holding type, region and size run 10-20 % faster (bench/summary.py)."""
from django.db import migrations

COLUMNS = (("reporting_indicatorfact", "enterprise_id"), ("reporting_submission", "enterprise_id"))
TARGET = 1000


def _set(schema_editor, target):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}")


def raise_target(apps, schema_editor):
    _set(schema_editor, TARGET)


def default_target(apps, schema_editor):
    _set(schema_editor, -1)


class Migration(migrations.Migration):
    dependencies = [("reporting", "0004_summary_indexes")]
    operations = [migrations.RunPython(raise_target, default_target, elidable=False)]
