"""Saving and submitting a report (SPEC §5)."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from enterprises.selectors import enterprise_can_fill
from formdefs.engine import ValidationResult
from formdefs.services import answers_validate, wizard_drafts_discard
from survey_builder.selectors import questionnaires_unanswered_mandatory
from workflow import services as workflow
from reporting.enums import EDITABLE, EntryMethod, SubmissionStatus

from ..enums import FREEZING_FIELDS, ChangeStatus
from ..models import ReportType, Submission
from ..periods import period_is_open, period_label
from ..carry import carry_cleared_kept
from ..selectors import report_draft_key, report_rule_context, report_type_applies, report_version, submission_find
from .changes import information_change_record
from .facts import facts_write


class ReportRefused(Exception):
    """A save or submit that cannot be done; `messages` say why, in the user's language."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


class ReportStale(ReportRefused):
    """The report was saved since the writer read it (another window, device or the API): nothing was
    written. `revision` is the stored one (0: the period has no report)."""

    def __init__(self, revision: int):
        super().__init__([_("This report was changed in another window or on another device: refresh the page, then edit it again.")])
        self.revision = revision


def _kept_issues(result: ValidationResult) -> list[dict]:
    return [i.as_dict() for i in result.issues if i.severity != "error"]


def _profile_values(enterprise) -> dict:
    return {"name": enterprise.name, "credit_code": enterprise.credit_code, "industry": enterprise.industry.full_code}


def _submission_locked(*, report_type: ReportType, enterprise, period: datetime.date, version) -> Submission:
    """The period's report, locked (select_for_update). A missing one is inserted at revision 0 under the
    unique (report type, enterprise, period) constraint inside a savepoint; the loser of two first saves
    at once waits for the winner, gets IntegrityError and locks the winner's row instead (never a 500)."""
    found = submission_find(report_type=report_type, enterprise=enterprise, period=period)
    if found is not None:
        return Submission.objects.select_for_update().get(pk=found.pk)
    try:
        with transaction.atomic():
            return Submission.objects.create(report_type=report_type, enterprise=enterprise, period=period,
                                             version=version or report_version(report_type), revision=0,
                                             status=SubmissionStatus.EDITING, region_code=enterprise.region_code)
    except IntegrityError:
        return Submission.objects.select_for_update().get(report_type=report_type, enterprise=enterprise, period=period)


@transaction.atomic
def report_save(*, report_type: ReportType, enterprise, period: datetime.date, answers: dict, actor,
                explanation: str = "", filler_name: str = "", entry_method: str = EntryMethod.ONLINE,
                version=None, check_window: bool = True, expected_revision: int | None = None,
                wizard_progress: bool = False, carry_cleared=None) -> Submission:
    """Keep the answers of a period (编辑), write its facts, and freeze it when 企业名称, 统一社会信用代码
    or 所属行业 differ from the enterprise's profile (an information change is recorded). A wizard draft
    of the period is discarded: it was typed over the answers just replaced.

    The answers must already be free of blocking errors (the wizard and the import check them).
    `check_window=False` lets demo data and administrators' imports write periods outside the
    back-fill window. `expected_revision` is the `Submission.revision` the writer read (0: it found no
    report); when the stored one differs ReportStale is raised and nothing changes. None (imports,
    administrators, demo data) saves over whatever is stored. Every save adds 1 to the revision.

    `wizard_progress`: the portal wizard keeping a step as it is left (`ReportOwner.save_progress`). The
    actor's own wizard draft stays (it is what was saved), and the information change is left to the
    save that ends the wizard or to `report_submit`, so the report does not freeze half-way through.

    `carry_cleared`: the carried grid cells the clerk cleared in the wizard (its draft's, `GridAdapter.carry_cleared`),
    added to the report's `Submission.carry_cleared`; None (an import, the API, an administrator) adds none.
    Every save drops the marks of the cells its answers give a value (`carry.carry_cleared_kept`).
    """
    if entry_method != EntryMethod.ADMIN_IMPORT and not enterprise_can_fill(actor, enterprise):
        raise PermissionDenied(_("Only the enterprise's filler can do this."))
    if check_window and not period_is_open(report_type, period):
        raise ReportRefused([_("The period %(period)s is not open for reporting.") % {"period": period_label(report_type.frequency, period)}])
    submission = _submission_locked(report_type=report_type, enterprise=enterprise, period=period, version=version)
    # 适用企业: a new report of a directly filed type only for an enterprise the type applies to (a task's
    # report follows its task; a report started before the type's enterprises changed stays editable).
    if submission.revision == 0 and not report_type.by_task_only and not report_type_applies(report_type, enterprise):
        raise ReportRefused([_("%(title)s does not apply to %(name)s.") % {"title": report_type.localized_title, "name": enterprise.name}])
    if submission.status not in EDITABLE:
        raise ReportRefused([_("This report is %(status)s and cannot be changed.") % {"status": submission.get_status_display()}])
    if expected_revision is not None and submission.revision != expected_revision:
        raise ReportStale(submission.revision)
    submission.revision += 1
    submission.carry_cleared = carry_cleared_kept(submission.carry_cleared, carry_cleared, answers)
    submission.answers = answers
    submission.explanation = explanation
    submission.filler = actor if enterprise_can_fill(actor, enterprise) else submission.filler
    if filler_name:
        submission.filler_name = filler_name
    elif not submission.filler_name:
        submission.filler_name = getattr(actor, "real_name", "") or actor.get_username()
    submission.entry_method = entry_method
    submission.region_code = enterprise.region_code
    submission.save()
    facts_write(submission)
    wizard_drafts_discard(owner_key=report_draft_key(report_type, enterprise, period),
                          except_user=actor if wizard_progress else None)
    if not wizard_progress and information_change_follow(submission, enterprise=enterprise, actor=actor):
        submission.refresh_from_db()
    return submission


