"""The ten standard queries (数据查询, SPEC §8), in menu order."""
from .counts import AnalysisQuery, LeaderboardQuery, SummaryQuery, YearCountsQuery, YearDetailQuery
from .lists import BasicQuery, ChangesQuery, DetailQuery, ProductsQuery, UnfiledQuery

QUERIES = {q.key: q for q in (BasicQuery, UnfiledQuery, ChangesQuery, DetailQuery, SummaryQuery, ProductsQuery,
                              LeaderboardQuery, YearDetailQuery, YearCountsQuery, AnalysisQuery)}


def query_build(key: str, *, scope, report_type, data: dict | None = None, export: bool = False):
    """The query `key` over the filters `data` (KeyError for an unknown key)."""
    cls = QUERIES[key]
    if cls in (UnfiledQuery, DetailQuery):
        return cls(scope=scope, report_type=report_type, data=data, export=export)
    return cls(scope=scope, report_type=report_type, data=data)
