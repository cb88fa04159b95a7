"""The designer's writes, one per step: 问卷主题定义, 问卷定义, 逻辑分支定义, 数据校验定义, 布局定义, and the preview.

Every write is allowed only to the administrator who created the questionnaire, and only while it is a
draft (拟稿): an enabled questionnaire never changes (copy it instead). Each request saves the draft.
"""
import copy
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from formdefs.enums import FormKind, VersionStatus
from formdefs.models import FormDefinition, FormVersion
from formdefs.selectors import version_current
from formdefs.services import formdef_version_save

from .. import design as designs
from ..enums import QuestionnaireFrequency, QuestionnaireStatus, QuestionnaireTarget
from ..models import Questionnaire
from ..selectors import survey_scope

SECTIONS = "ABCDEFGHIJKLMNOPQRST"


@dataclass
class ThemeData:
    """问卷主题定义: what step 1 asks."""

    title: str
    description: str
    frequency: str
    mandatory: bool
    starts_on: datetime.date
    ends_on: datetime.date
    target: str = QuestionnaireTarget.ALL
    sections: list = field(default_factory=list)
    regions: list = field(default_factory=list)  # regions.Region rows
    sizes: list = field(default_factory=list)


def _theme_check(theme: ThemeData, scope) -> None:
    from regions.enums import EnterpriseSize

    errors = {}
    if not theme.title.strip() or len(theme.title) > 50:
        errors["title"] = _("The name is required and has at most 50 characters.")
    if not theme.description.strip() or len(theme.description) > 4000:
        errors["description"] = _("The description is required and has at most 4,000 characters.")
    if theme.frequency not in QuestionnaireFrequency.values:
        errors["frequency"] = _("Choose a frequency.")
    if theme.starts_on and theme.ends_on and theme.ends_on < theme.starts_on:
        errors["ends_on"] = _("The end lies before the start.")
    if theme.target not in QuestionnaireTarget.values:
        errors["target"] = _("Choose whom the questionnaire is for.")
    if theme.target == QuestionnaireTarget.SECTIONS and not theme.sections:
        errors["sections"] = _("Choose at least one industry section.")
    if any(s not in SECTIONS for s in theme.sections):
        errors["sections"] = _("Unknown industry section.")
    if any(not scope.contains_region(r) for r in theme.regions):
        errors["regions"] = _("Choose regions inside your own manageable region.")
    if any(s not in EnterpriseSize.values for s in theme.sizes):
        errors["sizes"] = _("Unknown enterprise size.")
    if errors:
        raise ValidationError(errors)


def _theme_apply(questionnaire: Questionnaire, theme: ThemeData) -> None:
    questionnaire.title, questionnaire.description = theme.title.strip(), theme.description.strip()
    questionnaire.frequency, questionnaire.mandatory = theme.frequency, theme.mandatory
    questionnaire.starts_on, questionnaire.ends_on = theme.starts_on, theme.ends_on
    questionnaire.target = theme.target
    questionnaire.target_sections = sorted(set(theme.sections)) if theme.target == QuestionnaireTarget.SECTIONS else []
    questionnaire.target_sizes = sorted(set(theme.sizes))


def _next_code() -> str:
    numbers = [int(c) for c in Questionnaire.objects.values_list("code", flat=True) if c.isdigit()]
    return f"{max(numbers, default=0) + 1:03d}"


def questionnaire_create(*, actor, theme: ThemeData) -> Questionnaire:
    """新增: a draft questionnaire with its (empty) form definition, made by `actor`."""
    scope = survey_scope(actor)
    _theme_check(theme, scope)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                code = _next_code()
                definition = FormDefinition.objects.create(key=f"questionnaire_{code}", title=theme.title.strip(),
                                                           kind=FormKind.QUESTIONNAIRE)
                questionnaire = Questionnaire(code=code, definition=definition, created_by=actor,
                                              status=QuestionnaireStatus.DRAFT, design=designs.design_new())
                _theme_apply(questionnaire, theme)
                questionnaire.save()
                questionnaire.target_regions.set(theme.regions)
                return questionnaire
        except IntegrityError:
            continue  # another administrator took the same number at the same moment
    raise IntegrityError("could not allocate a questionnaire number")


