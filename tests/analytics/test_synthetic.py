"""gen_synthetic: enterprises, reports and facts consistent with each other and with the cumulative rules."""
import pytest
from django.core.management import call_command

from reporting.periods import month_add

pytestmark = pytest.mark.django_db


def test_gen_synthetic_is_consistent(demo_core, monthly_setup):
    from analytics.selectors import analytics_scope, summary_compute
    from enterprises.models import Enterprise
    from reporting.models import IndicatorFact, Submission
    from reporting.services.facts import facts_of

    call_command("gen_synthetic", enterprises=6, months=13, seed=3, verbosity=0)
    synthetic = Enterprise.objects.filter(user__username__startswith="syn")
    assert synthetic.count() == 6
    assert all(e.direct_reviewer.region is None or e.region_code.startswith(e.direct_reviewer.region.prefix)
               for e in synthetic.select_related("direct_reviewer__region"))
    submissions = list(Submission.objects.filter(enterprise__in=synthetic).select_related("version", "enterprise__industry"))
    assert len(submissions) > 6 * 13 * 0.6
    for s in submissions[:25]:
        expected = {(f.field, f.row, f.column, float(f.value), f.status, f.industry_code) for f in facts_of(s)}
        stored = {(f.field, f.row, f.column, float(f.value), f.status, f.industry_code)
                  for f in IndicatorFact.objects.filter(submission=s)}
        assert stored == expected
    by_key = {(s.enterprise_id, s.period): s.answers["ind"] for s in submissions}
    for (enterprise_id, period), grid in by_key.items():
        previous = by_key.get((enterprise_id, month_add(period, -1)))
        if period.month > 1 and previous is not None:  # 1-本月 = 本月 + last month's 1-本月
            assert grid["revenue"]["ytd"] == pytest.approx(grid["revenue"]["month"] + previous["revenue"]["ytd"], abs=0.02)
        last_year = by_key.get((enterprise_id, month_add(period, -12)))
        if last_year is not None:  # 上年1-本月 = last year's report
            assert grid["revenue"]["ly_ytd"] == pytest.approx(last_year["revenue"]["ytd"], abs=0.02)
    statuses = {s.status for s in submissions}
    assert {"approved", "pending"} <= statuses
    # the summary runs over them
    from accounts.models import User

    scope = analytics_scope(User.objects.get(username="sme_admin"))
    report_type = monthly_setup[0]
    latest = max(s.period for s in submissions)
    summary = summary_compute(scope=scope, report_type=report_type, period=latest, indicators=["revenue"])
    assert summary.total.enterprises == sum(1 for s in submissions if s.period == latest)
    # a second run adds new enterprises (names and codes stay unique)
    call_command("gen_synthetic", enterprises=2, months=1, seed=4, verbosity=0)
    assert Enterprise.objects.filter(user__username__startswith="syn").count() == 8
