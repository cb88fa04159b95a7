"""/readyz renders a template through the static files storage (issue 18 §5): an image whose
collectstatic wrote no manifest (it ran with DEBUG on) is not ready, instead of a 200 while every page
is a 500."""
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture
def production_static(settings, tmp_path):
    """The production static storage (as with DEBUG off) over an empty STATIC_ROOT."""
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    settings.STATIC_ROOT = str(tmp_path / "static")
    return settings


def test_readyz_is_503_naming_static_files_without_a_manifest(client, production_static):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready" and body["database"] == "ok"
    assert body["static"].startswith("error") and "staticfiles manifest" in body["static"]
    assert "css/portal.css" in body["static"]


def test_readyz_is_200_once_collectstatic_wrote_the_manifest(client, production_static, tmp_path):
    # collectstatic of the files the readiness template uses (all the apps' files take minutes here).
    source = tmp_path / "source"
    for name in ("css/portal.css", "js/portal.js"):
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(django_settings.BASE_DIR / "static" / name, source / name)
    production_static.STATICFILES_DIRS = [str(source)]
    production_static.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)

    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["static"] == "ok"
