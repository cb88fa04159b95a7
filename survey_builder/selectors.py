"""Questionnaire reads: what applies to an enterprise, what an administrator may see, the list's filters."""
import calendar
import datetime
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import AdminScope, admin_scope
from reporting.models import ReportType, Submission
from reporting.periods import period_current, period_is_open, period_label, period_valid
from reporting.enums import Frequency
from reporting.selectors import report_types_filed
from reporting.enums import EDITABLE

from .enums import ListFrequency, QuestionnaireStatus, QuestionnaireTarget
from .models import SURVEY_PERMISSION, Questionnaire, QuestionnaireDistribution, QuestionnaireResponse


# -- enterprises ----------------------------------------------------------------------------------

def _creator_prefix(questionnaire: Questionnaire) -> str:
    """The manageable region of the administrator who made it ('' when national, shipped or not an administrator)."""
    profile = getattr(questionnaire.created_by, "admin_profile", None) if questionnaire.created_by_id else None
    return profile.region.prefix if profile is not None and profile.region is not None else ""


def questionnaire_targets(questionnaire: Questionnaire, enterprise) -> bool:
    """Whether the questionnaire's target (industry, regions, sizes, the maker's region) selects `enterprise`."""
    industry = enterprise.industry
    target = questionnaire.target
    if target == QuestionnaireTarget.INDUSTRIAL and not industry.is_industrial:
        return False
    if target == QuestionnaireTarget.MANUFACTURING and not industry.is_manufacturing:
        return False
    if target == QuestionnaireTarget.SECTIONS and industry.section not in (questionnaire.target_sections or []):
        return False
    if questionnaire.target_sizes and enterprise.size not in questionnaire.target_sizes:
        return False
    code = enterprise.region_code or ""
    if not code.startswith(_creator_prefix(questionnaire)):
        return False
    regions = list(questionnaire.target_regions.all())
    return not regions or any(code.startswith(r.prefix) for r in regions)


def questionnaire_report_type() -> ReportType:
    """The report questionnaires are answered with (当期报送's monthly report, the first monthly type filed
    directly): its periods and back-fill window decide which months are open. An unsaved ReportType carries
    the defaults (monthly, one back-fill year) when none is set up."""
    return report_types_filed().filter(frequency=Frequency.MONTHLY).first() or ReportType()


def questionnaire_first_period(questionnaire: Questionnaire, report_type: ReportType) -> datetime.date | None:
    """The first month a questionnaire applies to: the period being reported (当期) on the day it was enabled,
    in Shanghai time. None for one without an enabling date (the shipped 001): its window alone decides."""
    if questionnaire.enabled_at is None:
        return None
    return period_current(report_type, timezone.localdate(questionnaire.enabled_at))


def _applicable(enterprise, period: datetime.date, report_type: ReportType) -> list[Questionnaire]:
    last_day = period.replace(day=calendar.monthrange(period.year, period.month)[1])
    candidates = (Questionnaire.objects.filter(status=QuestionnaireStatus.ACTIVE, starts_on__lte=last_day, ends_on__gte=period)
                  .select_related("definition", "created_by__admin_profile__region")
                  .prefetch_related("target_regions"))
    out = []
    for q in candidates:
        first = questionnaire_first_period(q, report_type)
        if (first is None or period >= first) and period_valid(q.frequency, period) and questionnaire_targets(q, enterprise):
            out.append(q)
    return out


def questionnaires_applicable(*, enterprise, period: datetime.date) -> list[Questionnaire]:
    """问卷 that apply to `enterprise` for the month `period`: active; the period inside its window (start and
    end months) and not before the period being reported when it was enabled (`questionnaire_first_period`: a
    questionnaire enabled today never reaches back into months reported before it existed); of its frequency
    (a quarterly questionnaire with the report of a quarter's last month, an annual one in December); on target.

    Whether the answers may still change is `questionnaire_answerable`."""
    return _applicable(enterprise, period, questionnaire_report_type())


class Answerability(NamedTuple):
    """`questionnaire_answerable`'s verdict: `ok`, else `reason` (in the user's language). `applies` is False
    when the questionnaire does not apply at all (pages that never disclose ids answer 404 then)."""

    ok: bool
    reason: str = ""
    applies: bool = True


