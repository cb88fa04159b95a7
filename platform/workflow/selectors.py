"""Back-office reads of the review workflow (SPEC §6): the review list, one enterprise's month, the
information changes waiting for review and the administrator home's counts.

Every query starts from `accounts.selectors.admin_scope`: an administrator sees the enterprises and
reports of its region subtree only.
"""
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.db.models.functions import Substr

from accounts.selectors import AdminScope, admin_scope
from enterprises.enums import RegistrationStatus
from enterprises.models import Enterprise
from reporting.enums import ChangeStatus, Screening
from reporting.models import InformationChange, ReportType, Submission
from reporting.periods import month_add
from reporting.selectors import report_type_enterprises_q, submission_status_label

from reporting.enums import NOT_FILLED, SubmissionStatus as S
from .actions import ActionSet, available_actions
from .models import ReviewEvent

#: 已上报: a report that reached the administrators (pending somewhere, or approved).
REPORTED = (S.PENDING, S.APPROVED)


class ReportedFilter:
    REPORTED = "reported"
    NOT_REPORTED = "not_reported"


def _reviewer_scope(user) -> AdminScope:
    scope = admin_scope(user)
    if scope.is_empty:
        raise PermissionDenied
    return scope


def review_scope(user) -> AdminScope:
    """The scope of a report reviewer; PermissionDenied for anyone else."""
    scope = _reviewer_scope(user)
    if not scope.profile.can_review_report:
        raise PermissionDenied
    return scope


def monitored_enterprises(scope: AdminScope) -> QuerySet[Enterprise]:
    """监测企业: approved, enabled enterprises in the scope's region."""
    return Enterprise.objects.filter(scope.region_q("region_code"), status=RegistrationStatus.APPROVED,
                                     is_disabled=False)


def _with_month(qs: QuerySet, report_type: ReportType, period: datetime.date) -> QuerySet:
    # Only the enterprises that file the type (its 适用企业: industry sections, regions, sizes).
    return qs.filter(report_type_enterprises_q(report_type)).annotate(cur=FilteredRelation(
        "submissions", condition=Q(submissions__report_type=report_type, submissions__period=period)))


def review_enterprises(*, scope: AdminScope, report_type: ReportType, period: datetime.date, region: str = "",
                       reported: str = "", status: str = "", screening: str = "", entry_method: str = "",
                       query: str = "") -> QuerySet[Enterprise]:
    """企业上报数据审核: one row per monitored enterprise of the scope for the month, reported or not
    (未填报 is derived: no submission). Filters as SPEC §6."""
    qs = review_enterprises_month(scope=scope, report_type=report_type, period=period)
    return review_enterprises_filter(qs, region=region, reported=reported, status=status, screening=screening,
                                     entry_method=entry_method, query=query)


def review_enterprises_month(*, scope: AdminScope, report_type: ReportType, period: datetime.date
                             ) -> QuerySet[Enterprise]:
    """The review list's rows before its filters: the scope's monitored enterprises that file the type,
    joined to the month's report (`cur`), in the list's order."""
    return (_with_month(monitored_enterprises(scope), report_type, period)
            .select_related("region", "direct_reviewer__user").order_by("region_code", "name"))


def review_enterprises_filter(qs: QuerySet[Enterprise], *, region: str = "", reported: str = "", status: str = "",
                              screening: str = "", entry_method: str = "", query: str = "") -> QuerySet[Enterprise]:
    """The review list's filters (SPEC §6) on `review_enterprises_month`'s rows; empty values do not filter."""
    if region:
        qs = qs.filter(region_code__startswith=region)
    if reported == ReportedFilter.REPORTED:
        qs = qs.filter(cur__status__in=REPORTED)
    elif reported == ReportedFilter.NOT_REPORTED:
        qs = qs.exclude(cur__status__in=REPORTED)
    if status == NOT_FILLED:  # 未填报: nothing saved for the month (the home tile counts these)
        qs = qs.filter(cur__id__isnull=True)
    elif status:
        qs = qs.filter(cur__status=status)
    if screening:
        qs = qs.filter(cur__screening=screening, cur__status__in=REPORTED)
    if entry_method:
        qs = qs.filter(cur__entry_method=entry_method)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(credit_code__istartswith=query))
    return qs


@dataclass
class ReviewRow:
    """One enterprise of the review list with its report of the month and of the month before."""

    enterprise: Enterprise
    submission: Submission | None
    previous: Submission | None = field(repr=False)  # its enterprise is not read: no query to show a row
    profile_pk: int = 0

    def __str__(self) -> str:
        return self.enterprise.name

    @property
    def status(self) -> str:
        return self.submission.status if self.submission is not None else NOT_FILLED

    @property
    def status_label(self) -> str:
        """待审核【sme_ningbo】, 退回, 未填报, ..."""
        return submission_status_label(self.submission)

    @property
    def is_reported(self) -> bool:
        return self.submission is not None and self.submission.status in REPORTED

    actions: ActionSet = field(default_factory=ActionSet)  # what the reviewer may do (workflow.actions)


