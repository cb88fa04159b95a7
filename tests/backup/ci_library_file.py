"""For .ci/run's backup round trip on PostgreSQL (not a test module):

    python tests/backup/ci_library_file.py create COPY   upload a document to the library; its bytes to COPY
    python tests/backup/ci_library_file.py check COPY    the document's row and file are back, byte for byte

Uses the environment's settings (DATABASE_URL, DJANGO_VAR_DIR, ...), as manage.py does.
"""
import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(BASE_DIR), str(BASE_DIR / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from accounts.models import User  # noqa: E402
from cms import services  # noqa: E402
from cms.enums import LibrarySpace  # noqa: E402
from cms.models import LibraryFileVersion  # noqa: E402

NAME = "ci-backup.pdf"


def create(copy: Path) -> None:
    data = b"%PDF-1.4\n%" + os.urandom(4096).hex().encode() + b"\n%%EOF\n"
    actor, _ = User.objects.get_or_create(username="ci_backup", defaults={"is_superuser": True, "is_staff": True})
    folder = services.library_root_ensure(actor=actor, space=LibrarySpace.ORGANISATION)
    services.file_upload(actor=actor, folder=folder, upload=SimpleUploadedFile(NAME, data))
    copy.write_bytes(data)
    print(f"library document {NAME} uploaded ({len(data)} bytes)")


def check(copy: Path) -> None:
    version = LibraryFileVersion.objects.filter(file__name=NAME).order_by("-pk").first()
    assert version is not None, f"the library row of {NAME} was not restored"
    with version.blob.open("rb") as handle:
        restored = handle.read()
    assert restored == copy.read_bytes(), f"{version.blob.path}: the restored bytes differ"
    print(f"library document {NAME} restored: row {version.pk}, {len(restored)} bytes, same bytes")


if __name__ == "__main__":
    action, path = sys.argv[1], Path(sys.argv[2])
    {"create": create, "check": check}[action](path)
