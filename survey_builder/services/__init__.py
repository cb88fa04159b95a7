"""Questionnaire writes: the designer (designer.py), enabling, stopping, copying, distributing (lifecycle.py)
and the enterprises' answers (responses.py)."""
from .designer import (DesignStale, ThemeData, design_revision, questionnaire_branches_set, questionnaire_question_insert, questionnaire_create, questionnaire_layout_set,
                       questionnaire_preview_version, questionnaire_questions_edit, questionnaire_theme_update,
                       questionnaire_validation_set)
from .lifecycle import (QuestionnaireRefused, questionnaire_copy, questionnaire_delete, questionnaire_distribute,
                        questionnaire_enable, questionnaire_stop)
from .responses import (QuestionnaireClosed, QuestionnaireStale, questionnaire_answering_check,
                        questionnaire_response_store)

__all__ = [
    "DesignStale", "design_revision", "questionnaire_question_insert",
    "QuestionnaireClosed", "QuestionnaireRefused", "QuestionnaireStale", "ThemeData", "questionnaire_answering_check",
    "questionnaire_branches_set", "questionnaire_copy", "questionnaire_create", "questionnaire_delete",
    "questionnaire_distribute", "questionnaire_enable", "questionnaire_layout_set",
    "questionnaire_preview_version", "questionnaire_questions_edit", "questionnaire_response_store",
    "questionnaire_stop", "questionnaire_theme_update", "questionnaire_validation_set",
]