def review_rows(*, scope: AdminScope, enterprises, report_type: ReportType, period: datetime.date) -> list[ReviewRow]:
    """Attach this month's and last month's reports, and the actions the reviewer may take on this
    month's (`available_actions`), to a page of enterprises (two queries)."""
    enterprises = list(enterprises)
    found = {(s.enterprise_id, s.period): s for s in Submission.objects.filter(
        report_type=report_type, enterprise__in=[e.pk for e in enterprises],
        period__in=[period, month_add(period, -1)]).select_related("holder__user", "holder__region")}
    rows, actor = [], scope.profile.user
    for e in enterprises:
        submission = found.get((e.pk, period))
        if submission is not None:
            submission.enterprise = e  # the row's enterprise, already read with its region
        rows.append(ReviewRow(enterprise=e, submission=submission, previous=found.get((e.pk, month_add(period, -1))),
                              profile_pk=scope.profile.pk,
                              actions=available_actions(submission, actor, scope=scope)))
    return rows


def review_region_choices(scope: AdminScope) -> list[tuple[str, str]]:
    """Regions to filter by: the scope's region and two levels below it (prefix, name)."""
    own = scope.profile.region
    depth = own.level if own else 0
    regions = scope.regions().filter(level__lte=depth + 2).select_related("parent").order_by("code", "level")
    choices, seen = [], set()
    top = depth if own else 1
    for region in regions:
        if region.prefix in seen:
            continue
        seen.add(region.prefix)
        choices.append((region.prefix, "\u3000" * (region.level - top) + region.name))
    return choices


def review_enterprise_get(*, user, pk: int) -> Enterprise:
    """An enterprise of the reviewer's region (Enterprise.DoesNotExist otherwise)."""
    scope = review_scope(user)
    return (Enterprise.objects.filter(scope.region_q("region_code"))
            .select_related("region__parent__parent", "industry", "direct_reviewer__user", "holding_type",
                            "registration_type").get(pk=pk))


def review_submission(*, enterprise: Enterprise, report_type: ReportType, period: datetime.date) -> Submission | None:
    return (Submission.objects.filter(enterprise=enterprise, report_type=report_type, period=period)
            .select_related("holder__user", "holder__region", "version", "report_type", "enterprise").first())


def review_submission_get(*, user, pk: int) -> Submission:
    """A report of an enterprise of the reviewer's region (Submission.DoesNotExist otherwise)."""
    scope = review_scope(user)
    return (Submission.objects.filter(scope.region_q("enterprise__region_code"))
            .select_related("enterprise", "holder__user", "report_type").get(pk=pk))


def review_submissions_chosen(*, user, ids) -> list[Submission]:
    """The reports a reviewer ticked on the list (批量退回), those of its region only, in the list's order."""
    scope = review_scope(user)
    pks = [int(pk) for pk in ids if str(pk).isdigit()]
    return list(Submission.objects.filter(scope.region_q("region_code"), pk__in=pks)
                .select_related("enterprise", "holder__user", "report_type").order_by("enterprise__region_code",
                                                                                        "enterprise__name", "period"))


def submission_events(submission: Submission) -> QuerySet[ReviewEvent]:
    """The audit trail of a report, oldest first."""
    return submission.events.select_related("actor", "from_holder__user", "to_holder__user")


# -- 企业信息变更 -------------------------------------------------------------------------------

#: Changes a reviewer can still decide on.
CHANGES_OPEN = (ChangeStatus.PENDING, ChangeStatus.HELD)


def information_changes_for_review(*, user, status: str = "open", query: str = "") -> QuerySet[InformationChange]:
    """Information changes of the reviewer's region; `open` (default) those still waiting."""
    scope = review_scope(user)
    qs = InformationChange.objects.filter(scope.region_q("enterprise__region_code"))
    if status == "open":
        qs = qs.filter(status__in=CHANGES_OPEN, submission__status=S.FROZEN)
    elif status:
        qs = qs.filter(status=status)
    if query.strip():
        qs = qs.filter(Q(enterprise__name__icontains=query.strip()) | Q(enterprise__credit_code__istartswith=query.strip()))
    return qs.select_related("enterprise__region", "submission__report_type", "resolved_by").order_by("-created_at", "-pk")


def information_change_get(*, user, pk: int) -> InformationChange:
    return information_changes_for_review(user=user, status="").get(pk=pk)


# -- administrator home -----------------------------------------------------------------------

