"""Writes: load, publish and retire definition versions; keep wizard drafts; finish a wizard."""
import json
import re
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from statemachine import StateTable

from .engine import Problem, RuleContext, ValidationResult, definition_check, document_checksum
from .enums import FormKind, VersionStatus
from .models import FormAnswer, FormDefinition, FormVersion, WizardDraft
from .selectors import formdef_manage_allowed, version_compiled, version_current

#: Characters a wizard prefix may not hold (formtools uses the prefix in form field names).
PREFIX_UNSAFE = re.compile(r"[^A-Za-z0-9_:-]")
#: The largest definition file 报表定义 accepts (the shipped monthly report is about 40 kB).
DEFINITION_UPLOAD_MAX_BYTES = 1024 * 1024
#: Allowed version transitions: draft → published → retired.
TRANSITIONS = {VersionStatus.DRAFT: {VersionStatus.PUBLISHED}, VersionStatus.PUBLISHED: {VersionStatus.RETIRED}}


class DefinitionInvalid(Exception):
    """Publishing refused: the problems say where (JSON path) and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class SubmissionBlocked(ValidationError):
    """The final validation found errors or unexplained severe warnings."""


def formdef_file_read(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


@transaction.atomic
def formdef_version_save(*, document: dict, actor=None) -> FormVersion:
    """Create or update the draft version `document["version"]` of definition `document["id"]`.

    A published or retired version never changes: saving a different document under its number fails.
    """
    if not isinstance(document, dict) or "id" not in document or "version" not in document:
        raise DefinitionInvalid([Problem("$", "a definition needs an id and a version")])
    checksum = document_checksum(document)
    kind = document.get("kind", FormKind.OTHER)
    definition, _created = FormDefinition.objects.get_or_create(
        key=document["id"], defaults={"title": document.get("title", document["id"]), "kind": kind})
    version = FormVersion.objects.select_for_update().filter(definition=definition, number=document["version"]).first()
    if version is None:
        return FormVersion.objects.create(definition=definition, number=document["version"], document=document, checksum=checksum)
    if version.checksum == checksum:
        return version
    if version.status != VersionStatus.DRAFT:
        raise DefinitionInvalid([Problem("$.version", f"version {version.number} is {version.status} and cannot change; raise the version")])
    version.document, version.checksum = document, checksum
    version.save(update_fields=["document", "checksum"])
    FormDefinition.objects.filter(pk=definition.pk).update(title=document.get("title", definition.title), kind=kind)
    return version


def _refuse(target: str, current: str) -> DefinitionInvalid:
    return DefinitionInvalid([Problem("$", f"cannot go from {current} to {target}")])


#: The version table as the shared helper reads it (statemachine.StateTable): the action is the status moved to.
VERSIONS = StateTable.of_statuses(TRANSITIONS, refuse=_refuse)


def _transition(version: FormVersion, target: str) -> None:
    VERSIONS.check(target, version.status)


@transaction.atomic
def formdef_publish(*, version: FormVersion, actor=None) -> FormVersion:
    """发布: run every check, then publish; earlier published versions of the definition retire."""
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        return version
    _transition(version, VersionStatus.PUBLISHED)
    problems = definition_check(version.document)
    if problems:
        raise DefinitionInvalid(problems)
    version_compiled(version)  # compile (and cache) once now
    now = timezone.now()
    for older in FormVersion.objects.select_for_update().filter(definition=version.definition, status=VersionStatus.PUBLISHED):
        VERSIONS.move(older, action=VersionStatus.RETIRED, changes={"retired_at": now})
    VERSIONS.move(version, action=VersionStatus.PUBLISHED, changes={"published_at": now})
    return version


@transaction.atomic
def formdef_retire(*, version: FormVersion, actor=None) -> FormVersion:
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    VERSIONS.move(version, action=VersionStatus.RETIRED, changes={"retired_at": timezone.now()})
    return version


def formdef_publish_document(*, document: dict, actor=None) -> FormVersion:
    """Save and publish a document (idempotent: an identical published version is returned as is)."""
    problems = definition_check(document)
    if problems:
        raise DefinitionInvalid(problems)
    return formdef_publish(version=formdef_version_save(document=document, actor=actor), actor=actor)


def answers_validate(*, version: FormVersion, answers: dict, context: RuleContext | None = None) -> ValidationResult:
    """Full validation of a complete set of answers (schema, required, computed, every rule)."""
    return version_compiled(version).validate(answers, context)


class FormStale(Exception):
    """Refused: what the page was loaded from was saved meanwhile (another window, device or the API);
    nothing was written. `revision` is the stored one. Owners raise it from `submit` when their stored
    answers moved on (`FormOwner.revision`); the wizard shows `message` and keeps what was typed."""

    def __init__(self, revision: int):
        super().__init__(f"stale write (stored revision {revision})")
        self.revision = revision
        self.message = _("This form was changed in another window or on another device: refresh the page, then edit it again.")


class DraftStale(FormStale):
    """The wizard draft was saved since the writer loaded it (revision 0: it is gone, e.g. the answers were stored)."""


@transaction.atomic
def wizard_draft_save(*, user, key: str, data: dict, version_id: int | None = None,
                      expected_revision: int | None = None, bump: bool = True) -> int:
    """Keep the wizard's state of one user and key; returns the draft's new revision.

    `expected_revision` is the revision the writer loaded (0: it found no draft): when the stored one
    differs, DraftStale is raised and nothing changes. None writes over whatever is stored. Two first
    saves at once are safe: the loser of the unique (user, key) insert re-reads the winner's row and
    applies the same rule to it (stale when it expected none). `bump=False` keeps the revision: only the
    step shown changed (opening the page, a tab), which must not make the user's other windows stale.
    """
    draft = WizardDraft.objects.select_for_update().filter(user=user, key=key).first()
    if draft is None:
        if expected_revision:
            raise DraftStale(0)
        try:
            with transaction.atomic():
                WizardDraft.objects.create(user=user, key=key, data=data, version_id=version_id, revision=1)
            return 1
        except IntegrityError:
            draft = WizardDraft.objects.select_for_update().get(user=user, key=key)
    if expected_revision is not None and draft.revision != expected_revision:
        raise DraftStale(draft.revision)
    draft.data, draft.version_id, draft.revision = data, version_id, draft.revision + (1 if bump else 0)
    draft.save(update_fields=["data", "version", "revision", "updated_at"])
    return draft.revision


def wizard_draft_delete(*, user, key: str) -> None:
    WizardDraft.objects.filter(user=user, key=key).delete()


def wizard_prefix(owner_key: str) -> str:
    """The wizard's formtools prefix for an owner's draft key; formtools stores the draft under `wizard_` + it."""
    return "formdefs_" + PREFIX_UNSAFE.sub("_", owner_key)


def wizard_draft_key(owner_key: str) -> str:
    """The WizardDraft.key under which the wizard keeps an owner's draft."""
    return "wizard_" + wizard_prefix(owner_key)


