"""Content-Security-Policy in Chromium: the main pages of each role run under the enforced policy
without a single violation (no blocked inline script, handler, style, eval or outside resource)."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD

from .conftest import login

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push([e.violatedDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber,
                               (e.sample || "").slice(0, 80)].join(" | "));
});
"""


class Watch:
    """Records CSP violations (the page's securitypolicyviolation events) and CSP console errors."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def check(self, what):
        """No violation on the current document; the policy was enforced (not report-only)."""
        self.page.wait_for_load_state("networkidle")
        violations = self.page.evaluate("window.__cspViolations || []")
        assert violations == [] and self.console == [], (what, self.page.url, violations, self.console)

    def visit(self, url, what=None, wagtail_editor=False):
        """Open url: its policy is enforced, strict (Wagtail's own editing views: inline allowed, no eval)."""
        headers = self.page.goto(url).headers
        policy = headers.get("content-security-policy", "")
        assert "content-security-policy-report-only" not in headers
        assert "default-src 'self'" in policy and "object-src 'none'" in policy and "unsafe-eval" not in policy, url
        if wagtail_editor:
            assert "script-src 'self' 'unsafe-inline'" in policy, (url, policy)
        else:
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (url, policy)
        assert "camera=()" in headers.get("permissions-policy", "")
        self.check(what or url)


@pytest.fixture
def reports(e2e_demo, settings):
    """com_demo01: last month approved, this month submitted (待审核 at sme_haishu)."""
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.periods import month_add, period_current
    from tests.reporting.conftest import Builder

    settings.SMS_MOBILE_INTERVAL = timedelta(0)
    report_type, questionnaire = _ensure_types()[:2]
    builder = Builder(report_type, questionnaire)
    period = period_current(report_type)
    demo01 = Enterprise.objects.select_related("filler").get(filler__username="com_demo01")
    builder.approved(demo01, month_add(period, -2))
    submitted = builder.submitted(demo01, month_add(period, -1))
    return {"period": period, "key": f"{period:%Y-%m}", "submitted": submitted, "enterprise": demo01,
            "questionnaire": questionnaire}


def test_enterprise_filler_pages(page, live_server, reports):
    base, key = live_server.url, reports["key"]
    watch = Watch(page)
    watch.visit(f"{base}/accounts/register/", "register")
    login(page, base, "com_demo01", DEMO_PASSWORD, "13800000001")
    watch.check("login and its SMS step")
    watch.visit(f"{base}/", "portal home")
    watch.visit(f"{base}/reports/sme_monthly/{key}/fill/", "wizard")
    # A live rule: the server decides visibility and computed values as the filler types.
    cell = page.locator("main input[name^=ind__]:not([readonly]), main input[type=text]:not([readonly])").first
    with page.expect_response(lambda r: r.request.method == "POST" and "/fill/" in r.url):
        cell.fill("123")
        cell.blur()
    watch.check("wizard after a live rule")
    watch.visit(f"{base}/reports/", "history")
    watch.visit(f"{base}/reports/s/{reports['submitted'].pk}/", "report detail")
    watch.visit(f"{base}/reports/s/{reports['submitted'].pk}/print/", "print")
    watch.visit(f"{base}/surveys/", "questionnaires")
    entry = page.locator("main a:has-text('进入答题')").first
    if entry.count():
        entry.click()
        watch.check("a questionnaire")
    watch.visit(f"{base}/notices/", "notices")
    watch.visit(f"{base}/api/v1/docs", "API docs (Swagger UI from static files)")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    watch.check("API docs rendered")


def test_county_admin_pages(page, live_server, reports):
    base = live_server.url
    watch = Watch(page)
    login(page, base, "sme_haishu", DEMO_PASSWORD, "13900000004", next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    watch.check("Wagtail dashboard")
    watch.visit(f"{base}/admin/?month={reports['key']}", "dashboard with its charts")
    chart = page.locator("[data-testid=chart-bars] canvas, [data-testid=chart-bars] svg").first
    expect(chart).to_be_visible()
    chart.hover()  # ECharts' tooltip (rich text: the HTML one writes style="" markup)
    page.wait_for_timeout(300)
    watch.check("chart tooltip")
    with page.expect_navigation():
        page.locator("[data-testid=trend-indicator]").select_option(index=1)
    assert "trend=" in page.url  # the select still submits its form, from a listener
    watch.check("dashboard after choosing a trend")
    watch.visit(f"{base}/admin/review/", "review list")
    watch.visit(f"{base}/admin/review/enterprise/{reports['enterprise'].pk}/{reports['key']}/", "a report")
    watch.visit(f"{base}/admin/analytics/summary/", "summary")
    watch.visit(f"{base}/admin/surveys/", "questionnaire list")
    watch.visit(f"{base}/admin/surveys/new/", "designer")
    watch.visit(f"{base}/admin/surveys/{reports['questionnaire'].pk}/statistics/", "questionnaire statistics")
    chart = page.locator(".sb-chart svg, .sb-chart canvas").first  # ECharts' SVG renderer (every question on one page)
    expect(chart).to_be_visible()
    chart.hover()
    page.wait_for_timeout(300)
    watch.check("statistics chart tooltip")
    watch.visit(f"{base}/admin/library/space/personal/", "library")
    watch.visit(f"{base}/admin/imports/", "imports")
    watch.visit(f"{base}/admin/exports/", "exports")


@pytest.fixture
def editor(e2e_demo):
    from django.contrib.auth.models import Group

    from accounts.enums import EDITOR_GROUP_NAME
    from accounts.models import User
    from cms.content import editor_permissions_ensure

    editor_permissions_ensure()
    user = User.objects.create_user(username="editor01", password=DEMO_PASSWORD, mobile="13700000001",
                                    kind="editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_GROUP_NAME))
    return user


def test_editor_pages(page, live_server, editor):
    from cms.models import NoticeIndexPage

    base = live_server.url
    index = NoticeIndexPage.objects.first()
    watch = Watch(page)
    login(page, base, "editor01", DEMO_PASSWORD, "13700000001", next_url="/admin/")
    page.wait_for_url(re.compile(r"/admin/$"))
    watch.check("editor dashboard")
    watch.visit(f"{base}/admin/pages/{index.pk}/", "page explorer", wagtail_editor=True)
    watch.visit(f"{base}/admin/pages/add/cms/noticepage/{index.pk}/", "new notice (Draftail editor)", wagtail_editor=True)
    page.locator("main .Draftail-Editor [contenteditable=true]").first.click()
    page.keyboard.type("通知正文")
    watch.check("typing in the rich text editor")
    watch.visit(f"{base}/admin/pages/{index.pk}/edit/", "page edit", wagtail_editor=True)
