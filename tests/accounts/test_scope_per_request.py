"""The administrator's scope is read once per request, however many menus and checks ask for it."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_back_office_page_reads_the_administrator_profile_once(demo_core, client):
    client.force_login(demo_core["sme_ningbo"].user)
    url = reverse("enterprises_admin:registrations")
    client.get(url)  # warm caches (site, locale)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"status": "all"}).status_code == 200
    scope_reads = [q["sql"] for q in queries.captured_queries
                   if 'FROM "accounts_administratorprofile"' in q["sql"] and '"user_id" =' in q["sql"]
                   and "LIMIT 1" in q["sql"]]
    # Before: eleven, one per menu item, permission check and filter that asked for the scope.
    assert len(scope_reads) == 1, scope_reads


def test_the_scope_is_not_kept_between_requests(demo_core, client):
    from accounts.models import AdministratorProfile

    ningbo = demo_core["sme_ningbo"]
    client.force_login(ningbo.user)
    url = reverse("enterprises_admin:registrations")
    assert client.get(url).status_code == 200
    AdministratorProfile.objects.filter(pk=ningbo.pk).update(can_review_registration=False)
    refused = client.get(url)
    assert refused.status_code == 302 and refused.url == "/admin/"  # Wagtail's permission-denied redirect
