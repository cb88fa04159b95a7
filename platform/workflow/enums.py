from django.db import models
from django.utils.translation import gettext_lazy as _


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
