from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ops.task_base import TaskStatus


class ReminderKind(models.TextChoices):
    """Why an SMS about an unreported period was sent."""

    MANUAL = "manual", _("Reminder by an administrator")  # 手动催报
    DUE_SOON = "due_soon", _("Automatic reminder before the due date")  # 到期前自动催报
    ESCALATION = "escalation", _("Overdue notice to the reviewer")  # 逾期通知直接审核员


#: Kinds sent by Celery beat: at most one per (enterprise, report type, period, kind).
AUTOMATIC_KINDS = (ReminderKind.DUE_SOON, ReminderKind.ESCALATION)


#: The status of every task model (ops.task_base); the name this app used before it was shared.
RunStatus = TaskStatus


class DeliveryOutcome(models.TextChoices):
    SENT = "sent", pgettext_lazy("reminder", "Sent")  # 已发送
    NO_MOBILE = "no_mobile", pgettext_lazy("reminder", "No mobile number")  # 无手机号
    FAILED = "failed", pgettext_lazy("reminder", "Sending failed")  # 发送失败
    SKIPPED = "skipped", pgettext_lazy("reminder", "Already reported, skipped")  # 已报送，跳过
