"""The filing demo: the software report type, a software enterprise and two open tasks; idempotent."""
import pytest

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_each_task_reaches_its_enterprises(demo_core):
    from enterprises.models import Enterprise
    from filing.demo import seed_demo
    from filing.models import FilingTask
    from filing.selectors import filing_tasks_for_application, filing_tasks_for_enterprise

    lines = seed_demo()
    assert seed_demo() == [] and len(lines) == 8  # the annual report's value, task and two enterprises: 4 more
    from formdefs.models import ReferenceValue
    from reporting.periods import period_current

    this_year = period_current(FilingTask.objects.filter(report_type__key="software_monthly").first().report_type).year
    # The monthly margin rule reads the national average of the report's year: stored for it too.
    assert ReferenceValue.objects.filter(key="software_profit_margin_national", year=this_year).exists()
    assert FilingTask.objects.filter(status="open", report_type__key="software_monthly").count() == 2
    soft = Enterprise.objects.get(filler__username="com_soft01")
    assert soft.industry.full_code.startswith("I65") and soft.direct_reviewer.user.username == "sme_zhejiang"
    assert filing_tasks_for_enterprise(enterprise=soft) == []  # the provincial task takes applications
    assert [r.task.title[:4] for r in filing_tasks_for_application(enterprise=soft)] == ["[省级]"]
    jiangbei = Enterprise.objects.get(filler__username="com_demo02")  # 宁波江北, I6513
    assert [r.task.title[:4] for r in filing_tasks_for_enterprise(enterprise=jiangbei)] == ["[市级]"]
