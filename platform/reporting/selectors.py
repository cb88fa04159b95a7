"""Reporting reads: report types, an enterprise's periods and their statuses, rule contexts."""
import datetime
from dataclasses import dataclass

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.selectors import admin_scope, administrator_office
from formdefs.engine import RuleContext
from formdefs.engine.localize import with_holder
from formdefs.models import FormVersion, WizardDraft
from formdefs.reference_values import YearReferenceValues
from formdefs.selectors import enterprise_initial_answers, enterprise_profile, version_current, wizard_draft_get
from formdefs.services import wizard_draft_key
from reporting.enums import EDITABLE, NOT_FILLED, NOT_FILLED_LABEL, SubmissionStatus

from .models import ReportType, Submission
from .periods import month_add, period_current, period_due, period_is_open, period_previous, periods_between


def report_type_manage_allowed(user) -> bool:
    """Who creates and edits report types (报表类型, back office): superusers and the national administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    profile = admin_scope(user).profile
    return profile is not None and profile.is_national


def definition_versions(definition) -> QuerySet[FormVersion]:
    """A definition's versions, newest first (the report type's edit page shows them)."""
    return FormVersion.objects.filter(definition=definition).order_by("-number")


def report_types_filed() -> QuerySet[ReportType]:
    """The report types enterprises file directly (当期报送, 历史报送, 上报导入, reminders, the API): active and
    not filled through filing tasks only; oldest first (the first is what a page shows without `?type=`)."""
    return (ReportType.objects.filter(is_active=True, by_task_only=False).select_related("definition")
            .order_by("pk"))


def report_type_applies(report_type: ReportType, enterprise) -> bool:
    """适用企业: whether `enterprise` files `report_type` — its industry section, region (in or under one
    of the type's regions, and in or under none of the regions it leaves out) and size match every list the
    type sets; an empty list matches everyone."""
    if report_type.industry_sections and enterprise.industry_section not in report_type.industry_sections:
        return False
    if report_type.sizes and enterprise.size not in report_type.sizes:
        return False
    prefixes = report_type.region_prefixes
    code = enterprise.region_code or ""
    if any(code.startswith(prefix) for prefix in report_type.region_excluded_prefixes or []):
        return False
    return not prefixes or any(code.startswith(prefix) for prefix in prefixes)


def report_type_in_region(report_type: ReportType, region_prefix: str | None) -> bool:
    """Whether `report_type` is filed in an administrator's region (its code prefix; "" national, None no
    region): the type names no region (every region), or one of its regions lies in the administrator's or
    contains it (浙江省's type for 宁波市's administrator); not when the type leaves out the whole region
    (上海市's administrator, for a type leaving out "31"). The back office's report type choices use it."""
    if region_prefix is None:
        return False
    if any(region_prefix.startswith(p) for p in report_type.region_excluded_prefixes or []):
        return False
    prefixes = report_type.region_prefixes or []
    return not prefixes or any(p.startswith(region_prefix) or region_prefix.startswith(p) for p in prefixes)


def report_type_enterprises_q(report_type: ReportType, prefix: str = "") -> Q:
    """`report_type_applies` as a filter on enterprises (`prefix`: the path to the enterprise, e.g.
    "enterprise__"), for lists of many enterprises (催报, the review list, the home counts)."""
    q = Q()
    if report_type.industry_sections:
        q &= Q(**{f"{prefix}industry_section__in": list(report_type.industry_sections)})
    if report_type.sizes:
        q &= Q(**{f"{prefix}size__in": list(report_type.sizes)})
    prefixes = report_type.region_prefixes
    if prefixes:
        regions = Q()
        for region_prefix in prefixes:
            regions |= Q(**{f"{prefix}region_code__startswith": region_prefix})
        q &= regions
    for region_prefix in report_type.region_excluded_prefixes or []:
        q &= ~Q(**{f"{prefix}region_code__startswith": region_prefix})
    return q


def report_types_for(enterprise) -> list[ReportType]:
    """The report types `enterprise` files directly (active, not by tasks only, applicable), oldest first:
    the portal's type switcher, 历史报送, 上报导入 and the API offer these (two queries)."""
    return [t for t in report_types_filed() if report_type_applies(t, enterprise)]


def report_type_for(enterprise, key: str | None = None) -> ReportType | None:
    """The type a portal page shows: the applicable one named `key` (`?type=`), else the first applicable
    one (an unknown or inapplicable key falls back too, so old links keep working); None when none applies."""
    types = report_types_for(enterprise)
    return next((t for t in types if t.key == key), types[0] if types else None)


def report_type_get(*, key: str, enterprise=None) -> ReportType:
    """A report type enterprises file directly (not one filled through filing tasks only); with `enterprise`,
    only one that applies to it. ReportType.DoesNotExist otherwise."""
    report_type = report_types_filed().get(key=key)
    if enterprise is not None and not report_type_applies(report_type, enterprise):
        raise ReportType.DoesNotExist
    return report_type


def report_version(report_type: ReportType, submission: Submission | None = None) -> FormVersion | None:
    """A submission keeps the version it was started with; a new one takes the current published version."""
    if submission is not None:
        return submission.version
    return version_current(key=report_type.definition.key)


def submission_find(*, report_type: ReportType, enterprise, period: datetime.date) -> Submission | None:
    return (Submission.objects.select_related("holder__user", "holder__region", "version", "report_type")
            .filter(report_type=report_type, enterprise=enterprise, period=period).first())


def report_draft_key(report_type: ReportType, enterprise, period: datetime.date) -> str:
    return f"report:{report_type.key}:{enterprise.pk}:{period:%Y-%m}"


def approved_answers(*, report_type: ReportType, enterprise, period: datetime.date) -> dict | None:
    row = (Submission.objects.filter(report_type=report_type, enterprise=enterprise, period=period,
                                      status=SubmissionStatus.APPROVED).values_list("answers", flat=True).first())
    return row


def approved_answers_latest(*, report_type: ReportType, enterprise, before: datetime.date) -> dict | None:
    """The answers of the enterprise's latest approved report before `before` (to prefill 基本信息)."""
    return (Submission.objects.filter(report_type=report_type, enterprise=enterprise, period__lt=before,
                                      status=SubmissionStatus.APPROVED)
            .order_by("-period").values_list("answers", flat=True).first())


#: Field types holding a period's own figures, never prefilled from an earlier period.
PERIOD_FIGURE_TYPES = frozenset({"indicator_grid", "table", "matrix_fill"})


def report_initial_answers(*, report_type: ReportType, enterprise, period: datetime.date,
                           submission: Submission | None = None) -> dict:
    """What a period's report starts from before anything is typed (the wizard's and 上报导入's prefill).

    The stored submission's answers; for a new report, 基本信息: the step-1 answers of the latest
    approved report before `period` (the yearly extras: 专精特新, 上年营业收入…) under the enterprise's
    registration data (`enterprise_initial_answers`).
    """
    if submission is not None:
        return dict(submission.answers)
    answers = {}
    last = approved_answers_latest(report_type=report_type, enterprise=enterprise, before=period)
    if last:
        step = report_version(report_type).document["steps"][0]
        # Only what stays true from month to month (基本信息): a month's figures are never carried into
        # another month as if typed (a report whose first step is its indicator grid starts empty).
        ids = {f["id"] for section in step.get("sections", []) for f in section.get("fields", [])
               if f.get("type") not in PERIOD_FIGURE_TYPES}
        answers.update({k: v for k, v in last.items() if k in ids})
    answers.update(enterprise_initial_answers(enterprise))
    return answers


def report_draft_answers(*, report_type: ReportType, enterprise, period: datetime.date, user) -> dict:
    """The answers `user` saved in the report wizard for this period (草稿, every step's answers merged)."""
    draft = wizard_draft_get(user=user, key=wizard_draft_key(report_draft_key(report_type, enterprise, period)))
    answers = {}
    for step_answers in ((draft.data or {}).get("extra_data") or {}).get("answers", {}).values() if draft else ():
        answers.update(step_answers or {})
    return answers


def report_fill_answers(*, report_type: ReportType, enterprise, period: datetime.date, user,
                        submission: Submission | None = None) -> dict:
    """The answers the wizard shows `user` for a period: the initial answers with their draft over them."""
    answers = report_initial_answers(report_type=report_type, enterprise=enterprise, period=period,
                                     submission=submission)
    answers.update(report_draft_answers(report_type=report_type, enterprise=enterprise, period=period, user=user))
    return answers


def report_rule_context(*, report_type: ReportType, enterprise, period: datetime.date) -> RuleContext:
    """`prev` (the previous period of the report type's frequency: last month, last quarter or last year)
    and `last_year` (the same period a year before) are given only when that report is approved (SPEC §5);
    `ref` the reference values stored for the period's year (参考值, `formdefs.reference_values`)."""
    return RuleContext(
        enterprise=enterprise_profile(enterprise),
        period={"year": period.year, "month": period.month},
        prev=approved_answers(report_type=report_type, enterprise=enterprise, period=period_previous(report_type.frequency, period)),
        last_year=approved_answers(report_type=report_type, enterprise=enterprise, period=month_add(period, -12)),
        ref=YearReferenceValues(period.year),
    )


def submission_status_label(submission: Submission | None, *, has_draft: bool = False, office: bool = False) -> str:
    """What the reviewers read: 待审核【sme_ningbo】, 退回, 未填报, ...; with `office`, what the enterprise reads:
    the holder's office, 待审核【海曙区经济和信息化局】 (issue 21 §3: enterprises never see login names)."""
    if submission is None:
        return SubmissionStatus.EDITING.label if has_draft else str(NOT_FILLED_LABEL)
    label = submission.get_status_display()
    if submission.status == SubmissionStatus.PENDING and submission.holder_id:
        holder = submission.holder
        return with_holder(label, administrator_office(holder) if office else holder.user.username)
    return label


def submission_level_label(submission: Submission) -> str:
    """已上报至县级 / 市级 / 省级 / 国家级: the level of the current holder."""
    if submission.status != SubmissionStatus.PENDING or submission.holder is None:
        return ""
    region = submission.holder.region
    level = {1: _("province level"), 2: _("city level"), 3: _("county level")}.get(region.level if region else 0, _("national level"))
    return _("Submitted to %(level)s") % {"level": level}


@dataclass
class PeriodRow:
    """One period of an enterprise's report, with or without a stored submission."""

    report_type: ReportType
    period: datetime.date
    submission: Submission | None
    has_draft: bool
    is_open: bool
    due: datetime.date

    @property
    def status(self) -> str:
        if self.submission is not None:
            return self.submission.status
        return SubmissionStatus.EDITING if self.has_draft else NOT_FILLED

    @property
    def status_label(self) -> str:
        """The enterprise's own list: the holder named by office."""
        return submission_status_label(self.submission, has_draft=self.has_draft, office=True)

    @property
    def can_edit(self) -> bool:
        return self.is_open and (self.submission is None or self.submission.status in EDITABLE)

    @property
    def period_key(self) -> str:
        return f"{self.period:%Y-%m}"


def enterprise_periods(*, enterprise, report_type: ReportType, first: datetime.date, last: datetime.date,
                       status: str = "", user=None, today: datetime.date | None = None) -> list[PeriodRow]:
    """历史报送: every period in [first, last], newest first, 未填报 derived where nothing is stored."""
    submissions = {s.period: s for s in Submission.objects.filter(
        report_type=report_type, enterprise=enterprise, period__gte=first, period__lte=last)
        .select_related("enterprise", "holder__user", "holder__region", "version", "report_type")}
    keys = {wizard_draft_key(report_draft_key(report_type, enterprise, p)): p
            for p in periods_between(report_type, first, last)}
    drafts = set()
    if user is not None:
        drafts = {keys[k] for k in WizardDraft.objects.filter(user=user, key__in=list(keys)).values_list("key", flat=True)}
    rows = [PeriodRow(report_type=report_type, period=p, submission=submissions.get(p), has_draft=p in drafts,
                      is_open=period_is_open(report_type, p, today), due=period_due(report_type, p))
            for p in keys.values()]
    if status:
        rows = [r for r in rows if r.status == status]
    return rows


#: 历史报送 by default: the periods of the last 13 months (this month a year ago included), across years.
HISTORY_DEFAULT_MONTHS = 13


def history_years(*, enterprise, report_type: ReportType) -> list[int]:
    """The years 历史报送 offers, newest first: from the current period's year back to the earliest of the
    back-fill years and the enterprise's oldest stored report of the type."""
    newest = period_current(report_type).year
    oldest = Submission.objects.filter(enterprise=enterprise, report_type=report_type).aggregate(
        first=Min("period"))["first"]
    earliest = min(newest - report_type.backfill_years, oldest.year if oldest else newest)
    return list(range(newest, earliest - 1, -1))


def history_window(report_type: ReportType, *, year_from: int | None = None,
                   year_to: int | None = None) -> tuple[datetime.date, datetime.date]:
    """The oldest and the newest period 历史报送 lists (the page says so): those of the chosen year or
    years up to the current period, or without a year of the last HISTORY_DEFAULT_MONTHS months."""
    current = period_current(report_type)
    if year_from is None and year_to is None:
        first, last = month_add(current, 1 - HISTORY_DEFAULT_MONTHS), current
    else:
        year_from, year_to = year_from or year_to, year_to or year_from
        first, last = datetime.date(year_from, 1, 1), min(datetime.date(year_to, 12, 1), current)
    periods = periods_between(report_type, first, last)
    return (periods[-1], periods[0]) if periods else (first, last)


def submission_for_enterprise(*, pk: int, enterprises) -> Submission:
    """A submission of one of `enterprises` (the portal user's), else DoesNotExist."""
    return (Submission.objects.select_related("enterprise__industry", "enterprise__region", "holder__user",
                                              "holder__region", "version__definition", "report_type")
            .get(pk=pk, enterprise__in=enterprises))
