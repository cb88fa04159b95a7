"""Reference data: regions (GB/T 2260), industries (GB/T 4754-2017), registration and holding
types, and the SME size standard (versioned data, not code)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import INDUSTRIAL_SECTIONS, MANUFACTURING_SECTION, SECONDARY_SECTIONS, IndustryLevel, RegionLevel, Sector


class Region(models.Model):
    """所在地区: province, city or county with its six-digit GB/T 2260 code."""

    code = models.CharField(_("code"), max_length=6, db_index=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        # A city without counties (东莞市 441900) appears again as its own county with the same code.
        constraints = [models.UniqueConstraint(fields=["code", "level"], name="region_code_level_unique")]
        ordering = ["code", "level"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        """The code prefix every region in this subtree shares (GB/T 2260 codes nest)."""
        return self.code[: {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4}.get(self.level, 6)]

    def contains(self, other: "Region") -> bool:
        return other.level >= self.level and other.code.startswith(self.prefix)

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))


class Industry(models.Model):
    """所属行业: a node of GB/T 4754-2017; `code` as in the standard (A, 01, 011, 0111)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=IndustryLevel.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    section = models.CharField(_("section"), max_length=1, db_index=True)
    name = models.CharField(_("name"), max_length=128)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["section", "code"]
        verbose_name = _("industry")
        verbose_name_plural = _("industries")

    def __str__(self):
        return f"{self.full_code} {self.name}"

    @property
    def full_code(self) -> str:
        """The code shown and stored on enterprises, with the section letter (e.g. O8290)."""
        return self.code if self.level == IndustryLevel.SECTION else f"{self.section}{self.code}"

    @property
    def path_names(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "→".join(reversed(names))

    @property
    def is_industrial(self) -> bool:
        return self.section in INDUSTRIAL_SECTIONS

    @property
    def is_manufacturing(self) -> bool:
        return self.section == MANUFACTURING_SECTION

    @property
    def sector(self) -> str:
        if self.section == "A":
            return Sector.PRIMARY
        return Sector.SECONDARY if self.section in SECONDARY_SECTIONS else Sector.TERTIARY


class RegistrationType(models.Model):
    """注册类型: up to three levels (e.g. 200 → 220 合作经营企业(港或澳、台资))."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")

    def __str__(self):
        return self.name


class HoldingType(models.Model):
    """控股类型."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=32)

    class Meta:
        ordering = ["code"]
        verbose_name = _("holding type")
        verbose_name_plural = _("holding types")

    def __str__(self):
        return self.name


class SizeStandard(models.Model):
    """中小企业划型标准: thresholds per sector as loaded from a data file, versioned by year."""

    year = models.PositiveSmallIntegerField(_("effective from year"), unique=True)
    name = models.CharField(_("name"), max_length=128)
    data = models.JSONField(_("thresholds"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("size standard")
        verbose_name_plural = _("size standards")

    def __str__(self):
        return f"{self.year} {self.name}"
