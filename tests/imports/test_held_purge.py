"""Uploads held while their importer confirms overwriting drafts are not kept for ever: one whose page was left
is deleted after a day, on the next hold and by the daily Celery beat task; a fresh one is kept for its confirm."""
import datetime
import os

from django.utils import timezone

from cms.storage import private_storage
from imports import services
from imports.tasks import import_files_held_purge_task


def age(name: str, hours: float) -> None:
    """Make the held file `name` look last written `hours` ago (by the test clock)."""
    moment = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(private_storage.path(name), (moment, moment))


def test_a_held_upload_left_for_a_day_is_deleted_and_a_fresh_one_kept(settings, tmp_path):
    settings.CMS_PRIVATE_ROOT = tmp_path
    assert services.import_files_held_purge() == 0  # nothing held yet: no folder, no error
    left = services.import_file_hold(data=b"left")
    recent = services.import_file_hold(data=b"recent")
    age(left, 25)
    age(recent, 23)
    third = services.import_file_hold(data=b"third")  # a new hold purges the left one first
    assert not private_storage.exists(left)
    assert services.import_file_take(name=recent) == b"recent" and services.import_file_take(name=third) == b"third"


def test_the_daily_task_deletes_held_uploads_older_than_a_day(settings, tmp_path):
    settings.CMS_PRIVATE_ROOT = tmp_path
    old, fresh = services.import_file_hold(data=b"old"), services.import_file_hold(data=b"fresh")
    age(old, 30)
    assert import_files_held_purge_task.delay().get() == 1
    assert not private_storage.exists(old) and private_storage.exists(fresh)
    assert settings.CELERY_BEAT_SCHEDULE["imports-held-purge"]["task"] == "imports.tasks.import_files_held_purge_task"
