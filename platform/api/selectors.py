"""API reads: tokens, what a token may reach, and the lists the endpoints return.

A token acts exactly as its user. An enterprise user's token reaches the enterprises the user
fills (`enterprises.selectors.enterprise_can_fill`: the filler of an approved, enabled
enterprise), narrowed to the token's enterprise when it has one. An administrator's token reaches
its region through `accounts.selectors.admin_scope`. Anything outside is "not found" (404), so an
identifier from another region tells nothing about whether it exists.
"""
import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.selectors import AdminScope, admin_scope
from enterprises.enums import RegistrationStatus
from enterprises.models import Enterprise
from formdefs.enums import VersionStatus
from formdefs.models import FormVersion
from reporting.models import ReportType, Submission
from reporting.selectors import report_type_applies, report_type_get, report_types_filed
from survey_builder.models import Questionnaire, QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.selectors import questionnaire_responses, questionnaires_applicable
from workflow.models import ReviewEvent

from .models import ApiToken, IdempotentRequest


def token_digest(secret: str) -> str:
    """Tokens are long random strings: one SHA-256 is enough (nothing to brute-force)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token with this secret whose user is active, else None."""
    if not secret or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("user", "enterprise")
             .filter(digest=token_digest(secret), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    return token


def tokens_of_user(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("enterprise", "revoked_by")


def token_get_of_user(*, user, pk: int) -> ApiToken:
    """One of `user`'s tokens (ApiToken.DoesNotExist otherwise)."""
    return tokens_of_user(user=user).get(pk=pk)


def token_enterprise_choices(*, user) -> QuerySet[Enterprise]:
    """The enterprises an enterprise user's token may be narrowed to: those the user fills."""
    return Enterprise.objects.filter(filler=user, status=RegistrationStatus.APPROVED, is_disabled=False).order_by("name")


# -- what a token reaches ----------------------------------------------------------------------

def token_scope(token: ApiToken) -> AdminScope:
    """The administrator scope of the token's user (empty for enterprise users)."""
    if not hasattr(token, "_admin_scope"):
        token._admin_scope = admin_scope(token.user)
    return token._admin_scope


def token_fill_enterprises(token: ApiToken) -> QuerySet[Enterprise]:
    """The enterprises whose reports the token may fill and submit."""
    qs = token_enterprise_choices(user=token.user)
    if token.enterprise_id:
        qs = qs.filter(pk=token.enterprise_id)
    return qs.select_related("industry", "region")


def token_visible_enterprises(token: ApiToken) -> QuerySet[Enterprise]:
    """The enterprises whose reports the token may read: those it fills, or its administrator's region."""
    scope = token_scope(token)
    if scope.is_empty:
        return token_fill_enterprises(token)
    return (Enterprise.objects.filter(scope.region_q("region_code"), status=RegistrationStatus.APPROVED)
            .select_related("industry", "region"))


def enterprise_for_token(*, token: ApiToken, pk: int, fill: bool) -> Enterprise:
    """An enterprise the token may fill (`fill`) or read; Enterprise.DoesNotExist otherwise."""
    qs = token_fill_enterprises(token) if fill else token_visible_enterprises(token)
    return qs.get(pk=pk)


def report_types_active(*, enterprise: Enterprise | None = None) -> list[ReportType]:
    """Report types filed directly, by key; with `enterprise`, those that apply to it (its 适用企业). Those
    filled through tasks only are reached by the task endpoints."""
    types = report_types_filed().order_by("key")
    return [t for t in types if enterprise is None or report_type_applies(t, enterprise)]


def report_type_for_api(*, key: str, enterprise: Enterprise | None = None) -> ReportType:
    """An active report type filed directly, which applies to `enterprise` when one is given
    (ReportType.DoesNotExist otherwise: 404, as for an unknown key)."""
    return report_type_get(key=key, enterprise=enterprise)


def version_for_api(*, key: str, number: int | None = None) -> FormVersion:
    """A published or retired version of a definition (drafts are never shown); the current
    published one when `number` is None. FormVersion.DoesNotExist otherwise."""
    qs = FormVersion.objects.select_related("definition").filter(definition__key=key)
    if number is None:
        return qs.filter(status=VersionStatus.PUBLISHED).order_by("-number")[:1].get()
    return qs.filter(status__in=(VersionStatus.PUBLISHED, VersionStatus.RETIRED)).get(number=number)


def report_for_token(*, token: ApiToken, report_type: ReportType, enterprise: Enterprise,
                     period: datetime.date) -> Submission | None:
    """The stored report of a period (None when nothing was saved yet)."""
    return (Submission.objects.select_related("holder__user", "holder__region", "version__definition",
                                              "report_type", "enterprise")
            .filter(report_type=report_type, enterprise=enterprise, period=period).first())


# -- questionnaires ----------------------------------------------------------------------------

def questionnaire_enterprise_for_token(*, token: ApiToken, pk: int) -> Enterprise:
    """An enterprise whose questionnaires the token answers. Administrators read answers and statistics in
    the back office (问卷发布和统计, with its own visibility rules), so their tokens are refused (403)."""
    enterprise = enterprise_for_token(token=token, pk=pk, fill=False)
    if not token_scope(token).is_empty:
        raise PermissionDenied(_("Questionnaires are answered by the enterprise's filler; administrators read "
                                 "the answers in the back office."))
    return enterprise


def questionnaires_for_enterprise(*, enterprise: Enterprise,
                                  period: datetime.date) -> list[tuple[Questionnaire, QuestionnaireResponse | None]]:
    """The questionnaires open to the enterprise for the month (the portal's 调查问卷), with their answers."""
    applicable = questionnaires_applicable(enterprise=enterprise, period=period)
    answered = questionnaire_responses(enterprise=enterprise, period=period, questionnaires=applicable)
    return [(q, answered.get(q.pk)) for q in applicable]


def questionnaire_for_enterprise(*, enterprise: Enterprise, period: datetime.date,
                                 pk: int) -> tuple[Questionnaire, QuestionnaireResponse | None]:
    """One questionnaire open to the enterprise for the month; Questionnaire.DoesNotExist when it is not
    (not targeted at it, stopped, outside its window or frequency, or no such id)."""
    for questionnaire, response in questionnaires_for_enterprise(enterprise=enterprise, period=period):
        if questionnaire.pk == pk:
            return questionnaire, response
    raise Questionnaire.DoesNotExist


def questionnaire_version(*, questionnaire: Questionnaire, enterprise: Enterprise, period: datetime.date,
                          user) -> FormVersion:
    """The version the answers are checked against: the portal's answering wizard decides (its owner)."""
    return QuestionnaireOwner(user=user, enterprise=enterprise, questionnaire=questionnaire, period=period).get_version()


# -- administrators ----------------------------------------------------------------------------

def region_prefix(code: str) -> str:
    """330000 → 33, 330200 → 3302, 330203 → 330203 (GB/T 2260 codes nest)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def submissions_for_admin(*, scope: AdminScope, report_type: str = "", period: datetime.date | None = None,
                          status: str = "", region: str = "", enterprise: str = "") -> QuerySet[Submission]:
    """Stored reports of the administrator's region, newest period first."""
    qs = Submission.objects.filter(scope.region_q("region_code"))
    if report_type:
        qs = qs.filter(report_type__key=report_type)
    if period is not None:
        qs = qs.filter(period=period)
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(region_code__startswith=region_prefix(region))
    if enterprise:
        qs = qs.filter(Q(enterprise__name__icontains=enterprise) | Q(enterprise__credit_code__istartswith=enterprise))
    return (qs.select_related("enterprise", "report_type", "holder__user", "holder__region", "version__definition")
            .order_by("-period", "region_code", "pk"))


def submission_for_token(*, token: ApiToken, pk: int) -> Submission:
    """A report the token may read (Submission.DoesNotExist otherwise)."""
    return (Submission.objects.filter(enterprise__in=token_visible_enterprises(token))
            .select_related("enterprise", "report_type", "holder__user", "holder__region", "version__definition")
            .get(pk=pk))


def submission_events_for_api(submission: Submission) -> QuerySet[ReviewEvent]:
    return submission.events.select_related("actor", "from_holder__user", "to_holder__user").order_by("created_at", "pk")


def idempotent_request_get(*, user, key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(user=user, key=key).first()
