"""Safe uploads: size limit, allowed extensions, and content that matches its extension.

The same check runs when a file is renamed (`content_check`), so renaming `evil.txt` to `evil.pdf`
or `evil.html` is refused as an upload of that name would be. Whatever a file holds, the library
serves it as an attachment, except the images of INLINE_TYPES; PDFs and images carry a sandboxing
Content-Security-Policy (cms.views.library).
"""
import zipfile

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

# What may be shown in the browser, with the content type we send (never the client's): images only.
INLINE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
# What is served with the sandboxing Content-Security-Policy even as an attachment (a browser may open it).
SANDBOXED_EXTENSIONS = {"pdf", *INLINE_TYPES}
TEXT_EXTENSIONS = {"txt", "csv"}
OOXML_EXTENSIONS = {"docx", "xlsx", "pptx"}


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
    content_check(name, upload)


def content_check(name: str, stream) -> None:
    """Refuse a name whose type is not on the list, or whose bytes contradict it (`ValidationError`).

    The leading bytes must be the type's signature; text must be text throughout (no NUL byte, UTF-8
    or GB18030); an Office Open XML document that is a readable zip must hold no macros
    (vbaProject.bin: a .docm/.xlsm renamed). `stream` (an upload or an opened file) is left rewound.
    """
    ext = extension_of(name)
    if ext not in SIGNATURES:
        raise ValidationError(
            _("%(name)s: files of this type cannot be uploaded (allowed: %(allowed)s).")
            % {"name": name, "allowed": ", ".join(allowed_extensions())},
            code="type_refused",
        )
    stream.seek(0)
    head = stream.read(8192)
    expected = SIGNATURES[ext]
    try:
        if expected is None:
            ok = _is_text(head + stream.read())
        else:
            ok = any(head.startswith(sig) for sig in expected)
        if ok and ext in OOXML_EXTENSIONS:
            _ooxml_check(name, stream)
    finally:
        stream.seek(0)
    if not ok:
        raise ValidationError(
            _("%(name)s does not look like a .%(ext)s file.") % {"name": name, "ext": ext}, code="content_mismatch"
        )


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _ooxml_check(name: str, stream) -> None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = {info.filename.lower() for info in archive.infolist()}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return  # stored as it is: the library serves it as an attachment only
    if any(part.rsplit("/", 1)[-1].startswith("vbaproject") for part in names):
        raise ValidationError(
            _("%(name)s contains macros; documents with macros cannot be uploaded. Save it without macros "
              "and try again.") % {"name": name}, code="macro",
        )


def clean_name(name: str) -> str:
    """A display name without path separators or control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().strip(".")
    if not name:
        raise ValidationError(_("Enter a name."), code="name_empty")
    return name[:200]
