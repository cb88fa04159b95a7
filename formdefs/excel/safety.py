"""Uploads checked before openpyxl opens them, and text written so that no spreadsheet runs it.

An .xlsx file is a zip of XML parts. Two attacks hide in that shape: a zip bomb (a few kilobytes
that inflate to gigabytes) and an XML bomb (a DTD whose entities expand exponentially, "billion
laughs"). `upload_check` refuses both from metadata and the first bytes of each part, so a crafted
file is refused in milliseconds, before anything is extracted.

A file can also be costly without being a bomb: a shared-strings part of 40 MB, or a million rows,
compress well within any ratio. So every part openpyxl parses has its own limit (`UploadLimits`:
shared strings, each worksheet, every other XML part, rows per sheet), sized to what a real
template needs, and checked from the zip directory (and each sheet's `<dimension>`) before
parsing; readers that stream rows stop at the row limit too (`rows_refused`), since a dimension
can lie. Macro workbooks (.xlsm content, a vbaProject.bin part) are refused everywhere.
"""
import datetime
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
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
#: Limits of each kind of part when neither the caller nor the settings give one (see `UploadLimits`).
DEFAULT_SHARED_STRINGS_BYTES = 2 * 1024 * 1024
DEFAULT_SHEET_BYTES = 16 * 1024 * 1024
DEFAULT_PART_BYTES = 1024 * 1024
DEFAULT_SHEET_ROWS = 20_000  # a sheet no reader knows (e.g. _meta); the readers set their own
DEFAULT_SHEET_CELLS = 500_000
#: Bytes of a worksheet part fed at a time to the counting scan.
SCAN_CHUNK_BYTES = 256 * 1024
#: What marks a macro workbook: its content types and its VBA project part.
MACRO_MARKERS = (b"macroenabled", b"vbaproject")
#: How much of a worksheet part is read to find its `<dimension ref="A1:Z99"/>` (it comes first).
DIMENSION_PROBE_BYTES = 64 * 1024
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"\$?[A-Z]*\$?(\d*)(?::\$?[A-Z]*\$?(\d+))?\"")
MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
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


@dataclass(frozen=True)
class UploadLimits:
    """What each part of a workbook may inflate to, and how many rows a sheet may have.

    `shared_strings_bytes` (xl/sharedStrings.xml, every text of the workbook, loaded whole by
    openpyxl), `sheet_bytes` (each worksheet part) and `part_bytes` (every other part: styles,
    workbook, theme, comments…) are uncompressed sizes from the zip directory; `sheet_rows` is the
    rows a sheet may declare (`<dimension>`) or hold, `rows` the same by sheet title, overriding it
    for the sheets a reader knows (e.g. 产品产销存 ≤ 2,000 rows); `sheet_cells` the cells a sheet
    may hold (what openpyxl's parsing costs: `<c/>` is four bytes), `cells` by sheet title. Build
    them with `upload_limits`.
    """

    shared_strings_bytes: int = DEFAULT_SHARED_STRINGS_BYTES
    sheet_bytes: int = DEFAULT_SHEET_BYTES
    part_bytes: int = DEFAULT_PART_BYTES
    sheet_rows: int = DEFAULT_SHEET_ROWS
    rows: dict = field(default_factory=dict)
    sheet_cells: int = DEFAULT_SHEET_CELLS
    cells: dict = field(default_factory=dict)

    def rows_of(self, sheet: str) -> int:
        return int(self.rows.get(sheet, self.sheet_rows))

    def cells_of(self, sheet: str) -> int:
        return int(self.cells.get(sheet, self.sheet_cells))


def upload_limits(**given) -> UploadLimits:
    """`UploadLimits` from the settings (EXCEL_MAX_SHARED_STRINGS_BYTES, EXCEL_MAX_SHEET_BYTES,
    EXCEL_MAX_PART_BYTES, EXCEL_MAX_SHEET_ROWS, EXCEL_MAX_SHEET_CELLS), with the arguments given overriding them."""
    values = {
        "sheet_cells": getattr(settings, "EXCEL_MAX_SHEET_CELLS", DEFAULT_SHEET_CELLS),
        "shared_strings_bytes": getattr(settings, "EXCEL_MAX_SHARED_STRINGS_BYTES", DEFAULT_SHARED_STRINGS_BYTES),
        "sheet_bytes": getattr(settings, "EXCEL_MAX_SHEET_BYTES", DEFAULT_SHEET_BYTES),
        "part_bytes": getattr(settings, "EXCEL_MAX_PART_BYTES", DEFAULT_PART_BYTES),
        "sheet_rows": getattr(settings, "EXCEL_MAX_SHEET_ROWS", DEFAULT_SHEET_ROWS),
    }
    values.update({key: value for key, value in given.items() if value is not None})
    return UploadLimits(**values)


