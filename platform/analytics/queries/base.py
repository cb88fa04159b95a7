"""A standard query: its filter form, its column headers and its rows, shared by the page and the
Excel export so that the export holds exactly what the filters select."""
from decimal import Decimal

from django.utils.translation import gettext as _

from exports.registry import Table

from ..definition import NoIndicators
from ..indicators import month_label


class Percent(Decimal):
    """A percentage: a number in Excel (the header says %), shown with a % sign on the page."""


def percent(value):
    return None if value is None else Percent(value)


class Query:
    """Subclasses set `key`, `title`, `form_class` and implement `objects()`, `headers()` and `cells()`."""

    key = ""
    title = ""
    form_class = None
    paginated = True
    #: Whether the page shows a 催报 button on each row (未报送企业查询).
    remind = False
    #: Whether the query reads the indicators of the report type's `analytics` block (its 报表类型
    #: choice then lists only the types that have one).
    needs_indicators = False

    def __init__(self, *, scope, report_type, data: dict | None = None, report_types=None):
        self.scope, self.report_type = scope, report_type
        self.form = self.form_class(data or {}, scope=scope, report_type=report_type, report_types=report_types)
        #: The report type's analytics block (None: no indicators), read once per query.
        self.analytics = self.form.analytics
        self.valid = self.form.is_valid()
        self.filters = self.form.cleaned_data if self.valid else {}

    def unavailable(self) -> str:
        """Why the query has nothing to show for the chosen report type ('' when it can run)."""
        if self.needs_indicators and self.analytics is None:
            return NoIndicators(self.report_type).message
        return ""

    def params(self) -> dict:
        """The filters as JSON (what an export job stores; parsed again by the same form)."""
        out = {}
        for name, field in self.form.fields.items():
            value = self.form.data.get(name)
            if value is None:
                continue  # absent: the form's default applies again; "" (全部) is kept
            out[name] = list(value) if isinstance(value, (list, tuple)) else str(value)
        if "type" in self.form.fields and self.report_type is not None:
            out["type"] = self.report_type.key  # an export made later reads the same report type
        return out

    # -- to implement ---------------------------------------------------------------------------
    def objects(self):
        """What the page paginates (a queryset or a list)."""
        raise NotImplementedError

    def headers(self) -> list[str]:
        raise NotImplementedError

    def header_groups(self) -> list[tuple[str, int]]:
        """Labels spanning several columns above the headers (empty for one header row)."""
        return []

    def captions(self) -> list[str]:
        """Lines that state what the rows are (the filters, the basis of a computation): shown above
        the table and written above the header rows of the export. Call after `objects()`."""
        return []

    def cells(self, objects):
        """Yield (object, list of cell values) for a batch of objects."""
        raise NotImplementedError

    # -- shared -----------------------------------------------------------------------------------
    def count(self, objects) -> int:
        return objects.count() if hasattr(objects, "count") and not isinstance(objects, list) else len(objects)

    def file_name(self) -> str:
        month = self.filters.get("month")
        suffix = f"-{month_label(month)}" if month else ""
        return f"{self.key}{suffix}.xlsx"

    def _all_rows(self, objects):
        if hasattr(objects, "iterator"):
            batch = []
            for obj in objects.iterator(chunk_size=2000):
                batch.append(obj)
                if len(batch) == 2000:
                    yield from (cells for _obj, cells in self.cells(batch))
                    batch = []
            if batch:
                yield from (cells for _obj, cells in self.cells(batch))
        else:
            yield from (cells for _obj, cells in self.cells(objects))

    def table(self) -> Table:
        objects = self.objects()
        groups = self.header_groups()
        header_rows = [[caption] for caption in self.captions()]
        if groups:
            row = []
            for label, span in groups:
                row.extend([label] + [""] * (span - 1))
            header_rows.append(row)
        return Table(headers=self.headers(), header_rows=header_rows, rows=self._all_rows(objects),
                     total=self.count(objects), sheet_title=str(self.title)[:31], file_name=self.file_name())


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