def questionnaire_period_closed(*, enterprise, period: datetime.date, report_type: ReportType | None = None) -> str:
    """Why the enterprise's questionnaire answers of `period` can no longer be given or changed ('' while they
    can): rules 2 and 3 of `questionnaire_answerable`, shared by every questionnaire of the period."""
    report_type = report_type or questionnaire_report_type()
    label = period_label(report_type.frequency, period)
    if not period_is_open(report_type, period):
        if period > period_current(report_type):
            message = _("%(period)s is not over yet: its questionnaires can be answered once the period has ended.")
        else:
            message = _("%(period)s is no longer open for reporting: its questionnaires can no longer be answered "
                        "or changed.")
        return message % {"period": label}
    report = (Submission.objects.filter(enterprise=enterprise, period=period, report_type__by_task_only=False)
              .exclude(status__in=EDITABLE).order_by("pk").first())
    if report is not None:
        return _("The %(period)s report is %(status)s: its questionnaires can no longer be answered or changed.") % {
            "period": label, "status": report.get_status_display()}
    return ""


def questionnaire_answerable(*, questionnaire: Questionnaire, enterprise, period: datetime.date) -> Answerability:
    """Whether the enterprise may answer, or change its answers to, `questionnaire` for `period` (issue 22 §4).

    The one rule behind the answering wizard, the store service, the 调查问卷 page, the report's 问卷 step
    and the API. Answers follow the report they are given with (SPEC §5 step 4):

    1. the questionnaire applies (`questionnaires_applicable`): active, the period inside its start–end months
       and not before the period being reported when it was enabled, of its frequency, on target;
    2. the period is open for reporting (`reporting.periods.period_is_open` of 当期报送's report): a finished
       period of the current or back-fill years. Future periods are refused (`/surveys/2/2027-06/`);
    3. the enterprise's report of that period, when there is one, is editable — 编辑 / 退回 / 解除冻结
       (`reporting.enums.EDITABLE`); 未填报 has no report. Once it is 待审核, 审核通过 or 冻结 its answers are
       closed with it, so the statistics of a reviewed month never change afterwards; withdrawing or
       returning the report opens them again. A questionnaire answered on its own (from the 调查问卷 page,
       no report saved for the period) follows rules 1 and 2: its window and the period.

    Reports filled through filing tasks only (填报任务) are not counted: questionnaires do not gate them.
    """
    report_type = questionnaire_report_type()
    if questionnaire not in _applicable(enterprise, period, report_type):
        return Answerability(False, _("This questionnaire does not apply to this enterprise and month."), applies=False)
    reason = questionnaire_period_closed(enterprise=enterprise, period=period, report_type=report_type)
    return Answerability(not reason, reason)


def questionnaire_responses(*, enterprise, period: datetime.date, questionnaires) -> dict[int, QuestionnaireResponse]:
    """The responses of `enterprise` for `period`, keyed by questionnaire id."""
    rows = QuestionnaireResponse.objects.filter(enterprise=enterprise, period=period, questionnaire__in=list(questionnaires))
    return {r.questionnaire_id: r for r in rows}


def questionnaire_draft_key(questionnaire: Questionnaire, enterprise, period: datetime.date) -> str:
    """The answering wizard's draft key (QuestionnaireOwner.draft_key) of one enterprise's month."""
    return f"questionnaire:{questionnaire.pk}:{enterprise.pk}:{period:%Y-%m}"


def questionnaires_unanswered_mandatory(*, enterprise, period: datetime.date) -> list[Questionnaire]:
    applicable = questionnaires_applicable(enterprise=enterprise, period=period)
    answered = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=applicable)
    return [q for q in applicable if q.mandatory and q.pk not in answered]


def questionnaire_get(*, pk: int) -> Questionnaire:
    return Questionnaire.objects.select_related("definition").get(Q(pk=pk))


def questionnaire_items(*, enterprise, period: datetime.date) -> dict:
    """One period's questionnaires for the enterprise (the 调查问卷 page, the report's 问卷 step, the API's list):
    `items` ({questionnaire, response}) and `closed`, why none of them can be answered or changed ('' when they
    can; `questionnaire_answerable`'s rules 2 and 3)."""
    report_type = questionnaire_report_type()
    applicable = _applicable(enterprise, period, report_type)
    answered = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=applicable)
    closed = questionnaire_period_closed(enterprise=enterprise, period=period, report_type=report_type) if applicable else ""
    return {"period": period, "closed": closed,
            "items": [{"questionnaire": q, "response": answered.get(q.pk)} for q in applicable]}


