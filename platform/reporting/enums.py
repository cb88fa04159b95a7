from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")  # 月度
    QUARTERLY = "quarterly", _("Quarterly")  # 季度
    ANNUAL = "annual", _("Annual")  # 年度

    def covers(self, month: int) -> bool:
        """Whether a period ending in `month` is one of this frequency's periods: a period is stored as
        its last month (see `reporting.periods`, which owns the convention)."""
        if self == Frequency.QUARTERLY:
            return month % 3 == 0
        if self == Frequency.ANNUAL:
            return month == 12
        return True


class ChangeStatus(models.TextChoices):
    """企业信息变更: the state of an information change recorded by a freeze."""

    PENDING = "pending", _("Waiting for the check")  # 待检查
    HELD = "held", _("Waiting for review")  # 待审核 (the automatic check found a problem)
    AUTO_APPROVED = "auto_approved", _("Accepted automatically")  # 自动解冻
    APPROVED = "approved", _("Approved")  # 审核通过
    RETURNED = "returned", _("Returned")  # 退回


#: The profile fields whose change freezes a report (SPEC §5 step 1).
FREEZING_FIELDS = ("name", "credit_code", "industry")
