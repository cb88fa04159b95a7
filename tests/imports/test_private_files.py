"""Batch import files are private (issue 18 §2): never under /media/, served only to who may see the job."""
from pathlib import Path

import pytest

from enterprises.models import Enterprise
from imports import services

from .builders import BatchFile


@pytest.fixture
def roots(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CMS_PRIVATE_ROOT = tmp_path / "private"
    return settings


@pytest.fixture
def job(roots, admins, report_type, period):
    return services.import_job_create(actor=admins["sme_haishu"], report_type=report_type, period=period,
                                      file=BatchFile(report_type).data(), file_name="海曙.xlsx")


@pytest.mark.parametrize("debug", [True, False])
def test_an_import_file_has_no_media_url_in_debug_or_not(client, roots, job, admins, debug):
    roots.DEBUG = debug
    stored = Path(job.file.path)
    assert stored.is_file() and Path(roots.CMS_PRIVATE_ROOT) in stored.parents
    assert not (Path(roots.MEDIA_ROOT) / job.file.name).exists()
    for user in (None, admins["sme_haishu"]):  # anyone, the owner included
        if user:
            client.force_login(user)
        assert client.get(f"/media/{job.file.name}").status_code == 404
    # A file an older version left under MEDIA_ROOT/imports/ is not served either, while images are.
    for name in (job.file.name, "original_images/logo.png"):
        (Path(roots.MEDIA_ROOT) / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(roots.MEDIA_ROOT) / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    assert client.get(f"/media/{job.file.name}").status_code == 404
    assert client.get(f"/media/{job.file.name.upper()}").status_code == 404
    assert client.get("/media/original_images/logo.png").status_code == (200 if debug else 404)


def test_the_owner_and_its_ancestors_download_the_file_through_the_checked_view(client, job, admins):
    url = f"/admin/imports/jobs/{job.pk}/file/"
    for name in ("sme_haishu", "sme_ningbo"):
        client.force_login(admins[name])
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == Path(job.file.path).read_bytes()
    assert f'href="{url}"' in client.get(f"/admin/imports/jobs/{job.pk}/").content.decode()


def test_other_administrators_enterprises_and_anonymous_visitors_do_not_get_it(client, job, admins, roots):
    roots.DEBUG = True
    url = f"/admin/imports/jobs/{job.pk}/file/"
    assert client.get(url).status_code in (302, 403, 404)  # anonymous: to the login page
    # A subordinate administrator does not see its parent's job (haishu is below ningbo).
    ningbo_job = services.import_job_create(actor=admins["sme_ningbo"], report_type=job.report_type, period=job.period,
                                            file=BatchFile(job.report_type).data())
    client.force_login(admins["sme_haishu"])
    assert client.get(f"/admin/imports/jobs/{ningbo_job.pk}/file/").status_code == 404
    client.force_login(Enterprise.objects.get(user__username="com_demo01").user)
    assert client.get(url).status_code in (302, 403, 404)
