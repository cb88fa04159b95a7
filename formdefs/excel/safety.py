"""Uploads checked before openpyxl opens them, and text written so that no spreadsheet runs it.

An .xlsx file is a zip of XML parts. Two attacks hide in that shape: a zip bomb (a few kilobytes
that inflate to gigabytes) and an XML bomb (a DTD whose entities expand exponentially, "billion
laughs"). `upload_check` refuses both from metadata and the first bytes of each part, so a crafted
file is refused in milliseconds, before anything is extracted.
"""
import datetime
import io
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES

#: Upload size limit when neither the caller nor the setting EXCEL_UPLOAD_MAX_BYTES gives one.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Limit of the inflated size of all parts (setting EXCEL_MAX_UNCOMPRESSED_BYTES).
DEFAULT_MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: Parts smaller than this cannot bomb anything; their compression ratio is not checked.
RATIO_MIN_BYTES = 1024 * 1024
#: Parts parsed as XML by openpyxl, hence checked for DTDs and entity declarations.
XML_SUFFIXES = (".xml", ".rels", ".vml")
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
#: What makes a CSV field a formula for Excel or LibreOffice (OWASP's CSV injection list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Leading characters a spreadsheet may skip before it sees a formula character.
BLANKS = " \t\r\n"


class ExcelRefused(Exception):
    """An upload or a workbook refused; `message` is for the user (in their language), `code` for code."""

    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def not_a_workbook() -> ExcelRefused:
    return ExcelRefused(_("This is not an Excel workbook (.xlsx), or the file is damaged. Save it as .xlsx and try "
                          "again."), code="not_xlsx")


def escape_formula(value):
    """A value safe to write to a CSV field: text a spreadsheet would run as a formula gets a leading `'`.

    For CSV only (a CSV field has no type, so the prefix is the only defence). Text starting with
    =, +, -, @, tab, carriage return or line feed, or with blanks before one of =, +, -, @, is
    prefixed; numbers, booleans, dates and None are returned unchanged. Workbooks do not need it:
    write their cells with `xlsx_value` (a text cell, never evaluated, no visible apostrophe).
    """
    if isinstance(value, str) and (value.startswith(FORMULA_PREFIXES)
                                   or value.lstrip(BLANKS).startswith(FORMULA_PREFIXES)):
        return "'" + value
    return value


def _stored_as_text(value: str) -> bool:
    """Whether openpyxl stores this text as text by itself (not as a formula "=…" or an error "#N/A")."""
    return not ((len(value) > 1 and value.startswith("=")) or value in ERROR_CODES)


def xlsx_value(ws, value, *, font=None):
    """`value` ready to append to a row of `ws` (write-only or not), stored as what it is.

    Text stays text: what openpyxl would store as a formula (=1+2) or an error value (#N/A)
    becomes an explicit string cell (data type "s"), which no spreadsheet evaluates, so the
    reader sees the exact text with no prefix. An aware datetime is written as Asia/Shanghai
    local time (`timezone.localtime`; Excel has no time zones). Other values pass through
    unchanged (numbers stay numbers), as a styled cell when `font` is given.
    """
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)
    if font is None and not (isinstance(value, str) and not _stored_as_text(value)):
        return value  # the write-only sheet's own fast path
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def xlsx_row(ws, values) -> list:
    """A row of `xlsx_value`s, for `ws.append`."""
    return [xlsx_value(ws, value) for value in values]


def xlsx_text(cell):
    """Store the text of a cell made with `ws.cell(...)` as text whatever it starts with (see `xlsx_value`)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def upload_stream(file) -> io.BufferedIOBase:
    """A seekable binary stream over `file` (bytes, or an uploaded / opened binary file), rewound."""
    if isinstance(file, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(file))
    if not (hasattr(file, "read") and hasattr(file, "seek")):
        raise TypeError("an upload is bytes or a seekable binary file")
    stream = file
    stream.seek(0)
    return stream


def _size(file, stream) -> int:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def upload_check(file, *, max_bytes: int | None = None, max_ratio: int = 100, max_entries: int = 1000,
                 max_uncompressed: int | None = None) -> None:
    """Refuse (`ExcelRefused`) an upload that is too large, not an .xlsx, a zip bomb or an XML bomb.

    Checks, cheapest first: the byte size (`max_bytes`, default setting EXCEL_UPLOAD_MAX_BYTES,
    5 MB); that it is a zip holding a workbook; the zip directory only (nothing inflated): the
    number of parts (`max_entries`), the inflated total (`max_uncompressed`, default setting
    EXCEL_MAX_UNCOMPRESSED_BYTES, 200 MB) and the compression ratio of each large part and of the
    whole (`max_ratio`); then the prolog of every XML part, streamed up to its root element, for
    a DTD or entity declarations. Python's zipfile never inflates a part beyond its declared
    size, so a lying directory cannot get past these limits later. The stream is left rewound.
    """
    stream = upload_stream(file)
    max_bytes = max_bytes or getattr(settings, "EXCEL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_uncompressed = max_uncompressed or getattr(settings, "EXCEL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    size = _size(file, stream)
    if size > max_bytes:
        raise ExcelRefused(_("The file is too large (%(size)s MB); the limit is %(limit)s MB.") % {
            "size": _megabytes(size), "limit": _megabytes(max_bytes)}, code="too_large")
    if size == 0:
        raise ExcelRefused(_("The file is empty."), code="not_xlsx")
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            _check_directory(infos, max_ratio=max_ratio, max_entries=max_entries, max_uncompressed=max_uncompressed)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    with archive.open(info) as part:
                        _check_prolog(part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted part; NotImplementedError: an unsupported compression method.
        raise not_a_workbook() from exc
    finally:
        stream.seek(0)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _check_directory(infos: list, *, max_ratio: int, max_entries: int, max_uncompressed: int) -> None:
    names = {info.filename for info in infos}
    if not all(part in names for part in REQUIRED_PARTS):
        raise not_a_workbook()
    if len(infos) > max_entries:
        raise ExcelRefused(_("The workbook has too many parts (%(count)s); it cannot be imported.") % {
            "count": len(infos)}, code="zip_bomb")
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    bomb = total > max_uncompressed or (total > RATIO_MIN_BYTES and total > packed * max_ratio) or any(
        info.file_size > RATIO_MIN_BYTES and info.file_size > info.compress_size * max_ratio for info in infos)
    if bomb:
        raise ExcelRefused(_("The workbook expands to an implausible size when opened (a compressed \"zip bomb\"); "
                             "it was refused."), code="zip_bomb")


def _check_prolog(part) -> None:
    """Stream the part up to its root element: a DTD or an entity declaration there refuses the file."""
    try:
        for _event, _element in iterparse(part, events=("start",), forbid_dtd=True, forbid_entities=True,
                                          forbid_external=True):
            return
    except DefusedXmlException as exc:
        raise ExcelRefused(_("The workbook contains XML declarations that are not allowed (an \"XML bomb\"); "
                             "it was refused."), code="xml_bomb") from exc
    except ParseError as exc:
        raise not_a_workbook() from exc