def enterprise_questionnaire_periods(*, enterprise, periods: list[datetime.date]) -> list[dict]:
    """调查问卷 (enterprise side): per period, the questionnaires that apply, whether each is answered, and
    whether the period's answers are closed (`questionnaire_items`)."""
    return [questionnaire_items(enterprise=enterprise, period=period) for period in periods]


# -- administrators -------------------------------------------------------------------------------

def survey_allowed(user) -> bool:
    """问卷发布和统计 is for administrators holding the survey permission."""
    return bool(getattr(user, "is_authenticated", False)) and not admin_scope(user).is_empty and user.has_perm(SURVEY_PERMISSION)


def survey_scope(user) -> AdminScope:
    """The administrator's scope, or PermissionDenied without the survey permission."""
    scope = admin_scope(user)
    if scope.is_empty or not user.has_perm(SURVEY_PERMISSION):
        raise PermissionDenied(_("You do not have the questionnaire permission."))
    return scope


def _visible_q(user, scope: AdminScope) -> Q:
    """Mine (drafts included); else enabled ones that are shipped, made in my subtree or distributed to me."""
    profile = scope.profile
    others = (Q(created_by__isnull=True) | Q(created_by__admin_profile__path__startswith=profile.path)
              | Q(pk__in=QuestionnaireDistribution.objects.filter(administrator=profile).values("questionnaire_id")))
    return Q(created_by=user) | (~Q(status=QuestionnaireStatus.DRAFT) & others)


def questionnaires_visible(*, user, scope: AdminScope) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(_visible_q(user, scope))


def questionnaire_visible_get(*, user, pk: int) -> Questionnaire:
    """One questionnaire the administrator may see (Questionnaire.DoesNotExist otherwise)."""
    scope = survey_scope(user)
    return (questionnaires_visible(user=user, scope=scope).select_related("definition", "created_by")
            .prefetch_related("target_regions").get(pk=pk))


def questionnaire_visible_to(questionnaire: Questionnaire, scope: AdminScope, user=None) -> bool:
    user = user or scope.profile.user
    return questionnaires_visible(user=user, scope=scope).filter(pk=questionnaire.pk).exists()


def questionnaire_version_previewable(*, user, version) -> bool | None:
    """formdefs' preview rule: a questionnaire's versions are for those who see it in the designer list.

    None when no questionnaire uses the version's definition (formdefs then decides).
    """
    questionnaires = Questionnaire.objects.filter(definition_id=version.definition_id)
    if not questionnaires.exists():
        return None
    return survey_allowed(user) and questionnaires_visible(user=user, scope=admin_scope(user)).filter(
        definition_id=version.definition_id).exists()


def questionnaire_list(*, user, frequency: str = "", status: str = "", date_from=None, date_to=None, mine: bool = False,
                       title: str = "") -> QuerySet[Questionnaire]:
    """问卷发布和统计's list: filters 调查频率 (年度/季度/月度/必填/选填), 调查状态, 起止日期 (overlap), 我发布的问卷."""
    scope = survey_scope(user)
    qs = questionnaires_visible(user=user, scope=scope)
    if frequency == ListFrequency.MANDATORY:
        qs = qs.filter(mandatory=True)
    elif frequency == ListFrequency.OPTIONAL:
        qs = qs.filter(mandatory=False)
    elif frequency:
        qs = qs.filter(frequency=frequency)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(ends_on__gte=date_from)
    if date_to:
        qs = qs.filter(starts_on__lte=date_to)
    if mine:
        qs = qs.filter(created_by=user)
    if title:
        qs = qs.filter(title__icontains=title)
    return (qs.select_related("created_by", "definition")
            .prefetch_related(Prefetch("distributions", queryset=QuestionnaireDistribution.objects.select_related("administrator__user")))
            .order_by("-created_at", "-pk"))


def distribution_candidates(*, user, questionnaire: Questionnaire) -> list:
    """The subordinate administrators `user` may distribute to, with whether each already has it."""
    scope = survey_scope(user)
    given = set(questionnaire.distributions.values_list("administrator_id", flat=True))
    return [{"profile": p, "given": p.pk in given}
            for p in scope.administrators(include_self=False).select_related("user", "region").order_by("path")]
