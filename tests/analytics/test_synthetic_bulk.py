"""gen_synthetic's bulk path on PostgreSQL: batches filled by parallel worker processes, and the facts
table's indexes dropped for the load and always built again."""
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path (COPY, workers, indexes) is PostgreSQL's"),
]


def fact_indexes() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'reporting_indicatorfact'")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def loaded(refdata):
    from accounts.demo import seed_demo

    seed_demo(with_apps=False)


def test_workers_fill_the_batches_and_facts_match_facts_of(loaded, monkeypatch):
    from analytics import synthetic
    from enterprises.models import Enterprise
    from reporting.models import IndicatorFact, Submission
    from reporting.services.facts import facts_of

    before = fact_indexes()
    monkeypatch.setattr(synthetic, "BULK_REPORTS", 1)  # take the bulk path with a handful of rows
    counts = synthetic.generate(enterprises=6, months=2, seed=7, batch=2, workers=2)
    assert counts["enterprises"] == 6
    assert Enterprise.objects.filter(user__username__startswith="syn").count() == 6
    submissions = list(Submission.objects.filter(enterprise__user__username__startswith="syn")
                       .select_related("version", "enterprise__industry"))
    assert len(submissions) == counts["submissions"] > 0
    assert IndicatorFact.objects.filter(submission__in=submissions).count() == counts["facts"]
    for s in submissions:
        expected = {(f.field, f.row, f.column, float(f.value), f.status, f.industry_code, f.region_code) for f in facts_of(s)}
        stored = {(f.field, f.row, f.column, float(f.value), f.status, f.industry_code, f.region_code)
                  for f in IndicatorFact.objects.filter(submission=s)}
        assert stored == expected
    assert fact_indexes() == before and "fact_def_period_cell_status" in before


def test_the_indexes_come_back_when_a_load_fails(loaded, monkeypatch):
    from analytics import synthetic

    before = fact_indexes()
    monkeypatch.setattr(synthetic, "BULK_REPORTS", 1)

    during = []

    def broken(self, first, last):
        during.append(fact_indexes())
        raise RuntimeError("disk full")

    monkeypatch.setattr(synthetic._Run, "batch", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        synthetic.generate(enterprises=2, months=1, seed=8, batch=2, workers=1)
    assert during == [{name for name in before if name.endswith("_pkey")}]  # only the primary key during the load
    assert fact_indexes() == before
