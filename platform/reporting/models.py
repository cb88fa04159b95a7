"""Report types, report submissions (one per enterprise and period), information changes, facts."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.enums import RegionLevel

from .enums import ChangeStatus, EntryMethod, Frequency, Screening, SubmissionStatus


class ReportType(models.Model):
    """报表类型: a published form definition filled per period (e.g. the SME monthly report)."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    definition = models.ForeignKey("formdefs.FormDefinition", on_delete=models.PROTECT, related_name="report_types")
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.MONTHLY)
    due_day = models.PositiveSmallIntegerField(
        _("due day of the following month"), default=20, help_text=_("Shanghai: the 20th."))
    backfill_years = models.PositiveSmallIntegerField(
        _("years open for back-filling"), default=1, help_text=_("1: the current and the previous year."))
    is_active = models.BooleanField(_("active"), default=True)
    # Filled only through filing tasks (填报任务), never from 当期报送 or the report API.
    by_task_only = models.BooleanField(_("filled through tasks only"), default=False)
    # 适用企业: which enterprises file it directly. Each empty list means "all"; an enterprise applies when
    # it matches every non-empty one (`reporting.selectors.report_type_applies`, `report_types_for`).
    industry_sections = models.JSONField(_("industry sections"), default=list, blank=True,
                                         help_text=_("GB/T 4754 section letters; none chosen: every industry."))
    # Region code prefixes (GB/T 2260 codes nest: "33" 浙江省, "3302" 宁波市, "330203" 海曙区), so the check
    # is a prefix test on the enterprise's code with no join (as `Region.prefix` and `AdminScope.region_q`).
    region_prefixes = models.JSONField(_("regions"), default=list, blank=True,
                                       help_text=_("An enterprise in or under one of them; none chosen: every region."))
    # Regions left out (a region with a report of its own): an enterprise in or under one of them does not file it.
    region_excluded_prefixes = models.JSONField(
        _("regions left out"), default=list, blank=True,
        help_text=_("An enterprise in or under one of them does not file this report; none chosen: none left out."))
    sizes = models.JSONField(_("enterprise sizes"), default=list, blank=True,
                             help_text=_("None chosen: every size."))
    # The marks an official statistical form prints in its top right corner (统计报表的表头: 表号, 制定机关,
    # 批准文号, 有效期至); shown on the print view when set. Not in the definition: its meta schema is closed.
    form_number = models.CharField(_("form number"), max_length=64, blank=True, help_text=_("The number of the form, as printed on it."))
    issuing_authority = models.CharField(_("issuing authority"), max_length=100, blank=True,
                                         help_text=_("The authority that drew up the form."))
    approval_number = models.CharField(_("approval number"), max_length=64, blank=True,
                                       help_text=_("The approval number of the statistical survey."))
    valid_until = models.CharField(_("valid until"), max_length=32, blank=True, help_text=_("Until when the approval is valid."))

    class Meta:
        ordering = ["key"]
        verbose_name = _("report type")
        verbose_name_plural = _("report types")

    def __str__(self):
        return self.localized_title

    @property
    def localized_title(self) -> str:
        """The title in the UI language: in English the definition's `title_en` (issue 21 §5)."""
        from formdefs.engine.localize import localized_title

        return localized_title(self.title, self.definition if self.definition_id else None)


