"""启用, 停用, 复制, 删除, 分发: the questionnaire's transitions, each checked against one table.

draft (拟稿) → active (启用) → stopped (停用). Enabling publishes the design as an immutable form
definition version; nothing changes an active questionnaire afterwards.
"""
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from statemachine import StateTable

from formdefs.enums import VersionStatus
from formdefs.models import FormVersion
from formdefs.selectors import version_current
from formdefs.services import DefinitionInvalid, formdef_publish, formdef_version_save

from .. import design as designs
from ..enums import QuestionnaireStatus
from ..models import Questionnaire, QuestionnaireDistribution
from ..selectors import questionnaire_visible_to, survey_scope
from .designer import ThemeData, questionnaire_create, questionnaire_document

TRANSITIONS = {
    QuestionnaireStatus.DRAFT: {QuestionnaireStatus.ACTIVE},
    QuestionnaireStatus.ACTIVE: {QuestionnaireStatus.STOPPED},
}


class QuestionnaireRefused(Exception):
    """An action refused; `messages` say why, for the page."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _locked_own(questionnaire: Questionnaire, actor) -> Questionnaire:
    survey_scope(actor)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the administrator who created this questionnaire may do this."))
    return locked


def _refuse(target: str, current: str) -> QuestionnaireRefused:
    return QuestionnaireRefused([_("A questionnaire that is %(status)s cannot become %(target)s.") % {
        "status": QuestionnaireStatus(current).label, "target": QuestionnaireStatus(target).label}])


#: The table as the shared helper reads it (statemachine.StateTable): the action is the status moved to.
QUESTIONNAIRES = StateTable.of_statuses(TRANSITIONS, refuse=_refuse)


def _transition(questionnaire: Questionnaire, target: str) -> None:
    QUESTIONNAIRES.check(target, questionnaire.status)


@transaction.atomic
def questionnaire_enable(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """启用问卷: check the design, publish its form definition (immutable from now on), and activate."""
    locked = _locked_own(questionnaire, actor)
    _transition(locked, QuestionnaireStatus.ACTIVE)
    problems = designs.design_problems(locked.design or designs.design_new())
    if problems:
        raise QuestionnaireRefused([message for _qid, message in problems])
    document = questionnaire_document(locked)
    try:
        version = FormVersion.objects.filter(definition=locked.definition, number=document["version"]).first()
        if version is None or version.status == VersionStatus.DRAFT:
            version = formdef_version_save(document=document, actor=actor)
        version = formdef_publish(version=version, actor=actor)
    except DefinitionInvalid as exc:  # the designer's checks should have caught it: say where, do not publish
        raise QuestionnaireRefused([str(p) for p in exc.problems])
    QUESTIONNAIRES.move(locked, action=QuestionnaireStatus.ACTIVE, changes={"enabled_at": timezone.now()},
                        fields=("updated_at",), record=lambda _from, _to: log(
                            instance=locked, action="survey_builder.enable", user=actor, data={"version": version.number}))
    return locked


@transaction.atomic
def questionnaire_stop(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """停用: end an active questionnaire early, for everyone."""
    locked = _locked_own(questionnaire, actor)
    QUESTIONNAIRES.move(locked, action=QuestionnaireStatus.STOPPED, changes={"stopped_at": timezone.now()},
                        fields=("updated_at",),
                        record=lambda _from, _to: log(instance=locked, action="survey_builder.stop", user=actor))
    return locked


@transaction.atomic
def questionnaire_delete(*, questionnaire: Questionnaire, actor) -> None:
    """删除: drafts only; its draft form definition goes with it."""
    locked = _locked_own(questionnaire, actor)
    if locked.status != QuestionnaireStatus.DRAFT:
        raise QuestionnaireRefused([_("Only a draft can be deleted; stop an enabled questionnaire instead.")])
    definition = locked.definition
    log(instance=locked, action="survey_builder.delete", user=actor, data={"code": locked.code, "title": locked.title})
    locked.delete()
    if not definition.versions.exclude(status=VersionStatus.DRAFT).exists() and not definition.questionnaires.exists():
        definition.versions.all().delete()
        definition.delete()


def questionnaire_copy(*, questionnaire: Questionnaire, actor) -> Questionnaire:
    """复制: a new draft with the same theme and questions, made by `actor` (any questionnaire it can see)."""
    scope = survey_scope(actor)
    if not questionnaire_visible_to(questionnaire, scope, user=actor):
        raise PermissionDenied(_("You cannot see this questionnaire."))
    design = questionnaire.design if (questionnaire.design or {}).get("questions") else None
    if design is None:
        version = version_current(key=questionnaire.definition.key) or questionnaire.definition.versions.order_by("-number").first()
        try:
            design = designs.design_from_document(version.document) if version else designs.design_new()
        except designs.DesignError as exc:
            raise QuestionnaireRefused(exc.messages)
    prefix = _("Copy of ")
    theme = ThemeData(title=(prefix + questionnaire.title)[:50], description=questionnaire.description,
                      frequency=questionnaire.frequency, mandatory=questionnaire.mandatory,
                      starts_on=questionnaire.starts_on, ends_on=questionnaire.ends_on, target=questionnaire.target,
                      sections=list(questionnaire.target_sections or []),
                      regions=[r for r in questionnaire.target_regions.all() if scope.contains_region(r)],
                      sizes=list(questionnaire.target_sizes or []))
    with transaction.atomic():
        twin = questionnaire_create(actor=actor, theme=theme)
        twin.design = {k: v for k, v in design.items()}
        twin.save(update_fields=["design"])
        log(instance=twin, action="survey_builder.copy", user=actor, data={"from": questionnaire.code})
    return twin


@transaction.atomic
def questionnaire_distribute(*, questionnaire: Questionnaire, actor, administrators) -> int:
    """分发: make an enabled questionnaire visible to chosen subordinate administrators; returns how many are new."""
    scope = survey_scope(actor)
    if not questionnaire_visible_to(questionnaire, scope, user=actor):
        raise PermissionDenied(_("You cannot see this questionnaire."))
    if questionnaire.status != QuestionnaireStatus.ACTIVE:
        raise QuestionnaireRefused([_("Only an enabled questionnaire can be distributed.")])
    allowed = set(scope.administrators(include_self=False).values_list("pk", flat=True))
    chosen = list(administrators)
    if any(p.pk not in allowed for p in chosen):
        raise PermissionDenied(_("You can distribute only to your subordinate administrators."))
    created = 0
    for profile in chosen:
        _row, new = QuestionnaireDistribution.objects.get_or_create(questionnaire=questionnaire, administrator=profile,
                                                                    defaults={"distributed_by": actor})
        created += new
    if created:
        log(instance=questionnaire, action="survey_builder.distribute", user=actor,
            data={"administrators": sorted(p.user.username for p in chosen)})
    return created
