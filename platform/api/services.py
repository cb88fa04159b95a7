"""API writes: tokens, the draft / submit operations behind the endpoints, questionnaire answers,
idempotent requests.

The report, questionnaire and review operations call the same services as the portal and the back
office (`reporting.services`, `survey_builder.services`, `workflow.services`); permission checks stay
inside them.
"""
import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import admin_scope
from enterprises.selectors import enterprise_can_fill
from formdefs.engine import ValidationResult
from formdefs.services import FormStale, answers_validate, wizard_finish
from reporting.models import ReportType, Submission
from reporting.selectors import report_rule_context, report_version
from reporting.services import ReportStale, report_save, report_submit
from survey_builder.models import Questionnaire, QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.services import QuestionnaireStale
from workflow import services as workflow
from reporting.enums import EDITABLE
from workflow.transitions import TransitionRefused

from .models import ApiToken, IdempotentRequest
from .selectors import token_digest, token_enterprise_choices

TOKEN_PREFIX = "smep_"
NAME_MAX = 64
#: last_used_at is written at most once a minute per token (not on every request).
TOUCH_EVERY = datetime.timedelta(seconds=60)
#: Active tokens per user when the setting API_TOKENS_PER_USER does not say.
TOKENS_PER_USER = 5


# -- tokens ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreatedToken:
    """A new token and its secret: the only moment the secret is known."""

    token: ApiToken
    secret: str


def _token_owner_check(actor) -> bool:
    """Administrators and enterprise users who fill an enterprise may hold tokens; returns is_admin."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in first."))
    if not admin_scope(actor).is_empty:
        return True
    if not token_enterprise_choices(user=actor).exists():
        raise PermissionDenied(_("Only administrators and the fillers of approved enterprises can create API tokens."))
    return False


def tokens_per_user() -> int:
    """How many active (not revoked) tokens a user may hold (setting API_TOKENS_PER_USER)."""
    return int(getattr(settings, "API_TOKENS_PER_USER", TOKENS_PER_USER))


@transaction.atomic
def token_create(*, actor, name: str, enterprise=None) -> CreatedToken:
    """新建令牌: a token for `actor` itself (an administrator's token has no enterprise)."""
    is_admin = _token_owner_check(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if len(name) > NAME_MAX or "\x00" in name:
        raise ValidationError({"name": _("The name may have at most %(max)d characters.") % {"max": NAME_MAX}})
    if enterprise is not None and (is_admin or not token_enterprise_choices(user=actor).filter(pk=enterprise.pk).exists()):
        raise ValidationError({"enterprise": _("Choose one of the enterprises you fill in for.")})
    # At most API_TOKENS_PER_USER active tokens; the user's row is locked so two requests cannot both
    # take the last place.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    cap = tokens_per_user()
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= cap:
        raise ValidationError({NON_FIELD_ERRORS: _(
            "You already have %(max)d active API tokens, the most a user may hold. Revoke one you no longer "
            "use, then create the new one.") % {"max": cap}})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:12], digest=token_digest(secret),
                                    enterprise=enterprise)
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """吊销: the token stops working at once. Only its owner revokes it; revoking twice is a no-op."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if locked.revoked_at is None:
        locked.revoked_at, locked.revoked_by = timezone.now(), actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def token_touch(token: ApiToken) -> None:
    """Remember when the token was last used (one write a minute at most)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# -- reports -----------------------------------------------------------------------------------

class DraftInvalid(Exception):
    """The answers have blocking errors (强制性): nothing was saved. `issues` are every violation."""

    def __init__(self, result: ValidationResult):
        super().__init__("; ".join(i.message for i in result.errors))
        self.result = result


class NothingToSubmit(TransitionRefused):
    """Submit asked for a period with no saved report."""


def _version_of(*, report_type: ReportType, submission: Submission | None):
    version = report_version(report_type, submission)
    if version is None:
        raise TransitionRefused(_("The report “%(title)s” has no published definition yet.") % {"title": report_type.title})
    return version


def report_answers_check(*, report_type: ReportType, enterprise, period: datetime.date, answers: dict,
                         submission: Submission | None = None) -> ValidationResult:
    """Every rule of the definition against `answers` (as the portal's final check); saves nothing."""
    version = _version_of(report_type=report_type, submission=submission)
    context = report_rule_context(report_type=report_type, enterprise=enterprise, period=period)
    return answers_validate(version=version, answers=answers, context=context)


def report_draft_save(*, report_type: ReportType, enterprise, period: datetime.date, answers: dict,
                      explanation: str, actor, submission: Submission | None = None,
                      expected_revision: int | None = None) -> tuple[Submission, ValidationResult]:
    """保存 through the API: the whole report at once, refused with every violation when a blocking
    rule fails (as 保存 in the portal); warnings and severe warnings are kept and returned.

    `expected_revision` (the `revision` the client read, 0 for none): a report saved meanwhile raises
    ReportStale (409) before the answers are even checked; `report_save` checks it again on the locked row."""
    if not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))
    if submission is not None and submission.status not in EDITABLE:
        raise TransitionRefused(_("This report is %(status)s and cannot be changed.") % {"status": submission.get_status_display()})
    stored = submission.revision if submission is not None else 0
    if expected_revision is not None and expected_revision != stored:
        raise ReportStale(stored)
    result = report_answers_check(report_type=report_type, enterprise=enterprise, period=period, answers=answers,
                                  submission=submission)
    if result.errors:
        raise DraftInvalid(result)
    saved = report_save(report_type=report_type, enterprise=enterprise, period=period, answers=result.answers,
                        explanation=explanation, actor=actor, version=_version_of(report_type=report_type, submission=submission),
                        expected_revision=expected_revision)
    return saved, result


