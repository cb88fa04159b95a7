from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class QuestionnaireFrequency(models.TextChoices):
    """问卷频度 (SPEC §7)."""

    MONTHLY = "monthly", _("Monthly")  # 月度
    QUARTERLY = "quarterly", _("Quarterly")  # 季度
    ANNUAL = "annual", _("Annual")  # 年度
    # Same values as reporting.enums.Frequency, whose `covers(month)` decides the periods of both.


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("questionnaire status", "Draft")  # 拟稿
    ACTIVE = "active", _("Active")  # 启用
    STOPPED = "stopped", _("Stopped")  # 停用


class QuestionnaireTarget(models.TextChoices):
    """Which enterprises a questionnaire applies to."""

    ALL = "all", _("All enterprises")  # 全部企业
    INDUSTRIAL = "industrial", _("Industrial enterprises")  # 工业企业
    MANUFACTURING = "manufacturing", _("Manufacturing enterprises")  # 制造业企业
