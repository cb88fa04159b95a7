"""Safe uploads: size limit, allowed extensions, and content that matches its extension."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # legacy Office / WPS compound file
ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # OOXML and zip archives
TEXT = None  # checked as text: no NUL bytes

# extension -> accepted leading bytes (None: plain text)
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "doc": OLE, "xls": OLE, "ppt": OLE, "wps": OLE + ZIP, "et": OLE + ZIP, "dps": OLE + ZIP,
    "docx": ZIP, "xlsx": ZIP, "pptx": ZIP, "zip": ZIP,
    "txt": TEXT, "csv": TEXT,
}

# What may be shown in the browser, with the content type we send (never the client's).
INLINE_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
TEXT_EXTENSIONS = {"txt", "csv"}


def max_upload_bytes() -> int:
    return int(getattr(settings, "CMS_LIBRARY_MAX_BYTES", settings.UPLOAD_MAX_BYTES))


def allowed_extensions() -> list[str]:
    return sorted(SIGNATURES)


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def upload_check(upload) -> None:
    """Refuse an upload that is too large, of a type not on the list, or whose bytes contradict its name."""
    name = upload.name or ""
    limit = max_upload_bytes()
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than the limit of %(limit)s MB.") % {"name": name, "limit": round(limit / 1048576, 1)},
            code="too_large",
        )
    ext = extension_of(name)
    if ext not in SIGNATURES:
        raise ValidationError(
            _("%(name)s: files of this type cannot be uploaded (allowed: %(allowed)s).")
            % {"name": name, "allowed": ", ".join(allowed_extensions())},
            code="type_refused",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    expected = SIGNATURES[ext]
    if expected is None:
        ok = b"\x00" not in head
    else:
        ok = any(head.startswith(sig) for sig in expected)
    if not ok:
        raise ValidationError(
            _("%(name)s does not look like a .%(ext)s file.") % {"name": name, "ext": ext}, code="content_mismatch"
        )


def clean_name(name: str) -> str:
    """A display name without path separators or control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if not name:
        raise ValidationError(_("Enter a name."), code="name_empty")
    return name[:200]