@dataclass
class RegionCounts:
    """One child region's numbers for a month on the administrator home."""

    code: str
    name: str
    registered: int = 0  # 注册企业 (monitored)
    reported: int = 0  # 已上报 (pending or approved)
    approved: int = 0  # 审核通过
    pending: int = 0  # 待审核
    returned: int = 0  # 退回
    not_filled: int = 0  # 未填报 (nothing saved)

    @property
    def to_report(self) -> int:
        """待上报: not yet reported (nothing saved, editing, returned, frozen, unfrozen)."""
        return self.registered - self.reported

    @property
    def approved_share(self) -> int:
        return round(100 * self.approved / self.reported) if self.reported else 0


@dataclass
class HomeSummary:
    period: datetime.date
    rows: list = field(default_factory=list)
    total: RegionCounts | None = None


_PREFIX_LENGTH = {None: 2, 1: 4, 2: 6, 3: 6}
_CHILD_LEVEL = {None: 1, 1: 2, 2: 3, 3: 3}


def home_summary(*, user, report_type: ReportType, period: datetime.date) -> HomeSummary:
    """Per child region of the administrator's region: registered, reported, approved, pending,
    returned and not-filled enterprises for the month (one GROUP BY)."""
    scope = _reviewer_scope(user)
    own = scope.profile.region
    level = own.level if own else None
    length = _PREFIX_LENGTH[level]
    counted = (_with_month(monitored_enterprises(scope), report_type, period)
               .annotate(area=Substr("region_code", 1, length)).values("area").order_by("area")
               .annotate(registered=Count("pk"), reported=Count("pk", filter=Q(cur__status__in=REPORTED)),
                         approved=Count("pk", filter=Q(cur__status=S.APPROVED)),
                         pending=Count("pk", filter=Q(cur__status=S.PENDING)),
                         returned=Count("pk", filter=Q(cur__status=S.RETURNED)),
                         not_filled=Count("pk", filter=Q(cur__id__isnull=True))))
    counts = {row.pop("area"): row for row in counted}
    child_level = _CHILD_LEVEL[level]
    if level == 3:
        children = [own]
    else:
        children = list(scope.regions().filter(level=child_level).order_by("code"))
    names = {}
    for region in children:
        names.setdefault(region.code[:length], region.name)
    for area in counts:
        names.setdefault(area, area)
    rows = [RegionCounts(code=area, name=names[area], **counts.get(area, {})) for area in sorted(names)]
    total = RegionCounts(code="", name="")
    for row in rows:
        for key in ("registered", "reported", "approved", "pending", "returned", "not_filled"):
            setattr(total, key, getattr(total, key) + getattr(row, key))
    return HomeSummary(period=period, rows=rows, total=total)



def review_events_for_audit(*, user, action: str = "", actor: str = "", query: str = "",
                            date_from: datetime.date | None = None, date_to: datetime.date | None = None
                            ) -> QuerySet[ReviewEvent]:
    """操作日志: the review events of the reports in my region, newest first, filtered.

    `actor` matches the acting user's login name or real name; `query` the enterprise's name or
    credit code; dates are inclusive, in the platform's time zone.
    """
    scope = _reviewer_scope(user)
    events = ReviewEvent.objects.filter(scope.region_q("submission__region_code"))
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(Q(actor__username__icontains=actor) | Q(actor__real_name__icontains=actor))
    if query:
        events = events.filter(Q(submission__enterprise__name__icontains=query)
                               | Q(submission__enterprise__credit_code__iexact=query))
    if date_from:
        events = events.filter(created_at__date__gte=date_from)
    if date_to:
        events = events.filter(created_at__date__lte=date_to)
    return events.select_related("actor", "submission__enterprise", "submission__report_type",
                                 "from_holder__user", "to_holder__user").order_by("-created_at", "-pk")


# -- 一键接收 / 越级接收: what a bulk action would take -------------------------------------------

def one_click_candidates(profile, *, report_type=None, period=None):
    """What 一键接收 would take: the reports waiting for `profile`, of the list's report type and period
    when given, as (those it receives, those with a data anomaly, which are received one by one)."""
    waiting = Submission.objects.filter(holder=profile, status=S.PENDING)
    if report_type is not None:
        waiting = waiting.filter(report_type=report_type)
    if period is not None:
        waiting = waiting.filter(period=period)
    waiting = waiting.select_related("enterprise").order_by("period", "pk")
    return waiting.exclude(screening=Screening.ANOMALOUS), waiting.filter(screening=Screening.ANOMALOUS)


def skip_receive_candidates(scope, *, report_type=None, period=None):
    """What 越级接收 would take in `scope`'s region: (passed screening, the others), as the list filters."""
    pending = Submission.objects.filter(scope.region_q("region_code"), status=S.PENDING)
    if report_type is not None:
        pending = pending.filter(report_type=report_type)
    if period is not None:
        pending = pending.filter(period=period)
    pending = pending.select_related("enterprise").order_by("period", "pk")
    return pending.filter(screening=Screening.PASSED), pending.exclude(screening=Screening.PASSED)
