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


class Action(models.TextChoices):
    """Audit codes of the transitions (dotted, as Wagtail's log actions)."""

    SUBMIT = "workflow.submit", _("Submitted")  # 上报
    WITHDRAW = "workflow.withdraw", _("Withdrawn")  # 撤销
    RECEIVE = "workflow.receive", _("Received")  # 接收
    SKIP_RECEIVE = "workflow.skip_receive", _("Received (skip-level)")  # 越级接收
    RETURN = "workflow.return", _("Returned")  # 退回
    FREEZE = "workflow.freeze", _("Frozen")  # 冻结
    UNFREEZE = "workflow.unfreeze", _("Unfrozen")  # 解除冻结
    REASSIGN = "workflow.reassign", _("Reviewer changed")  # 更换直接审核员
    CHANGE_RETURN = "workflow.change_return", _("Information change returned")  # 企业信息变更退回
