"""Reads of the standard queries (数据查询); every one starts from `analytics_scope(user)`."""
from .common import analytics_scope, child_regions, latest_approved_period, region_names  # noqa: F401
from .lists import change_list, detail_list, detail_versions, enterprise_list, product_list, unfiled_list  # noqa: F401
from .reporting import (analysis_composite, analysis_size, leaderboard, year_counts, year_enterprises,  # noqa: F401
                        year_statuses)
from .report_types import analytics_report_type, analytics_report_types  # noqa: F401
from .summary import summary_compute  # noqa: F401
from .charts import indicator_trend, indicator_trend_comparable  # noqa: F401,E402
from .progress import reporting_progress  # noqa: F401,E402
