"""Who may run a version in preview mode: report versions are national forms, open to every administrator."""
import pytest
from django.urls import reverse

from accounts.models import User
from formdefs.views.preview import PREVIEW_SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly_version(demo, published):
    return published["sme_monthly_report"]


def urls(version):
    return reverse("formdefs:preview", args=[version.pk]), reverse("formdefs:preview-done", args=[version.pk])


def remember(client, version):
    """A preview result in the session, as the wizard's last step leaves it."""
    session = client.session
    session[PREVIEW_SESSION_KEY] = {"version": version.pk, "answers": {}, "issues": []}
    session.save()


@pytest.mark.parametrize("username", ["sme_admin", "sme_haishu"])
def test_every_administrator_previews_a_report_version(client, monthly_version, username):
    client.force_login(User.objects.get(username=username))
    remember(client, monthly_version)
    preview, done = urls(monthly_version)
    assert client.get(preview).status_code == 200
    assert client.get(done).status_code == 200


def test_enterprise_user_gets_404_even_on_a_published_version(client, monthly_version):
    client.force_login(User.objects.get(username="com_demo01"))
    remember(client, monthly_version)
    preview, done = urls(monthly_version)
    assert client.get(preview).status_code == 404
    assert client.get(done).status_code == 404


def test_anonymous_is_sent_to_login(client, monthly_version):
    for url in urls(monthly_version):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
