"""Who sees which task (region, industry, application), the enterprise's filters, the back office's scope."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from filing import selectors as sel
from filing.enums import ApplicationStatus, TaskLevel, TaskStatus
from filing.models import FilingTask
from filing.services import filing_application_accept, filing_application_create, filing_task_close
from reporting.enums import NOT_FILLED

from .conftest import make_enterprise

pytestmark = pytest.mark.django_db


def titles(rows):
    return [r.task.title for r in rows]


def test_a_task_reaches_the_enterprises_of_its_region_and_industry(task_factory, soft, admins):
    from enterprises.models import Enterprise

    task = task_factory("sme_zhejiang", title="浙江软件业月报")
    hangzhou = make_enterprise("com_soft_hz", "杭州软件有限公司", industry="I6531", county="330106")
    jiangsu = make_enterprise("com_soft_js", "南京软件有限公司", county="320102")
    machine = Enterprise.objects.get(filler__username="com_demo01")  # 宁波海曙, C3435
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft)) == ["浙江软件业月报"]
    assert titles(sel.filing_tasks_for_enterprise(enterprise=hangzhou)) == ["浙江软件业月报"]
    assert sel.filing_tasks_for_enterprise(enterprise=jiangsu) == []
    assert sel.filing_tasks_for_enterprise(enterprise=machine) == []
    with pytest.raises(FilingTask.DoesNotExist):
        sel.filing_task_get_for_enterprise(enterprise=machine, pk=task.pk)
    assert task.level == TaskLevel.PROVINCIAL and task.region_prefix == "33"


def test_a_municipal_task_and_a_narrower_region(task_factory, soft, admins):
    from regions.selectors import region_by_code

    hangzhou = make_enterprise("com_soft_hz", "杭州软件有限公司", county="330106")
    ningbo = task_factory("sme_ningbo", title="宁波软件业月报")
    narrowed = task_factory("sme_zhejiang", title="浙江（限海曙）", fill_region=region_by_code("330203", level=3))
    assert ningbo.level == TaskLevel.MUNICIPAL and narrowed.region_prefix == "330203"
    assert set(titles(sel.filing_tasks_for_enterprise(enterprise=soft))) == {"宁波软件业月报", "浙江（限海曙）"}
    assert sel.filing_tasks_for_enterprise(enterprise=hangzhou) == []


def test_drafts_are_hidden_and_closed_tasks_are_read_only(task_factory, soft, admins):
    task_factory(title="草稿任务", open_it=False)
    closed = task_factory(title="已结束任务")
    filing_task_close(task=closed, actor=admins["sme_zhejiang"])
    (row,) = sel.filing_tasks_for_enterprise(enterprise=soft)
    assert row.task.title == "已结束任务" and not row.is_open and not row.can_fill and not row.can_cancel


def test_disabled_enterprises_see_no_tasks(task_factory, soft):
    task_factory()
    soft.is_disabled = True
    soft.save(update_fields=["is_disabled"])
    assert sel.filing_tasks_for_enterprise(enterprise=soft) == []
    assert sel.filing_tasks_for_application(enterprise=soft) == []


def test_a_task_by_application_is_seen_once_accepted(task_factory, soft, admins):
    task = task_factory(title="申请制任务", requires_application=True)
    assert sel.filing_tasks_for_enterprise(enterprise=soft) == []
    (offer,) = sel.filing_tasks_for_application(enterprise=soft)
    assert offer.status_label == "未申请" and offer.can_apply
    application = filing_application_create(task=task, enterprise=soft, actor=soft.filler)
    assert sel.filing_tasks_for_enterprise(enterprise=soft) == []  # pending
    (offer,) = sel.filing_tasks_for_application(enterprise=soft)
    assert offer.status_label == "待审核" and not offer.can_apply
    filing_application_accept(application=application, actor=admins["sme_zhejiang"])
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft)) == ["申请制任务"]
    assert sel.filing_tasks_for_application(enterprise=soft)[0].status_label == "已通过"


def test_filters_by_period_status_and_name(task_factory, soft, period):
    from filing.services import filing_report_save

    from .conftest import software_answers

    march = task_factory(title="三月软件月报")
    task_factory(title="二月软件月报", period=datetime.date(2026, 2, 1))
    filing_report_save(task=march, enterprise=soft, answers=software_answers(), actor=soft.filler)
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft, period=period)) == ["三月软件月报"]
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft, name="二月")) == ["二月软件月报"]
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft, status="editing")) == ["三月软件月报"]
    assert titles(sel.filing_tasks_for_enterprise(enterprise=soft, status=NOT_FILLED)) == ["二月软件月报"]
    labels = {r.task.title: r.status_label for r in sel.filing_tasks_for_enterprise(enterprise=soft)}
    assert labels == {"三月软件月报": "编辑", "二月软件月报": "未填报"}
    assert [label for _, label in sel.filing_task_periods_for_enterprise(enterprise=soft)] == ["2026年03月", "2026年02月"]


def test_the_task_list_query_count_does_not_grow(task_factory, soft, django_assert_max_num_queries):
    for n in range(6):
        task_factory(title=f"任务{n}", period=datetime.date(2026, n + 1, 1), due_date=datetime.date(2026, 12, 20))
    with django_assert_max_num_queries(3):
        rows = sel.filing_tasks_for_enterprise(enterprise=soft)
        assert [r.status_label for r in rows] == ["未填报"] * 6


def test_period_labels_follow_the_frequency():
    # A quarter and a year are their last month (reporting.periods, tests/reporting/test_periods.py).
    assert sel.period_label("monthly", datetime.date(2026, 5, 1)) == "2026年05月"
    assert sel.period_label("quarterly", datetime.date(2026, 6, 1)) == "2026年第2季度"
    assert sel.period_label("annual", datetime.date(2026, 12, 1)) == "2026年度"


def test_the_back_office_sees_the_tasks_of_its_scope(task_factory, admins):
    task_factory("sme_zhejiang", title="省级任务")
    task_factory("sme_ningbo", title="市级任务")
    assert {t.title for t in sel.filing_tasks_for_admin(user=admins["sme_zhejiang"])} == {"省级任务", "市级任务"}
    assert {t.title for t in sel.filing_tasks_for_admin(user=admins["sme_admin"])} == {"省级任务", "市级任务"}
    assert [t.title for t in sel.filing_tasks_for_admin(user=admins["sme_ningbo"])] == ["市级任务"]
    assert [t.title for t in sel.filing_tasks_for_admin(user=admins["sme_ningbo"], status=TaskStatus.OPEN)] == ["市级任务"]
    provincial = FilingTask.objects.get(title="省级任务")
    with pytest.raises(FilingTask.DoesNotExist):
        sel.filing_task_get_for_admin(user=admins["sme_ningbo"], pk=provincial.pk)
    with pytest.raises(PermissionDenied):  # a county issues no tasks
        sel.filing_tasks_for_admin(user=admins["sme_haishu"])
    from accounts.models import User

    with pytest.raises(PermissionDenied):  # an enterprise user
        sel.filing_tasks_for_admin(user=User.objects.get(username="com_demo01"))


def test_applications_are_scoped_to_the_issuing_region(task_factory, soft, admins):
    task = task_factory(title="申请制任务", requires_application=True)
    filing_application_create(task=task, enterprise=soft, actor=soft.filler)
    assert sel.filing_applications_for_admin(user=admins["sme_zhejiang"]).count() == 1
    assert sel.filing_applications_for_admin(user=admins["sme_ningbo"]).count() == 0
    assert sel.filing_tasks_for_admin(user=admins["sme_zhejiang"]).get().pending_applications == 1
    assert ApplicationStatus.PENDING == sel.filing_applications_for_admin(user=admins["sme_admin"]).get().status
