"""Export kinds: what an app can export, registered once by a key (the extension point of this app).

An app declares its kinds in its own `export_kinds.py` (imported at start-up by `ExportsConfig.ready`):

    from exports.registry import Table, register_table

    @register_table("analytics.summary", title=_("Monthly indicator summary"))
    def summary_table(*, actor, params) -> Table:
        ...  # check the actor's permission, run the scoped query, return headers and lazy rows

or, for a file that is not one sheet of rows (several sheets, a zip of files), `register_writer`. See
README.md for the whole contract.
"""
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal


class Percent(Decimal):
    """A percentage: a number in Excel (format 0.00, the header says %), shown with a % sign on a page."""


@dataclass
class Table:
    """One sheet: header row(s) and rows (any iterable, ideally lazy: it is written in one pass).

    Every table is written by `styling.sheet_write`: first a block of lines, `title` (the query), each
    of `captions` (its filters, the basis of a computation) and the time of export; then `groups`,
    (label, number of columns) merged over the headers (e.g. an indicator name over its values); then
    any `header_rows` as they are; then `headers` (frozen with everything above them).
    `total` is the number of rows when known cheaply (a COUNT); it decides whether the export runs
    in the request or as a background job, and drives the progress bar.
    """

    headers: Sequence[str]
    rows: Iterable[Sequence]
    total: int | None = None
    header_rows: Sequence[Sequence] = field(default_factory=tuple)
    title: str = ""
    captions: Sequence[str] = field(default_factory=tuple)
    groups: Sequence[tuple[str, int]] = field(default_factory=tuple)
    sheet_title: str = "Sheet1"
    file_name: str = "export.xlsx"


#: progress(done, total) reports how far a writer has come (total 0 when unknown).
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    table: Callable[..., Table] | None = None
    write: Callable[..., str] | None = None
    sync_max_rows: int | None = None

    @property
    def is_table(self) -> bool:
        return self.table is not None


_KINDS: dict[str, ExportKind] = {}


class UnknownExportKind(LookupError):
    pass


def _register(kind: ExportKind) -> None:
    known = _KINDS.get(kind.key)
    if known is not None and (known.table, known.write) != (kind.table, kind.write):
        raise ValueError(f"export kind {kind.key!r} is already registered")
    _KINDS[kind.key] = kind


def register_table(key: str, *, title, sync_max_rows: int | None = None):
    """Register `func(*, actor, params) -> Table` as export kind `key`.

    `sync_max_rows`: up to this many rows the export is written in the request (default: setting
    EXPORT_SYNC_MAX_ROWS, 5000); above, or when `total` is None, it runs as a background job.
    """
    def decorator(func):
        _register(ExportKind(key=key, title=title, table=func, sync_max_rows=sync_max_rows))
        return func
    return decorator


def register_writer(key: str, *, title):
    """Register `func(*, actor, params, path, progress) -> file_name` as export kind `key`.

    The function writes the whole file to `path` (a workbook, a zip...), calls `progress(done, total)`
    now and then, and returns the file name the user downloads. It always runs as a background job.
    """
    def decorator(func):
        _register(ExportKind(key=key, title=title, write=func))
        return func
    return decorator


def kind_get(key: str) -> ExportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownExportKind(key) from None


def kinds() -> dict[str, ExportKind]:
    return dict(_KINDS)
