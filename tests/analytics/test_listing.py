"""数据查询 on Wagtail's listing UI: the drawer's filters (the results fragment the drawer swaps in) change
the rows, the pages are Wagtail's (`p`), and 导出 carries the filters the page shows."""
import html
import re

import pytest

from tests.exports.sheets import export_body

from .test_queries import trio  # noqa: F401

pytestmark = pytest.mark.django_db


def usernames(page: str) -> set[str]:
    table = page[page.index('data-testid="query-table"'):]
    return set(re.findall(r"com_[a-z0-9]+", table))


def test_drawer_filters_change_the_rows_and_the_export_follows(client, admins, trio):  # noqa: F811
    client.force_login(admins["sme_zhejiang"])
    page = client.get("/admin/analytics/basic/").content.decode()
    assert 'id="filters-drilldown"' in page and 'name="query"' in page  # the query's form is the drawer
    assert usernames(page) == {"com_demo01", "com_demo02", "com_demo03"}
    # the drawer asks the results URL for the rows of its filters
    fragment = client.get("/admin/analytics/basic/results/", {"query": "江北"}).content.decode()
    assert usernames(fragment) == {"com_demo02"}
    filtered = client.get("/admin/analytics/basic/", {"query": "江北"}).content.decode()
    href = html.unescape(re.search(r'href="([^"]+)"[^>]*data-testid="query-export"', filtered).group(1))
    assert href.startswith("/admin/analytics/basic/export/?") and "query=" in href
    rows = export_body(b"".join(client.get(href).streaming_content))
    assert [r[1] for r in rows[1:]] == ["com_demo02"]  # below the header row


def test_rows_are_paged_by_wagtail(client, admins, trio):  # noqa: F811
    from accounts.models import User
    from enterprises.models import Enterprise

    model = Enterprise.objects.get(user__username="com_demo01")
    users = User.objects.bulk_create([User(username=f"com_page{i:02d}") for i in range(50)])
    copies = []
    for i, user in enumerate(users):
        copy = Enterprise.objects.get(pk=model.pk)
        copy.pk, copy.user, copy.name, copy.credit_code = None, user, f"分页示范企业{i:02d}", f"91330203PAGE{i:06d}"
        copies.append(copy)
    Enterprise.objects.bulk_create(copies)
    client.force_login(admins["sme_zhejiang"])
    first = client.get("/admin/analytics/basic/").content.decode()
    second = client.get("/admin/analytics/basic/", {"p": "2"}).content.decode()
    assert 'class="pagination"' in first and 'data-testid="query-count">共 53 条' in first
    assert len(usernames(first)) == 50 and len(usernames(second)) == 3
    assert not usernames(first) & usernames(second)


def test_all_in_the_drawer_survives_the_address(client, admins, trio, period):  # noqa: F811
    """全部 is a value of its own (status=all): Wagtail writes the drawer's filters into the address without
    the empty ones, so an empty 全部 came back as the default (审核通过) on a reload; 导出 carries it too."""
    from .test_summary import _html_rows

    client.force_login(admins["sme_zhejiang"])
    drawer = {"month": f"{period:%Y-%m}", "status": "all", "grouping": "overall", "query": ""}
    fragment = client.get("/admin/analytics/summary/results/", drawer).content.decode()
    address = {k: v for k, v in drawer.items() if v.strip()}  # what Wagtail's reflectParams keeps
    page = client.get("/admin/analytics/summary/", address).content.decode()
    for html_ in (fragment, page):
        assert "报送状态：全部" in html_ and 'data-testid="query-error"' not in html_
        assert {r[0]: r[1:] for r in _html_rows(html_)}["企业数"][:2] == ["个", "3"]  # approved, returned, pending
    assert re.search(r'<option value="all" selected>全部</option>', page)  # the drawer shows it back
    assert "报送状态：审核通过" in client.get("/admin/analytics/summary/", {"month": drawer["month"]}).content.decode()
    href = html.unescape(re.search(r'href="([^"]+)"[^>]*data-testid="query-export"', page).group(1))
    assert "status=all" in href
    rows = {r[0]: r[1:] for r in export_body(b"".join(client.get(href).streaming_content))}
    assert rows["企业数"][:2] == ("个", 3)
    # an older link's empty status is still 全部; a default field emptied to mean 全部 is kept in the address
    assert "报送状态：全部" in client.get("/admin/analytics/summary/", {**address, "status": ""}).content.decode()
    changes = client.get("/admin/analytics/changes/").content.decode()
    assert re.search(r'<input[^>]*name="month"[^>]*data-aq-keep-empty', changes)


def test_nothing_ticked_is_refused_not_the_default(client, admins, trio, period):  # noqa: F811
    """Unticked all: the checkboxes' empty marker keeps `indicators=` in the address, so a reload, a shared
    link and 导出 refuse it with a message naming the field instead of bringing back the default ticks."""
    client.force_login(admins["sme_zhejiang"])
    page = client.get("/admin/analytics/summary/", {"month": f"{period:%Y-%m}"}).content.decode()
    assert re.search(r'<input type="hidden" name="indicators" value="" data-aq-keep-empty>', page)
    none = {"month": f"{period:%Y-%m}", "indicators": ""}
    for url in ("/admin/analytics/summary/", "/admin/analytics/summary/results/"):
        body = client.get(url, none).content.decode()
        assert 'data-testid="query-error">指标选项：请至少选择一个指标' in body and "企业数" not in usernames_free(body)
    export = client.get("/admin/analytics/summary/export/", none)
    assert export.status_code == 302 and "indicators=" in export["Location"]
    # one ticked next to the marker is that one; the basic query's columns refuse in the same way
    one = re.search(r'<input type="checkbox" name="indicators" value="([^"]+)"', page).group(1)
    ticked = client.get("/admin/analytics/summary/results/", {**none, "indicators": ["", one]}).content.decode()
    assert 'data-testid="query-error"' not in ticked and usernames_free(ticked)
    basic = client.get("/admin/analytics/basic/", {"columns": ""}).content.decode()
    assert "数据选项：请至少选择一个数据选项" in basic and not usernames_free(basic).strip()


def usernames_free(page: str) -> str:
    """The query's table, '' without one."""
    return page[page.index('data-testid="query-table"'):] if 'data-testid="query-table"' in page else ""
