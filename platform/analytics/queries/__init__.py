"""The ten standard queries (数据查询, SPEC §8), in menu order."""
from django.utils.translation import gettext as _

from ..selectors import analytics_report_type, analytics_report_types
from .counts import AnalysisQuery, LeaderboardQuery, SummaryQuery, YearCountsQuery, YearDetailQuery
from .lists import BasicQuery, ChangesQuery, DetailQuery, ProductsQuery, UnfiledQuery

QUERIES = {q.key: q for q in (BasicQuery, UnfiledQuery, ChangesQuery, DetailQuery, SummaryQuery, ProductsQuery,
                              LeaderboardQuery, YearDetailQuery, YearCountsQuery, AnalysisQuery)}


class QueryUnavailable(Exception):
    """No report type to run the query on (none is active)."""


def query_build(key: str, *, scope, report_type=None, data: dict | None = None, export: bool = False):
    """The query `key` over the filters `data` (KeyError for an unknown key), on `report_type` or else
    the type `data["type"]` names among the administrator's choice (default: the first directly filed
    one; the indicator queries choose among the types with an `analytics` block)."""
    cls = QUERIES[key]
    types = analytics_report_types(scope=scope, indicators=cls.needs_indicators)
    if report_type is None:
        chosen = str((data or {}).get("type") or "")
        every = analytics_report_types(scope=scope) if cls.needs_indicators else types
        # a type named by key is honoured even without indicators (the query then says it has none)
        report_type = (next((t for t in every if t.key == chosen), None) or analytics_report_type(types=types)
                       or analytics_report_type(types=every))
        if report_type is None:
            raise QueryUnavailable(_("No report type is active."))
    kwargs = {"export": export} if cls in (UnfiledQuery, DetailQuery) else {}
    return cls(scope=scope, report_type=report_type, data=data, report_types=types, **kwargs)
