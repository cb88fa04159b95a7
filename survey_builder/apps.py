from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_survey_permission(sender, using="default", **kwargs):
    """Every 地方管理员 has 问卷发布和统计 (as in the manuals' menu): the group holds the permission.

    Run after each migrate (and after the test runner's flushes); `accounts.services.roles_ensure`
    finds the same group by name. Withdraw it from one administrator by moving them out of the group
    and granting the other permissions directly.
    """
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from accounts.enums import ADMIN_GROUP_NAME

    # This app's receivers run before auth's (auth comes later in INSTALLED_APPS): create the permission first.
    create_permissions(sender, verbosity=0, using=using)
    permission = Permission.objects.using(using).filter(content_type__app_label="survey_builder",
                                                        codename="publish_questionnaire").first()
    if permission is None:
        return
    group, _created = Group.objects.using(using).get_or_create(name=ADMIN_GROUP_NAME)
    group.permissions.add(permission)


class SurveyBuilderConfig(AppConfig):
    name = "survey_builder"
    verbose_name = _("Questionnaires")

    def ready(self):
        post_migrate.connect(grant_survey_permission, sender=self, dispatch_uid="survey_builder.grant_permission")
        from formdefs.selectors import version_preview_rule_register

        from .selectors import questionnaire_version_previewable

        version_preview_rule_register(questionnaire_version_previewable)
