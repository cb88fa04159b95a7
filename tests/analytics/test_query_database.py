"""The standard queries, their exports and the home charts read on settings.QUERY_DATABASE (a replica
when one is configured); writes, and reads outside those places, stay on the default database."""
import pytest
from django.db import router
from django.db.utils import ConnectionDoesNotExist
from django.test import override_settings

from analytics.queries import QUERIES
from config.routers import heavy_iter, heavy_reads
from reporting.models import IndicatorFact, Submission

from .helpers import enterprises, put


def test_reads_inside_heavy_reads_go_to_the_query_database_and_writes_do_not():
    with override_settings(QUERY_DATABASE="replica"):
        assert Submission.objects.all().db == "default"
        with heavy_reads():
            assert Submission.objects.all().db == "replica"
            assert IndicatorFact.objects.all().db == "replica"
            assert router.db_for_write(Submission) == "default"
        assert Submission.objects.all().db == "default"


def test_heavy_iter_routes_only_the_iterables_own_reads():
    def rows():
        for _ in range(3):
            yield Submission.objects.all().db

    with override_settings(QUERY_DATABASE="replica"):
        seen = []
        for db in heavy_iter(rows()):
            seen.append((db, Submission.objects.all().db))  # the caller, between two rows
    assert seen == [("replica", "default")] * 3


@pytest.fixture
def month_data(report_type, period):
    e1, _e2, _e3 = enterprises()
    put(report_type, e1, period, status="approved")
    return period


# An alias that does not exist makes a read there fail loudly: proof of where the reads go.
@pytest.mark.django_db
@pytest.mark.parametrize("key", list(QUERIES))
def test_query_pages_and_exports_read_on_the_query_database(client, admins, month_data, key):
    client.force_login(admins["sme_ningbo"])
    assert client.get(f"/admin/analytics/{key}/").status_code == 200
    with override_settings(QUERY_DATABASE="replica"):
        with pytest.raises(ConnectionDoesNotExist):
            client.get(f"/admin/analytics/{key}/")
        with pytest.raises(ConnectionDoesNotExist):
            b"".join(client.get(f"/admin/analytics/{key}/export/").streaming_content)


@pytest.mark.django_db
def test_home_charts_read_on_the_query_database(client, admins, month_data):
    client.force_login(admins["sme_ningbo"])
    assert client.get("/admin/").status_code == 200
    with override_settings(QUERY_DATABASE="replica"), pytest.raises(ConnectionDoesNotExist):
        client.get("/admin/")