class Submission(models.Model):
    """一期报表: the answers of one enterprise for one period of a report type, and where it stands.

    Created when the enterprise finishes the wizard (or imports); `answers` is the source of truth,
    the facts table is derived. Statuses change only through `workflow.services`.
    """

    report_type = models.ForeignKey(ReportType, on_delete=models.PROTECT, related_name="submissions")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="submissions")
    period = models.DateField(_("period"), help_text=_("The first day of the reported month."))
    version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT, related_name="submissions")
    answers = models.JSONField(_("answers"), default=dict)
    issues = models.JSONField(_("violated checks"), default=list)
    # 带入上期: the grid cells ("grid.row.column") the clerk cleared of a carried value in the wizard; they
    # stay empty (not carried again) across 上报 and 退回 until a save gives them a value (reporting.carry).
    carry_cleared = models.JSONField(_("carried cells cleared"), default=list, blank=True)
    explanation = models.TextField(_("filler's note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.EDITING, db_index=True)
    holder = models.ForeignKey(
        "accounts.AdministratorProfile", null=True, blank=True, on_delete=models.PROTECT,
        related_name="held_submissions", verbose_name=_("held by"))
    reviewer_acted = models.BooleanField(_("an administrator has acted"), default=False)
    # Where review ends: receipt by an administrator of this region level approves the report (e.g. a
    # municipal filing task ends at the city). Empty: the top of the administrator tree (national).
    final_level = models.PositiveSmallIntegerField(_("review ends at level"), null=True, blank=True,
                                                   choices=RegionLevel.choices)
    screening = models.CharField(_("screening"), max_length=16, choices=Screening.choices, default=Screening.NONE, blank=True, db_index=True)
    entry_method = models.CharField(_("entry method"), max_length=16, choices=EntryMethod.choices, default=EntryMethod.ONLINE)
    return_reason = models.TextField(_("return reason"), blank=True)
    filler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filler_name = models.CharField(_("filled in by"), max_length=64, blank=True)  # 填报人
    region_code = models.CharField(max_length=6, db_index=True, editable=False)
    # Optimistic concurrency on the answers: +1 on every `report_save`; 0 only while a first save is
    # being made. A writer that read revision N saves with expected_revision=N (the wizard, the API).
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["report_type", "enterprise", "period"], name="submission_type_enterprise_period_unique")]
        indexes = [
            # enterprise last: the summaries select a month's reports by status from the index alone.
            models.Index(fields=["report_type", "period", "status", "enterprise"], name="submission_type_period_status"),
            models.Index(fields=["holder", "status"]),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.enterprise} {self.period:%Y-%m}"

    @property
    def period_key(self) -> str:
        return f"{self.period:%Y-%m}"

    @property
    def indicator_count(self) -> int:
        """指标数: the grid rows that hold at least one number."""
        return sum(1 for value in self.answers.values() if isinstance(value, dict)
                   for cells in value.values() if isinstance(cells, dict) and any(v is not None for v in cells.values()))


class InformationChange(models.Model):
    """企业信息变更: name, credit code or industry changed in a report's 基本信息 (before/after)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="changes")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="information_changes")
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    status = models.CharField(_("status"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True)
    check_after = models.DateTimeField(_("automatic check at"), db_index=True)
    problems = models.JSONField(_("problems found"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("information change")
        verbose_name_plural = _("information changes")


class IndicatorFact(models.Model):
    """One number of one submission: the narrow facts table every summary groups over (DHIS2 data values).

    `field` is the answer id, `row` the grid row id or the table row index, `column` the grid or table
    column ('' for scalars). Denormalised period, enterprise, region, industry and status keep
    summaries to one GROUP BY without joins. Rebuilt by `manage.py facts_rebuild`.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="facts")
    # No single-column indexes on these: the composite indexes below lead with them, and each index of
    # a table of tens of millions of rows costs at every write and every bulk load.
    definition = models.ForeignKey("formdefs.FormDefinition", on_delete=models.PROTECT, related_name="+", db_index=False)
    version = models.ForeignKey("formdefs.FormVersion", on_delete=models.PROTECT, related_name="+", db_index=False)
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.DateField()
    region_code = models.CharField(max_length=6)
    industry_code = models.CharField(max_length=8)
    status = models.CharField(max_length=16, choices=SubmissionStatus.choices)
    field = models.CharField(max_length=64)
    row = models.CharField(max_length=64, blank=True)
    column = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=100, blank=True, help_text=_("The text key of a table row, e.g. the product name."))
    value = models.DecimalField(max_digits=24, decimal_places=6)

    class Meta:
        indexes = [
            # The summaries' and charts' index: one cell of one month, by status. On PostgreSQL enterprise
            # and value ride along (INCLUDE), so a summary reads the index alone (an index-only scan);
            # SQLite has no such columns and ignores them (check models.W040 is silenced for it).
            models.Index(fields=["definition", "period", "field", "column", "row", "status"], include=["enterprise", "value"],
                         name="fact_def_period_cell_status"),
            models.Index(fields=["enterprise", "period"], name="fact_enterprise_period"),
        ]
        verbose_name = _("indicator fact")
        verbose_name_plural = _("indicator facts")
