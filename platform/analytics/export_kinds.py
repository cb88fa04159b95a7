"""Export kinds of the standard queries: `analytics.<query key>`, params = the query's filters.

The export runs the same query class as the page, with the same form and the same scope, so the file
holds exactly the rows the filters select (and nothing outside the administrator's region). Its reads
go to settings.QUERY_DATABASE (`config.routers`).
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from config.routers import heavy_iter, heavy_reads
from exports.registry import register_table
from exports.services import ExportRefused
from .queries import QUERIES, QueryUnavailable, query_build
from .selectors import analytics_scope


def query_table(key: str, *, actor, params: dict):
    scope = analytics_scope(actor)
    try:
        query = query_build(key, scope=scope, data=params, export=True)
    except QueryUnavailable as exc:
        raise ExportRefused(str(exc))
    if not query.valid:
        errors = "; ".join(f"{query.form.fields[name].label if name in query.form.fields else ''} {' '.join(msgs)}".strip()
                           for name, msgs in query.form.errors.items())
        raise ExportRefused(_("The filters are not valid: %(errors)s") % {"errors": errors})
    if query.unavailable():
        raise ExportRefused(query.unavailable())
    with heavy_reads():  # the count; the rows are read as the file is written
        table = query.table()
    table.rows = heavy_iter(table.rows)
    return table


def _register(key: str, title):
    @register_table(f"analytics.{key}", title=title)
    def table(*, actor, params):
        if actor is None:
            raise PermissionDenied
        return query_table(key, actor=actor, params=params)
    return table


for _key, _cls in QUERIES.items():
    _register(_key, _cls.title)
