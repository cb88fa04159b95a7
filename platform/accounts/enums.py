from django.db import models
from django.utils.translation import gettext_lazy as _


class UserKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise user")  # 企业用户
    ADMINISTRATOR = "administrator", _("Administrator")  # 地方管理员
    EDITOR = "editor", _("Content editor")


class SmsPurpose(models.TextChoices):
    LOGIN = "login", _("Login")
    REGISTER = "register", _("Account registration")
    RESET_PASSWORD = "reset_password", _("Password reset")
    CHANGE_MOBILE = "change_mobile", _("Change of mobile")
    NOTICE = "notice", _("Notice")  # not a code: approvals, reminders


class AdminFlag(models.TextChoices):
    """Permission flags of an administrator (SPEC §6)."""

    REVIEW_REGISTRATION = "can_review_registration", _("Registration review")  # 企业注册信息审核权
    REVIEW_REPORT = "can_review_report", _("Report review")  # 企业上报数据审核权
    SKIP_LEVEL = "can_skip_level", _("Skip-level receive")  # 越级审核权
    ONE_CLICK = "can_one_click", _("One-click receive")  # 一键审核权
    SMS_REMIND = "can_sms_remind", _("SMS reminders")  # 短信催报权


ADMIN_GROUP_NAME = "地方管理员"
EDITOR_GROUP_NAME = "内容编辑"
