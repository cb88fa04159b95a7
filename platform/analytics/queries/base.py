"""A standard query: its filter form, its column headers and its rows, shared by the page and the
Excel export so that the export holds exactly what the filters select."""
from django.utils.translation import gettext as _

from exports.registry import Percent, Table

from ..definition import NoIndicators
from ..indicators import month_label


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
    #: Whether the query counts approved reports only (it then says why it is empty while the
    #: administrator's regions have none, instead of showing an empty table).
    needs_approved = False

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

    def empty_reason(self) -> str:
        """Why the page shows no table although the query can run ('' when it has data to show): an
        approved-reports query while the administrator's regions have none yet. Exports still run
        (an empty sheet under its header block)."""
        if self.needs_approved and self.form.latest_approved() is None:
            return _("No report of this region has been approved yet.")
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

    def chart(self, objects) -> dict | None:
        """The data of the chart drawn above the table (ECharts, analytics/query_charts.js), or None."""
        return None

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
        return Table(headers=[str(h) for h in self.headers()], rows=self._all_rows(objects),
                     total=self.count(objects), title=str(self.title), captions=self.captions() or self.filter_lines(),
                     groups=[(str(label), span) for label, span in self.header_groups()],
                     sheet_title=str(self.title)[:31], file_name=self.file_name())

    def filter_lines(self) -> list[str]:
        """The chosen filters as one line (「报表类型：… · 报表月份：…」) for an export's header block,
        when the query has no captions of its own."""
        parts = []
        for name, field in self.form.fields.items():
            if name in ("columns", "indicators") or name not in self.filters:
                continue
            value = self.filters[name]
            if value in (None, "", [], False):
                continue
            if hasattr(field, "choices") and not isinstance(value, (list, tuple)):
                value = dict((str(k), v) for k, v in field.choices).get(str(value), value)
            elif value is True:
                value = _("Yes")
            elif hasattr(value, "strftime"):
                value = f"{value:%Y-%m}" if name in ("month", "first", "last") else f"{value:%Y-%m-%d}"
            parts.append(f"{field.label}：{value}")
        return [" · ".join(parts)] if parts else []


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")