def wizard_drafts_discard(*, owner_key: str, except_user=None) -> int:
    """Drop every user's wizard draft of one fill-in (an owner's `draft_key()`, e.g. `report:sme_monthly:7:2026-01`).

    Called when the answers are stored by another way (the API, an import, another user's wizard): the draft
    was typed over the old answers, and resuming it would show them again and overwrite the new ones.
    `except_user` keeps that user's draft: the wizard saving its own progress (`wizard_progress_save`).
    """
    drafts = WizardDraft.objects.filter(key=wizard_draft_key(owner_key))
    if except_user is not None:
        drafts = drafts.exclude(user=except_user)
    deleted, _detail = drafts.delete()
    return deleted


def wizard_progress_save(*, owner, answers: dict, explanation: str | None = None, actor=None) -> None:
    """Hand the answers of every step as they stand to the owner (`FormOwner.save_progress`), each time a
    valid step is left or saved: hidden ones dropped and computed ones filled as `wizard_finish` does,
    but without its checks (steps not filled yet may still miss required values)."""
    if not owner.saves_progress:
        return
    compiled = version_compiled(owner.get_version())
    context = owner.rule_context()
    hidden = compiled.hidden_nodes(answers, context)
    kept = compiled.prune(answers, hidden)
    compiled.compute(kept, context, hidden)
    owner.save_progress(answers=kept, explanation=explanation, actor=actor)