def report_submit_api(*, submission: Submission | None, actor, explanation: str | None = None) -> Submission:
    """上报 through the API: optionally record the filler's note (填报人说明) first, then the portal's
    own submit (blocking errors refuse, severe warnings need the note, questionnaires must be answered)."""
    if submission is None:
        raise NothingToSubmit(_("Nothing is saved for this period yet: save a draft first."))
    if explanation is not None and submission.status in EDITABLE and explanation != submission.explanation:
        submission = report_save(report_type=submission.report_type, enterprise=submission.enterprise,
                                 period=submission.period, answers=submission.answers, explanation=explanation,
                                 actor=actor, version=submission.version)
    return report_submit(submission=submission, actor=actor)


def report_withdraw_api(*, submission: Submission | None, actor) -> Submission:
    """取消上报: the portal's withdraw (only while no administrator has acted)."""
    if submission is None:
        raise NothingToSubmit(_("Nothing is saved for this period yet: save a draft first."))
    return workflow.submission_withdraw(submission=submission, actor=actor)


# -- idempotent requests -----------------------------------------------------------------------

class IdempotencyKeyReused(Exception):
    """The key was first used for another operation."""


def idempotent_run(*, user, key: str | None, operation: str, run: Callable[[], dict]) -> tuple[dict, bool]:
    """Run `run` once per (user, key): a repeat returns the first outcome, never a second effect.

    Only successful outcomes are remembered: a refused request changed nothing, so the client
    may correct it and retry with the same key. Returns (body, replayed).
    """
    if not key:
        return run(), False
    with transaction.atomic():
        stored = IdempotentRequest.objects.select_for_update().filter(user=user, key=key).first()
        if stored is not None:
            if stored.operation != operation:
                raise IdempotencyKeyReused(_("This Idempotency-Key was already used for another request."))
            return stored.body, True
        body = run()
        try:
            with transaction.atomic():
                IdempotentRequest.objects.create(user=user, key=key, operation=operation, status_code=200, body=body)
        except IntegrityError:
            # A concurrent request with the same key got there first: undo ours.
            raise TransitionRefused(_("A request with this Idempotency-Key is already being processed; retry it."))
    return body, False


def task_report_save(*, task, enterprise, answers: dict, explanation: str, actor,
                     submission: Submission | None = None,
                     expected_revision: int | None = None) -> tuple[Submission, ValidationResult]:
    """保存 a task's report through the API: every violation when a blocking rule fails (nothing saved),
    else `filing.services.filing_report_save` (the task being open is the filling window).

    `expected_revision` as for `report_draft_save`: a report saved meanwhile raises FilingStale (409)
    before the answers are checked; `filing_report_save` checks it again on the locked row."""
    from filing.services import FilingStale, filing_report_save

    if not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))
    stored = submission.revision if submission is not None else 0
    if expected_revision is not None and expected_revision != stored:
        raise FilingStale(ReportStale(stored).messages, revision=stored)
    result = report_answers_check(report_type=task.report_type, enterprise=enterprise, period=task.period,
                                  answers=answers, submission=submission)
    if result.errors:
        raise DraftInvalid(result)
    saved = filing_report_save(task=task, enterprise=enterprise, answers=answers, actor=actor, explanation=explanation,
                               expected_revision=expected_revision)
    return saved, result


# -- questionnaires ----------------------------------------------------------------------------

def questionnaire_answers_save(*, questionnaire: Questionnaire, enterprise, period: datetime.date, answers: dict,
                               actor, expected_revision: int | None = None) -> tuple[QuestionnaireResponse, ValidationResult]:
    """答卷 through the API: the portal's answering wizard, all at once. Its owner decides the version, the
    rule context and who may answer; a failed check refuses with every violation naming its question (nothing
    saved); then the wizard's own final step stores the answers (skipped questions dropped, earlier answers
    and any wizard draft of the month replaced).

    `expected_revision` (the `revision` the client read, 0 for none): answers stored meanwhile raise
    QuestionnaireStale (409) before the answers are even checked; the store checks it again on the locked row."""
    owner = QuestionnaireOwner(user=actor, enterprise=enterprise, questionnaire=questionnaire, period=period)
    owner.check_permission()
    if expected_revision is not None and expected_revision != owner.revision():
        raise QuestionnaireStale(owner.revision())
    owner.expected_revision = expected_revision
    # The same engine check as `wizard_finish` below, run first only to itemise the violations for the API.
    result = answers_validate(version=owner.get_version(), answers=answers, context=owner.rule_context())
    if result.errors:
        raise DraftInvalid(result)
    # Questionnaires keep no filler's note (the owner drops it); their checks all block.
    try:
        wizard_finish(owner=owner, answers=answers, actor=actor)
    except FormStale as exc:  # the owner's words for the wizard; stored meanwhile, past the check above
        raise QuestionnaireStale(exc.revision) from exc
    return QuestionnaireResponse.objects.select_related("version", "user").get(
        questionnaire=questionnaire, enterprise=enterprise, period=period), result