def information_change_follow(submission: Submission, *, enterprise, actor) -> bool:
    """Freeze the report and record the change when its 企业名称, 统一社会信用代码 or 所属行业 differ from
    the profile and no open change carries them already; True when it did."""
    before = _profile_values(enterprise)
    after = {key: submission.answers.get(key, before[key]) for key in FREEZING_FIELDS}
    pending = [c for c in submission.changes.all() if c.status != ChangeStatus.RETURNED]
    if after == before or any(change.after == after for change in pending):
        return False
    information_change_record(submission=submission, before=before, after=after, actor=actor)
    return True


def report_validate(submission: Submission) -> ValidationResult:
    context = report_rule_context(report_type=submission.report_type, enterprise=submission.enterprise, period=submission.period)
    return answers_validate(version=submission.version, answers=submission.answers, context=context)


def report_submit(*, submission: Submission, actor) -> Submission:
    """上报: check the answers again (blocking errors refuse; warnings mark 数据异常), the filler's
    note when there are severe warnings, and that every mandatory questionnaire is answered."""
    if submission.status == SubmissionStatus.PENDING:
        return workflow.submission_submit(submission=submission, actor=actor, issues=submission.issues, anomalous=True)
    # Answers kept by the wizard's steps (report_save(wizard_progress=True)) may change the profile without
    # a change recorded yet: freeze now, as the end of the wizard would have, rather than submit past it.
    if submission.status in EDITABLE and information_change_follow(submission, enterprise=submission.enterprise, actor=actor):
        raise ReportRefused([_("The enterprise name, credit code or industry was changed: the report is frozen until the change has been checked (about two minutes).")])
    result = report_validate(submission)
    problems = [i.message for i in result.errors]
    if result.severe and not submission.explanation.strip():
        problems.append(_("There are severe warnings: write the filler's note before submitting."))
    missing = questionnaires_unanswered_mandatory(enterprise=submission.enterprise, period=submission.period)
    problems += [_("Answer the questionnaire “%(title)s” first.") % {"title": q.title} for q in missing]
    if problems:
        raise ReportRefused(problems)
    with transaction.atomic():
        submitted = workflow.submission_submit(submission=submission, actor=actor, issues=_kept_issues(result),
                                               anomalous=result.is_anomalous)
        # A draft left in the wizard would come back over the submitted answers if the report is returned.
        wizard_drafts_discard(owner_key=report_draft_key(submission.report_type, submission.enterprise, submission.period))
    return submitted