def wizard_finish(*, owner, answers: dict, explanation: str = "", actor=None) -> str:
    """Final submit: re-validate everything, require explanations of severe warnings, hand over to the owner.

    Returns the URL to go to next (the owner decides).
    """
    version = owner.get_version()
    result = answers_validate(version=version, answers=answers, context=owner.rule_context())
    if result.errors:
        raise SubmissionBlocked([issue.message for issue in result.errors])
    if result.severe and not explanation.strip():
        raise SubmissionBlocked(_("Explain the severe warnings before submitting."))
    return owner.submit(answers=result.answers, result=result, explanation=explanation, actor=actor)


def form_answer_store(*, version: FormVersion, user, key: str, result: ValidationResult, explanation: str = "") -> FormAnswer:
    return FormAnswer.objects.create(
        version=version, user=user, key=key, answers=result.answers, explanation=explanation,
        issues=[i.as_dict() for i in result.issues], is_anomalous=result.is_anomalous)


# -- 报表定义 in the admin ------------------------------------------------------------------------

def _manager_required(actor) -> None:
    if not formdef_manage_allowed(actor):
        raise PermissionDenied(_("Only the national administrator can manage form definitions."))


def formdef_upload(*, content: bytes, actor) -> FormVersion:
    """上传: read an uploaded definition file (size, UTF-8, JSON), run `formdef check` on it and keep it
    as a draft version of its definition (`formdef_version_save`); `formdef_version_enable` publishes it.

    Nothing is saved when anything is wrong: DefinitionInvalid lists the problems by JSON path. Refused
    too: a questionnaire (the designer's, 问卷发布和统计), a version number below the published one, and
    a different document under a number already published (formdef_version_save: raise the version).
    """
    _manager_required(actor)
    if len(content) > DEFINITION_UPLOAD_MAX_BYTES:
        raise DefinitionInvalid([Problem("$", _("The file is %(size)s; at most %(limit)s can be uploaded.") % {
            "size": filesizeformat(len(content)), "limit": filesizeformat(DEFINITION_UPLOAD_MAX_BYTES)})])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DefinitionInvalid([Problem("$", _("The file is not UTF-8 text (byte %(position)s cannot be read): save it as UTF-8.") % {
            "position": exc.start + 1})])
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionInvalid([Problem("$", _("The file is not valid JSON: %(error)s at line %(line)s, column %(column)s.") % {
            "error": exc.msg, "line": exc.lineno, "column": exc.colno})])
    problems = definition_check(document)
    if problems:
        raise DefinitionInvalid(problems)
    if document.get("kind") == FormKind.QUESTIONNAIRE:
        raise DefinitionInvalid([Problem("$.kind", _("Questionnaires are designed under Questionnaire publishing and statistics."))])
    current = version_current(key=document["id"])
    if current is not None and document["version"] < current.number:
        raise DefinitionInvalid([Problem("$.version", _("Version %(version)s is below the published version %(current)s: raise the version.") % {
            "version": document["version"], "current": current.number})])
    with transaction.atomic():
        version = formdef_version_save(document=document, actor=actor)
        log(instance=version, action="formdefs.upload", user=actor,
            data={"key": version.definition.key, "version": version.number, "checksum": version.checksum})
    return version


def formdef_version_enable(*, version: FormVersion, actor) -> FormVersion:
    """启用 in 报表定义: publish a draft version (`formdef_publish`); the published one before it retires.
    Reports already started keep the version they were started with (`Submission.version`)."""
    _manager_required(actor)
    if version.definition.kind == FormKind.QUESTIONNAIRE:
        raise PermissionDenied(_("Questionnaires are enabled under Questionnaire publishing and statistics."))
    with transaction.atomic():
        published = formdef_publish(version=version, actor=actor)
        log(instance=published, action="formdefs.enable", user=actor,
            data={"key": published.definition.key, "version": published.number})
    return published
