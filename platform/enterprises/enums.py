from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """Status of an enterprise's registration (企业信息注册)."""

    DRAFT = "draft", _("Draft")  # 暂存
    PENDING = "pending", _("Pending review")  # 待审核
    RETURNED = "returned", _("Returned")  # 退回
    APPROVED = "approved", _("Approved")  # 审核通过
