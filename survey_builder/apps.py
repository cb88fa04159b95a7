from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveyBuilderConfig(AppConfig):
    name = "survey_builder"
    verbose_name = _("Questionnaires")
