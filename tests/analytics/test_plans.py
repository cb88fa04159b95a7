"""What PostgreSQL knows when it plans a summary (enterprises migration 0005, reporting migration 0005)."""
import json

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="extended statistics are PostgreSQL's"),
]


@pytest.mark.parametrize("length", [2, 4])
def test_the_planner_knows_how_many_provinces_and_cities_there_are(refdata, length):
    """Without statistics on SUBSTRING(region_code, 1, n) PostgreSQL guesses one group per row; a
    summary over 100,000 enterprises then sorts on disk instead of hashing a few hundred groups."""
    from django.db.models import Value
    from django.db.models.functions import Substr

    from analytics import synthetic
    from enterprises.models import Enterprise

    synthetic.generate(enterprises=60, months=1, seed=3, batch=60)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise")
    groups = (Enterprise.objects.annotate(g=Substr("region_code", 1, length)).values("g").order_by()
              .annotate(n=Value(1)).values("g").distinct())
    sql, params = groups.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    actual = len({code[:length] for code in Enterprise.objects.values_list("region_code", flat=True)})
    assert 1 < actual < Enterprise.objects.count()
    assert plan[0]["Plan"]["Plan Rows"] == actual


@pytest.mark.parametrize("table", ["reporting_indicatorfact", "reporting_submission"])
def test_the_enterprise_column_is_sampled_wider(table):
    """Facts and reports are stored enterprise by enterprise, and PostgreSQL's block sample of a table of
    millions of rows sees the same enterprises again and again: at 100,000 enterprises it estimated
    26,000 among 64 million facts and planned the summaries' joins around that (reporting migration
    0005; measured in bench/summary.py, too big to rebuild in a test). The wider sample must be set."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'enterprise_id'",
                       [table])
        assert cursor.fetchone()[0] == 1000
