from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class Grouping(models.TextChoices):
    """汇总类型 of 经济指标月报汇总查询 (SPEC §8.5)."""

    OVERALL = "overall", _("Overall summary")  # 综合汇总
    HOLDING = "holding", _("By holding type")  # 控股类型汇总
    INDUSTRY = "industry", _("By industry")  # 所属行业汇总
    REGION = "region", _("By region")  # 所在地区汇总
    SIZE = "size", _("By enterprise size")  # 企业规模汇总
    SECTOR = "sector", _("By sector")  # 所属产业汇总


class ChangeFilter(models.TextChoices):
    """审核状态 of 企业信息变更查询: 全部 / 待审核 / 审核通过 / 审核退回."""

    PENDING = "pending", pgettext_lazy("analytics", "Pending review")
    APPROVED = "approved", pgettext_lazy("analytics", "Approved")
    RETURNED = "returned", pgettext_lazy("analytics", "Returned")


class UserState(models.TextChoices):
    """用户状态 of 企业基本信息查询."""

    ENABLED = "enabled", pgettext_lazy("analytics", "Enabled")
    DISABLED = "disabled", pgettext_lazy("analytics", "Disabled")


class RankBy(models.TextChoices):
    """查询方式 of 报送龙虎榜."""

    REGION = "region", _("Ranked by region")  # 地区排名
    ADMINISTRATOR = "administrator", _("Ranked by administrator")  # 管理员排名


class YearMode(models.TextChoices):
    """查询方式 of 年度报送明细查询."""

    YEAR = "year", _("By year")  # 按年查询
    RANGE = "range", _("Consecutive approved months")  # 连续审核通过月份区间


class Analysis(models.TextChoices):
    """分析类别 of 月度报送情况分析."""

    COMPOSITE = "composite", _("Composite analysis")  # 综合分析
    SIZE = "size", _("Size distribution")  # 规模分布上报情况分析


#: Industry sections: construction (建筑业) and agriculture (农、林、牧、渔业), for 规模分布.
CONSTRUCTION_SECTION = "E"
AGRICULTURE_SECTION = "A"
#: Rows per page of the query pages.
PER_PAGE = 50
