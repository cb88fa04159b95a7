"""Reminder reads: the non-reporters of a period in an administrator's scope, runs and their results."""
import datetime

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from accounts.selectors import AdminScope, admin_scope
from enterprises.enums import RegistrationStatus
from enterprises.models import Enterprise
from reporting.models import ReportType, Submission
from reporting.selectors import report_type_enterprises_q
from reporting.enums import NOT_FILLED, SubmissionStatus

from .enums import ReminderKind
from .models import ReminderDelivery, ReminderRun

#: A period counts as reported once it is submitted (待审核) or approved (审核通过); 未填报, 编辑,
#: 退回, 冻结 and 解除冻结 do not.
REPORTED = (SubmissionStatus.PENDING, SubmissionStatus.APPROVED)


def non_reporters(*, scope: AdminScope | None, report_type: ReportType, period: datetime.date, search: str = "") -> QuerySet:
    """未报送企业: approved, enabled enterprises of the scope that file `report_type` (its 适用企业) without a
    submitted or approved report of `period` (`scope=None`: every region, for the platform's automatic
    reminders); annotated with
    `report_status` (None: 未填报) and `last_reminded` (manual or automatic)."""
    submissions = Submission.objects.filter(report_type=report_type, period=period, enterprise=OuterRef("pk"))
    reminders = (ReminderDelivery.objects.filter(report_type=report_type, period=period, enterprise=OuterRef("pk"))
                 .exclude(kind=ReminderKind.ESCALATION).values("enterprise").annotate(last=Max("created_at")).values("last"))
    region = Q() if scope is None else scope.region_q("region_code")
    qs = (Enterprise.objects.filter(region, report_type_enterprises_q(report_type), status=RegistrationStatus.APPROVED,
                                    is_disabled=False)
          .exclude(pk__in=Submission.objects.filter(report_type=report_type, period=period, status__in=REPORTED)
                   .values("enterprise_id"))
          .annotate(report_status=Subquery(submissions.values("status")[:1]), last_reminded=Subquery(reminders[:1]))
          .select_related("region", "user", "filler", "direct_reviewer__user")
          .order_by("region_code", "name"))
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code__icontains=search) | Q(user__username__icontains=search))
    return qs


def report_status_label(status: str | None) -> str:
    """未填报 / 编辑 / 退回 / 冻结 / 解除冻结 of an annotated non-reporter."""
    from reporting.enums import NOT_FILLED_LABEL

    if not status or status == NOT_FILLED:
        return str(NOT_FILLED_LABEL)
    return str(SubmissionStatus(status).label)


def enterprise_reminder_mobile(enterprise: Enterprise) -> str:
    """Where a reminder goes: the enterprise's mobile, else its filler's, else its registrant's."""
    for mobile in (enterprise.mobile, getattr(enterprise.filler, "mobile", None), getattr(enterprise.user, "mobile", None)):
        if mobile:
            return mobile
    return ""


def reminder_runs_for(user) -> QuerySet:
    """The reminder runs of administrators in the user's subtree (themselves included)."""
    scope = admin_scope(user)
    if scope.is_empty:
        return ReminderRun.objects.none()
    users = scope.administrators().values("user_id")
    return ReminderRun.objects.filter(created_by__in=users).select_related("report_type", "created_by")


def reminder_run_get(*, user, pk: int) -> ReminderRun:
    return reminder_runs_for(user).get(pk=pk)


def run_deliveries(run: ReminderRun) -> QuerySet:
    return run.deliveries.select_related("enterprise__region").order_by("id")


def deliveries_recent(*, scope: AdminScope, report_type: ReportType, period: datetime.date, limit: int = 20) -> QuerySet:
    return (ReminderDelivery.objects.filter(scope.region_q("enterprise__region_code"), report_type=report_type, period=period)
            .select_related("enterprise", "actor", "recipient__user").order_by("-created_at", "-id")[:limit])