def _draft_for_update(questionnaire: Questionnaire, actor) -> Questionnaire:
    """The questionnaire locked for a designer write, after checking who and what."""
    survey_scope(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the administrator who created this questionnaire may change it."))
    if locked.status != QuestionnaireStatus.DRAFT:
        raise PermissionDenied(_("An enabled questionnaire cannot change; copy it to make a new one."))
    return locked


class DesignStale(designs.DesignError):
    """A designer write from a page older than the draft (another tab or device saved meanwhile)."""

    def __init__(self):
        super().__init__([("", _("This questionnaire was changed in another window or on another device; "
                                 "reload the page, then make your change again."))])


def design_revision(questionnaire: Questionnaire) -> int:
    """The draft's revision token: +1 on every designer write; a page carries it and sends it back."""
    return int((questionnaire.design or {}).get("revision", 0))


def _revision_check(locked: Questionnaire, expected_revision: int | None) -> None:
    if expected_revision is not None and expected_revision != design_revision(locked):
        raise DesignStale()


def _design_save(locked: Questionnaire, design: dict, *, remember: bool = False) -> None:
    """Store a new design on the locked draft: the revision grows; a step-2 edit keeps one step of undo."""
    before = locked.design or designs.design_new()
    if remember:
        design = designs.design_remember(design, before)
    design["revision"] = design_revision(locked) + 1
    locked.design = design
    locked.save(update_fields=["design", "updated_at"])


@transaction.atomic
def questionnaire_theme_update(*, questionnaire: Questionnaire, actor, theme: ThemeData) -> Questionnaire:
    """Step 1 保存 / 下一步."""
    locked = _draft_for_update(questionnaire, actor)
    _theme_check(theme, survey_scope(actor))
    _theme_apply(locked, theme)
    locked.save()
    locked.target_regions.set(theme.regions)
    FormDefinition.objects.filter(pk=locked.definition_id).update(title=locked.title)
    return locked


@transaction.atomic
def questionnaire_questions_edit(*, questionnaire: Questionnaire, actor, data, op: str = "", text: str = "",
                                 expected_revision: int | None = None) -> tuple[Questionnaire, list[str]]:
    """Step 2: keep the typed texts, apply one button (add, copy, delete, move, reorder, paste, undo …).

    `text` goes with a paste or 「按文本编辑」; `expected_revision` (the page's token) refuses a stale page
    (DesignStale). Returns the saved questionnaire and one message per branch the edit broke (and dropped).
    """
    locked = _draft_for_update(questionnaire, actor)
    _revision_check(locked, expected_revision)
    design, dropped = designs.questions_edit(locked.design or designs.design_new(), data=data, op=op, text=text)
    _design_save(locked, design, remember=op != "undo")
    return locked, dropped


@transaction.atomic
def questionnaire_question_insert(*, questionnaire: Questionnaire, actor, question: dict,
                                  expected_revision: int | None = None) -> Questionnaire:
    """Step 2 「从题库插入」: a copy of a bank question at the end of the draft (fresh ids)."""
    locked = _draft_for_update(questionnaire, actor)
    _revision_check(locked, expected_revision)
    design = copy.deepcopy(locked.design or designs.design_new())
    designs.question_insert(design, question)
    designs.duplicates_check(design)
    _design_save(locked, design, remember=True)
    return locked


@transaction.atomic
def questionnaire_branches_set(*, questionnaire: Questionnaire, actor, chosen: dict, conditions: dict | None = None,
                               expected_revision: int | None = None) -> Questionnaire:
    """Step 3: the jump of every option of the single-choice questions (refused when a question is incomplete),
    and the show-if conditions (`conditions`: {question id: raw condition}, see design.show_if_set)."""
    locked = _draft_for_update(questionnaire, actor)
    _revision_check(locked, expected_revision)
    design = designs.branches_set(locked.design, chosen)
    if conditions is not None:
        design = designs.show_if_set(design, conditions)
    _design_save(locked, design)
    return locked


@transaction.atomic
def questionnaire_validation_set(*, questionnaire: Questionnaire, actor, raw: dict,
                                 expected_revision: int | None = None) -> Questionnaire:
    """Step 4: each question's checks and the message shown to respondents."""
    locked = _draft_for_update(questionnaire, actor)
    _revision_check(locked, expected_revision)
    _design_save(locked, designs.validation_set(locked.design, raw))
    return locked


@transaction.atomic
def questionnaire_layout_set(*, questionnaire: Questionnaire, actor, numbering: bool, per_row: dict,
                             expected_revision: int | None = None) -> Questionnaire:
    """Step 5: sub-numbers on or off, options per row."""
    locked = _draft_for_update(questionnaire, actor)
    _revision_check(locked, expected_revision)
    _design_save(locked, designs.layout_set(locked.design, numbering=numbering, per_row=per_row))
    return locked


def questionnaire_document(questionnaire: Questionnaire) -> dict:
    """The form definition a draft's design compiles to (version 1: a questionnaire is published once)."""
    meta = designs.DocumentMeta(key=questionnaire.definition.key, title=questionnaire.title,
                                description=questionnaire.description)
    return designs.document_build(questionnaire.design or designs.design_new(), meta)


@transaction.atomic
def questionnaire_preview_version(*, questionnaire: Questionnaire, actor) -> FormVersion:
    """The version the engine's preview mode runs: the draft's current design saved as a draft version,
    or the published version of an enabled questionnaire."""
    scope = survey_scope(actor)
    if questionnaire.status != QuestionnaireStatus.DRAFT:
        from ..selectors import questionnaire_visible_to

        if not questionnaire_visible_to(questionnaire, scope, user=actor):
            raise PermissionDenied(_("You cannot see this questionnaire."))
        version = version_current(key=questionnaire.definition.key) or FormVersion.objects.filter(
            definition=questionnaire.definition).order_by("-number").first()
        if version is None:
            raise PermissionDenied(_("This questionnaire has no published version."))
        return version
    if questionnaire.created_by_id != actor.pk:  # a draft is seen by its maker only
        raise PermissionDenied(_("You cannot see this questionnaire."))
    document = questionnaire_document(questionnaire)
    version = FormVersion.objects.filter(definition=questionnaire.definition, number=document["version"]).first()
    if version is not None and version.status != VersionStatus.DRAFT:
        return version
    return formdef_version_save(document=document, actor=actor)