def upload_check(file, *, max_bytes: int | None = None, max_ratio: int = 100, max_entries: int = 1000,
                 max_uncompressed: int | None = None, limits: UploadLimits | None = None, scan: bool = True) -> None:
    """Refuse (`ExcelRefused`) an upload that is too large, not an .xlsx, a macro workbook, a zip bomb,
    an XML bomb, or a workbook whose parts exceed `limits`.

    Checks, cheapest first: the byte size (`max_bytes`, default setting EXCEL_UPLOAD_MAX_BYTES,
    5 MB); that it is a zip holding a workbook; the zip directory only (nothing inflated): the
    number of parts (`max_entries`), the inflated total (`max_uncompressed`, default setting
    EXCEL_MAX_UNCOMPRESSED_BYTES, 200 MB), the compression ratio of each large part and of the
    whole (`max_ratio`), a vbaProject.bin part, and the inflated size of each part against
    `limits` (default `upload_limits()`); then the prolog of every XML part, streamed up to its
    root element, for a DTD or entity declarations; the content types for a macro workbook; and
    the `<dimension>` of each worksheet against its row limit. With `scan` (the readers; an upload
    request that only stores the file passes False), each worksheet is then streamed through expat,
    counting its rows and cells (about a microsecond each, stopping at the first one over its limit),
    so what openpyxl parses next is bounded whatever the dimension says. Python's zipfile never
    inflates a part beyond its declared size, so a lying directory cannot get past these limits
    later. The stream is left rewound.
    """
    stream = upload_stream(file)
    max_bytes = max_bytes or getattr(settings, "EXCEL_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    max_uncompressed = max_uncompressed or getattr(settings, "EXCEL_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED)
    limits = limits or upload_limits()
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
            _check_macros(infos)
            sheets = _worksheet_titles(archive, infos, limits)
            _check_part_sizes(infos, sheets, limits)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    with archive.open(info) as part:
                        _check_prolog(part)
            _check_content_types(archive)
            for name, title in sheets.items():
                _check_dimension(archive, name, title, limits.rows_of(title))
            for name, title in sheets.items() if scan else ():
                _scan_sheet(archive, name, title, rows=limits.rows_of(title), cells=limits.cells_of(title))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted part; NotImplementedError: an unsupported compression method.
        raise not_a_workbook() from exc
    finally:
        stream.seek(0)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _size_text(size: int) -> str:
    """`1.5 MB`, or `300 KB` below one megabyte (so that a small limit never reads "0 MB")."""
    if size >= 1024 * 1024:
        return f"{_megabytes(size)} MB"
    return f"{max(1, round(size / 1024))} KB"


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


def macro_refused() -> ExcelRefused:
    return ExcelRefused(_("This is a workbook with macros (.xlsm, a vbaProject.bin part); workbooks with macros are "
                          "not accepted. Save it as an Excel workbook (.xlsx) without macros and try again."),
                        code="macro")


def _check_macros(infos: list) -> None:
    if any(posixpath.basename(info.filename).lower().startswith("vbaproject") for info in infos):
        raise macro_refused()


def _check_content_types(archive) -> None:
    """A macro-enabled main part (application/vnd.ms-excel.sheet.macroEnabled.main+xml) refuses the file."""
    with archive.open("[Content_Types].xml") as part:
        types = part.read().lower()  # its size is within the part limit, checked before
    if any(marker in types for marker in MACRO_MARKERS):
        raise macro_refused()


