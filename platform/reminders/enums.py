from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReminderKind(models.TextChoices):
    """Why an SMS about an unreported period was sent."""

    MANUAL = "manual", _("Reminder by an administrator")  # 手动催报
    DUE_SOON = "due_soon", _("Automatic reminder before the due date")  # 到期前自动催报
    ESCALATION = "escalation", _("Overdue notice to the reviewer")  # 逾期通知直接审核员


#: Kinds sent by Celery beat: at most one per (enterprise, report type, period, kind).
AUTOMATIC_KINDS = (ReminderKind.DUE_SOON, ReminderKind.ESCALATION)


class RunStatus(models.TextChoices):
    """A reminder run is a task model (STYLE.md "Long work is a task model")."""

    QUEUED = "queued", pgettext_lazy("reminder", "Queued")  # 排队中
    RUNNING = "running", pgettext_lazy("reminder", "Running")  # 发送中
    DONE = "done", pgettext_lazy("reminder", "Done")  # 已完成
    FAILED = "failed", pgettext_lazy("reminder", "Failed")  # 失败


class DeliveryOutcome(models.TextChoices):
    SENT = "sent", pgettext_lazy("reminder", "Sent")  # 已发送
    NO_MOBILE = "no_mobile", pgettext_lazy("reminder", "No mobile number")  # 无手机号
    FAILED = "failed", pgettext_lazy("reminder", "Sending failed")  # 发送失败
    SKIPPED = "skipped", pgettext_lazy("reminder", "Already reported, skipped")  # 已报送，跳过
