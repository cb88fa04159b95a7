"""题库 (question bank): save a question of a draft to the bank, and the bank's questions to insert.

The bank holds the questions administrators saved (shared by every administrator of the back office) and,
pre-loaded, the national survey's own questions (read from its shipped definition, so they never go stale).
Inserting a bank question into a draft is `designer.questionnaire_question_insert`.
"""
import copy
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .. import design as designs
from ..models import BankQuestion, Questionnaire
from ..selectors import survey_scope

#: The national survey (全国中小企业发展环境调查问卷) whose questions the bank offers from the start.
NATIONAL_SURVEY = Path(settings.BASE_DIR) / "formdefs" / "definitions" / "sme_business_climate.json"
BUILT_IN_PREFIX = "national:"


@lru_cache(maxsize=1)
def _national_questions() -> tuple:
    document = json.loads(NATIONAL_SURVEY.read_text(encoding="utf-8"))
    found = []
    for step in document.get("steps", []):
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                single = {"numbering": True, "steps": [{"id": "s", "sections": [{"id": "x", "fields": [field]}]}]}
                try:
                    question = designs.design_from_document(single)["questions"][0]
                except (designs.DesignError, IndexError):
                    continue  # a field the designer cannot edit (static text, computed values)
                question.pop("branches", None)
                found.append((f"{BUILT_IN_PREFIX}{field['id']}", question))
    return tuple(found)


def bank_questions(*, actor) -> list[dict]:
    """The bank as step 2 offers it: [{"key", "text", "type", "options", "built_in", "by"}], saved questions first."""
    survey_scope(actor)
    rows = []
    for entry in BankQuestion.objects.select_related("created_by")[:200]:
        rows.append({"key": str(entry.pk), "text": entry.text, "question": entry.question, "built_in": False,
                     "by": entry.created_by.username if entry.created_by else ""})
    for key, question in _national_questions():
        rows.append({"key": key, "text": question.get("text", ""), "question": question, "built_in": True, "by": ""})
    return rows


def bank_question_get(*, actor, key: str) -> dict:
    """One bank question's design (a copy), by its key; refused when it no longer exists."""
    for row in bank_questions(actor=actor):
        if row["key"] == key:
            return copy.deepcopy(row["question"])
    raise designs.DesignError([("", _("That question is no longer in the question bank."))])


@transaction.atomic
def bank_question_save(*, questionnaire: Questionnaire, actor, qid: str) -> BankQuestion:
    """「存入题库」: a copy of one question of the maker's draft (without branches and show-if conditions)."""
    survey_scope(actor)
    if questionnaire.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the administrator who created this questionnaire may change it."))
    question = copy.deepcopy(designs.question_get(questionnaire.design or designs.design_new(), qid))
    if not question.get("text", "").strip():
        raise designs.DesignError([(qid, _("%(question)s: write the question before saving it to the bank.") % {
            "question": designs.question_name(questionnaire.design, qid)})])
    for key in ("branches", "show_if", "retired_options", "retired_rows"):
        question.pop(key, None)
    entry, _created = BankQuestion.objects.update_or_create(
        created_by=actor, text=question["text"][:500], defaults={"question": question})
    return entry
