"""Wagtail admin integration of 问卷发布和统计: its URLs, menu item and audit-log actions."""
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .selectors import survey_allowed


@hooks.register("register_admin_urls")
def survey_urls():
    return [path("surveys/", include(admin_urls, namespace="survey_admin"))]


class SurveyMenuItem(MenuItem):
    """Shown to administrators holding the survey permission."""

    def is_shown(self, request):
        return survey_allowed(request.user)


@hooks.register("register_admin_menu_item")
def survey_menu():
    return SurveyMenuItem(_("Questionnaire publishing and statistics"), reverse("survey_admin:list"), name="questionnaires", icon_name="form", order=340)


LOG_ACTIONS = {
    "survey_builder.enable": (_("Enable questionnaire"), _("Questionnaire enabled")),
    "survey_builder.stop": (_("Stop questionnaire"), _("Questionnaire stopped")),
    "survey_builder.delete": (_("Delete questionnaire"), _("Questionnaire deleted")),
    "survey_builder.copy": (_("Copy questionnaire"), _("Questionnaire copied")),
    "survey_builder.distribute": (_("Distribute questionnaire"), _("Questionnaire distributed")),
    "survey_builder.import_xlsform": (_("Import XLSForm"), _("Questionnaire imported from an XLSForm")),
}


@hooks.register("register_log_actions")
def survey_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)
