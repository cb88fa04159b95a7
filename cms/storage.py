"""Private file storage: outside the static and media trees, never URL-served.

It holds the document library (`library/…`, read only through the permission-checked views in
cms.views.library) and the uploaded batch import files (`imports/…`, read only through
imports.views.job_file, which checks that the job is the user's to see).
"""
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


def private_root() -> str:
    return str(getattr(settings, "CMS_PRIVATE_ROOT", settings.VAR_DIR / "private"))


@deconstructible
class PrivateStorage(FileSystemStorage):
    """A file system storage whose root follows the CMS_PRIVATE_ROOT setting (tests point it elsewhere)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return private_root()

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private documents have no public URL; use the library's download view.")


private_storage = PrivateStorage()
