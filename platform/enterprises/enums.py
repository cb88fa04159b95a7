from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class RegistrationStatus(models.TextChoices):
    """Status of an enterprise's registration (企业信息注册)."""

    DRAFT = "draft", pgettext_lazy("registration status", "Draft")  # 暂存
    PENDING = "pending", _("Pending review")  # 待审核
    RETURNED = "returned", _("Returned")  # 退回
    APPROVED = "approved", _("Approved")  # 审核通过


class AssociationRole(models.TextChoices):
    """What a user is to an enterprise on the association page (关联企业)."""

    FILLER = "filler", _("Filler")  # 填报员
    REGISTRANT = "registrant", _("Registrant")  # 注册人
    ASSOCIATED = "associated", _("Associated")  # 关联用户


class EnterpriseAction(models.TextChoices):
    """Audit codes of enterprise events (dotted, as Wagtail's log actions)."""

    REGISTRATION_SUBMIT = "registration.submit", _("Registration submitted")  # 提交审核
    REGISTRATION_APPROVE = "registration.approve", _("Registration approved")  # 通过
    REGISTRATION_RETURN = "registration.return", _("Registration returned")  # 退回
    REGISTRATION_DELETE = "registration.delete", _("Registration deleted")  # 删除
    ASSOCIATION_CREATE = "association.create", _("Associated")  # 关联企业
    FILLER_APPLY = "filler.apply", _("Became the filler")  # 申请填报员
    FILLER_HANDOVER = "filler.handover", _("Filler handed over")  # 填报人更换
    ENTERPRISE_DISABLE = "enterprise.disable", _("Enterprise disabled")  # 停用
    ENTERPRISE_ENABLE = "enterprise.enable", _("Enterprise enabled")  # 启用
    ENTERPRISE_DELETE = "enterprise.delete", _("Enterprise deleted")  # 删除
    REVIEWER_CHANGE = "enterprise.reviewer_change", _("Direct reviewer changed")  # 更换直接审核员


class EnterpriseState(models.TextChoices):
    """Whether a monitored enterprise may report (监测企业信息管理: 启用 / 停用)."""

    ENABLED = "enabled", _("Enabled")  # 启用
    DISABLED = "disabled", _("Disabled")  # 停用


#: 通过/退回 reasons are at most this long (SPEC §4).
RETURN_REASON_MAX_LENGTH = 150

#: The form definition the registration wizard runs (formdefs/definitions/enterprise_registration.json).
REGISTRATION_FORM_KEY = "enterprise_registration"
