from django.db import models
from django.utils.translation import gettext_lazy as _


class SubmissionStatus(models.TextChoices):
    """Statuses of a report period (SPEC §5). 未填报 is derived: no row and no draft."""

    EDITING = "editing", _("Editing")  # 编辑
    PENDING = "pending", _("Pending review")  # 待审核
    RETURNED = "returned", _("Returned")  # 退回
    APPROVED = "approved", _("Approved")  # 审核通过
    FROZEN = "frozen", _("Frozen")  # 冻结
    UNFROZEN = "unfrozen", _("Unfrozen")  # 解除冻结


#: 未填报: a period with nothing saved. Never stored; selectors report it.
NOT_FILLED = "not_filled"
NOT_FILLED_LABEL = _("Not filled")

#: Statuses in which the enterprise may edit the answers.
EDITABLE = frozenset({SubmissionStatus.EDITING, SubmissionStatus.RETURNED, SubmissionStatus.UNFROZEN})


class Screening(models.TextChoices):
    """系统筛查: the outcome of the non-blocking checks at submit."""

    NONE = "", _("Not screened")
    PASSED = "passed", _("No anomaly")  # 未见异常
    ANOMALOUS = "anomalous", _("Data anomaly")  # 数据异常


class EntryMethod(models.TextChoices):
    ONLINE = "online", _("Online")  # 在线填报
    IMPORT = "import", _("Imported")  # 导入 (the enterprise's own Excel import)
    ADMIN_IMPORT = "admin_import", _("Imported by administrator")  # 地方管理员导入


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