def _part_xml(archive, name: str, limits: UploadLimits):
    """A small part (workbook, relationships) parsed safely, or None when it is absent or too large."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limits.part_bytes:
        return None  # refused by `_check_part_sizes` with the part's name
    try:
        return fromstring(archive.read(info), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ExcelRefused(_("The workbook contains XML declarations that are not allowed (an \"XML bomb\"); "
                             "it was refused."), code="xml_bomb") from exc
    except ParseError as exc:
        raise not_a_workbook() from exc


def _worksheet_titles(archive, infos: list, limits: UploadLimits) -> dict:
    """{worksheet part name: its sheet title} from xl/workbook.xml and its relationships.

    A worksheet part no sheet refers to keeps its file name as its title (it is limited all the same).
    """
    titles = {info.filename: posixpath.basename(info.filename) for info in infos
              if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")}
    workbook = _part_xml(archive, "xl/workbook.xml", limits)
    rels = _part_xml(archive, "xl/_rels/workbook.xml.rels", limits)
    if workbook is None or rels is None:
        return titles
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    for sheet in workbook.iter(f"{MAIN_NS}sheet"):
        part = targets.get(sheet.get(REL_ID))
        if part in titles:
            titles[part] = sheet.get("name") or titles[part]
    return titles


def _check_part_sizes(infos: list, sheets: dict, limits: UploadLimits) -> None:
    for info in infos:
        name = info.filename
        if name in sheets:
            if info.file_size > limits.sheet_bytes:
                raise ExcelRefused(_("The sheet “%(sheet)s” expands to %(size)s when opened; the limit is %(limit)s. "
                                     "Remove what the template does not need (extra rows, columns or formatting) "
                                     "and try again.") % {
                    "sheet": sheets[name], "size": _size_text(info.file_size), "limit": _size_text(limits.sheet_bytes)},
                    code="sheet_too_large")
        elif name.lower() == "xl/sharedstrings.xml":
            if info.file_size > limits.shared_strings_bytes:
                raise ExcelRefused(_("The text of the workbook (its shared strings part, %(part)s) expands to "
                                     "%(size)s when opened; the limit is %(limit)s.") % {
                    "part": name, "size": _size_text(info.file_size), "limit": _size_text(limits.shared_strings_bytes)},
                    code="strings_too_large")
        elif name.lower().endswith(XML_SUFFIXES) and info.file_size > limits.part_bytes:
            raise ExcelRefused(_("The part %(part)s of the workbook expands to %(size)s when opened; the limit is "
                                 "%(limit)s.") % {
                "part": name, "size": _size_text(info.file_size), "limit": _size_text(limits.part_bytes)},
                code="part_too_large")


def rows_refused(sheet: str, rows: int, limit: int) -> ExcelRefused:
    """The sheet holds more rows than a reader accepts (from its dimension, or found while streaming)."""
    return ExcelRefused(_("The sheet “%(sheet)s” has %(rows)s rows; at most %(limit)s rows can be imported. Split "
                          "the file and import each part.") % {"sheet": sheet, "rows": rows, "limit": limit},
                        code="too_many_rows")


def cells_refused(sheet: str, limit: int) -> ExcelRefused:
    return ExcelRefused(_("The sheet “%(sheet)s” holds more than %(limit)s cells; remove what the template does not "
                          "need (extra rows, columns or formatting) and try again.") % {"sheet": sheet, "limit": limit},
                        code="too_many_cells")


def _scan_sheet(archive, name: str, title: str, *, rows: int, cells: int) -> None:
    """Stream the worksheet part through expat, counting `<row>` (by their number) and `<c>` elements."""
    state = {"row": 0, "cells": 0}

    def start(tag, attributes):
        local = tag.rpartition(":")[2]
        if local == "c":
            state["cells"] += 1
            if state["cells"] > cells:
                raise cells_refused(title, cells)
        elif local == "row":
            number = attributes.get("r", "")
            state["row"] = int(number) if number.isdigit() else state["row"] + 1
            if state["row"] > rows:
                raise rows_refused(title, state["row"], rows)

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    try:
        with archive.open(name) as part:
            for chunk in iter(lambda: part.read(SCAN_CHUNK_BYTES), b""):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise not_a_workbook() from exc


def _check_dimension(archive, name: str, title: str, limit: int) -> None:
    """The rows the sheet declares (`<dimension ref="A1:BV20002"/>`, written before its data) within `limit`."""
    with archive.open(name) as part:
        head = part.read(DIMENSION_PROBE_BYTES)
    found = DIMENSION.search(head)
    if found is None:
        return  # no dimension: the streaming readers stop at the limit (`rows_refused`)
    last = int(found.group(2) or found.group(1) or 0)
    if last > limit:
        raise rows_refused(title, last, limit)


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
