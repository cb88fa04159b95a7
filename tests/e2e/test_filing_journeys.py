"""填报任务 in Chromium: a software enterprise applies for the provincial task, fills it on the
wizard, meets severe warnings, explains each in the dialog, submits, cancels and submits again; the
back office accepts the application and the phone shows the task list."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import login

PASSWORD = "Demo@2026sme"
REVENUE = {"products": (100, 300, 250), "services": (200, 600, 500), "security": (30, 90, 80),
           "embedded": (20, 60, 50), "total": (350, 1050, 880)}


@pytest.fixture
def provincial_task(e2e_demo):
    from filing.models import FilingTask

    return FilingTask.objects.get(title__startswith="[省级]", report_type__key="software_monthly")


def test_software_enterprise_applies_fills_explains_submits_cancels_and_resubmits(
        page, phone_page, live_server, provincial_task, shot):
    base = live_server.url
    login(page, base, "com_soft01", PASSWORD, "13800000065", next_url="/tasks/")
    page.wait_for_url(re.compile(r"/tasks/$"))
    main = page.locator("main")
    expect(main).to_contain_text("没有符合条件的填报任务")
    main.get_by_role("link", name="填报任务申请").first.click()
    row = main.locator(f"tr[data-task='{provincial_task.pk}']")
    expect(row.locator("[data-testid=application-status]")).to_have_text("未申请")
    shot(page, "filing-desktop-apply")
    row.locator("[data-testid=apply]").click()
    expect(page.locator(".messages")).to_contain_text("申请已提交")
    expect(row.locator("[data-testid=application-status]")).to_have_text("待审核")

    # The province accepts the application in the back office.
    login(phone_page, base, "sme_zhejiang", PASSWORD, "13900000002", next_url="/admin/filing/applications/")
    phone_page.wait_for_url(re.compile(r"/admin/filing/applications/"))
    admin_row = phone_page.locator("tr[data-application]", has_text="杭州滨江示范信息技术有限公司")
    shot(phone_page, "filing-phone-admin-applications")
    admin_row.locator("[data-testid=accept]").click()
    expect(phone_page.locator("tr[data-application]", has_text="杭州滨江示范信息技术有限公司")).to_have_count(0)

    # 我的填报任务 → 填报 on the wizard.
    page.goto(f"{base}/tasks/")
    task_row = main.locator(f"tr[data-task='{provincial_task.pk}']")
    expect(task_row.locator("[data-testid=task-status]")).to_have_text("未填报")
    task_row.locator("[data-testid=fill]").click()
    for row_id, (month, ytd, ly_ytd) in REVENUE.items():
        page.fill(f"input[name=rev__{row_id}__month]", str(month))
        page.fill(f"input[name=rev__{row_id}__ytd]", str(ytd))
        page.fill(f"input[name=rev__{row_id}__ly_ytd]", str(ly_ytd))
    main.get_by_role("button", name="下一步").click()
    main.get_by_role("button", name="下一步").click()  # no exports
    page.fill("input[name=main_revenue]", "4000")  # software revenue 26 % of it: a severe warning
    page.fill("input[name=profit]", "150")
    page.fill("input[name=employees]", "120")
    page.fill("input[name=staff_master]", "30")
    page.fill("input[name=staff_bachelor]", "70")
    main.get_by_role("button", name="下一步").click()

    # 上报: the dialog lists the severe warning; it needs its explanation.
    page.wait_for_url(re.compile(rf"/tasks/{provincial_task.pk}/submit/"))
    expect(main.locator("[data-testid=issues]")).to_contain_text("软件业务收入合计与主营业务收入的比值大于等于30%的企业才能纳统")
    main.locator("[data-testid=submit-report]").click()
    dialog = page.locator("dialog#fl-explain")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("提示：严重警告必须填写审核说明")
    shot(page, "filing-desktop-severe-dialog")
    dialog.locator("[data-testid=explain-submit]").click()  # empty: the browser keeps the dialog open
    expect(dialog).to_be_visible()
    dialog.locator("textarea").fill("本月含硬件集成收入，软件收入占比暂低。")
    dialog.locator("[data-testid=explain-submit]").click()
    page.wait_for_url(re.compile(r"/tasks/$"))
    expect(page.locator(".messages")).to_contain_text("上报成功")
    expect(task_row.locator("[data-testid=task-status]")).to_have_text("已上报至省级")
    shot(page, "filing-desktop-tasks")

    # 取消上报, then submit again (the explanation is offered again).
    task_row.locator("[data-testid=cancel]").click()
    expect(page.locator(".messages")).to_contain_text("已取消上报")
    expect(task_row.locator("[data-testid=task-status]")).to_have_text("编辑")
    task_row.locator("[data-testid=submit]").click()
    main.locator("[data-testid=submit-report]").click()
    expect(dialog.locator("textarea")).to_have_value("本月含硬件集成收入，软件收入占比暂低。")
    dialog.locator("[data-testid=explain-submit]").click()
    expect(task_row.locator("[data-testid=task-status]")).to_have_text("已上报至省级")

    from reporting.models import Submission

    submission = Submission.objects.get(enterprise__name="杭州滨江示范信息技术有限公司")
    assert submission.status == "pending" and "本月含硬件集成收入" in submission.explanation
    assert submission.events.filter(action="workflow.withdraw").count() == 1

    # 填报数据查询, and the same list on a phone.
    main.get_by_role("link", name="填报数据查询").first.click()
    expect(main.locator("[data-testid=reports]")).to_contain_text(provincial_task.title)
    shot(page, "filing-desktop-reports")
    page.set_viewport_size({"width": 390, "height": 844})  # the enterprise on a phone
    page.goto(f"{base}/tasks/")
    expect(main.locator("[data-testid=tasks]")).to_contain_text("已上报至省级")
    shot(page, "filing-phone-tasks")
    page.goto(f"{base}/tasks/{provincial_task.pk}/submit/")
    shot(page, "filing-phone-submit")
