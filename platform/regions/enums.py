from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")


class IndustryLevel(models.IntegerChoices):
    SECTION = 1, _("Section")  # 门类
    DIVISION = 2, _("Division")  # 大类
    GROUP = 3, _("Group")  # 中类
    CLASS = 4, _("Class")  # 小类


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("Large")  # 大型
    MEDIUM = "medium", _("Medium")  # 中型
    SMALL = "small", _("Small")  # 小型
    MICRO = "micro", _("Micro")  # 微型


class Sector(models.TextChoices):
    """产业: primary A, secondary B–E, tertiary the rest."""

    PRIMARY = "primary", _("Primary sector")
    SECONDARY = "secondary", _("Secondary sector")
    TERTIARY = "tertiary", _("Tertiary sector")


INDUSTRIAL_SECTIONS = frozenset("BCD")  # 工业
MANUFACTURING_SECTION = "C"  # 制造业
SECONDARY_SECTIONS = frozenset("BCDE")
BELOW_SCALE_REVENUE_YUAN = 20_000_000  # 规模以下工业: revenue under 20 million yuan
