"""导入XLSForm (a new draft from a workbook) and 导出XLSForm (any questionnaire one may see, as a workbook)."""
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..enums import QuestionnaireFrequency
from ..models import Questionnaire
from ..selectors import questionnaire_visible_to, survey_scope
from ..services import ThemeData, questionnaire_create
from ..services.designer import questionnaire_document
from .reading import XLSFormRead, xlsform_read
from .writing import document_to_xlsform

MAX_TITLE = 50


def _theme(read: XLSFormRead, filename: str) -> ThemeData:
    """A theme to start from (step 1 changes it): the workbook's title, monthly, this year and next (enabling decides
    the first period it applies to)."""
    stem = (filename or "").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip()
    title = (read.title or stem or _("Imported questionnaire"))[:MAX_TITLE]
    today = timezone.localdate()
    return ThemeData(title=title, description=_("Imported from the XLSForm “%(name)s”.") % {"name": filename or title},
                     frequency=QuestionnaireFrequency.MONTHLY, mandatory=False, starts_on=datetime.date(today.year, 1, 1),
                     ends_on=datetime.date(today.year + 1, 12, 31))


def questionnaire_import_xlsform(*, actor, content: bytes, filename: str = "") -> tuple[Questionnaire, list[str]]:
    """导入XLSForm: a new draft questionnaire made by `actor` from the workbook, and the notices (skipped rows).

    The workbook passes the upload checks (size, zip ratios, macros) and pyxform's conversion first; a
    workbook the platform cannot express raises `XLSFormRefused` naming sheet, row and column, and nothing
    is created.
    """
    survey_scope(actor)  # an administrator with the survey permission, or PermissionDenied
    read = xlsform_read(content)
    with transaction.atomic():
        questionnaire = questionnaire_create(actor=actor, theme=_theme(read, filename))
        questionnaire.design = read.design
        questionnaire.save(update_fields=["design"])
        log(instance=questionnaire, action="survey_builder.import_xlsform", user=actor,
            data={"file": filename, "questions": len(read.design["questions"])})
    return questionnaire, read.notices


def questionnaire_xlsform_document(questionnaire: Questionnaire) -> dict:
    """What an export writes: a draft's design as it compiles now, else the published (or newest) version."""
    if questionnaire.is_draft:
        return questionnaire_document(questionnaire)
    from ..analysis import questionnaire_version

    version = questionnaire_version(questionnaire)
    return version.document if version is not None else questionnaire_document(questionnaire)


def questionnaire_export_xlsform(*, questionnaire: Questionnaire, actor) -> bytes:
    """导出XLSForm: the questionnaire as a workbook pyxform converts; only for those who may see it."""
    scope = survey_scope(actor)
    if not questionnaire_visible_to(questionnaire, scope, user=actor):
        raise PermissionDenied(_("You cannot see this questionnaire."))
    if questionnaire.is_draft and questionnaire.created_by_id != actor.pk:
        raise PermissionDenied(_("You cannot see this questionnaire."))
    return document_to_xlsform(questionnaire_xlsform_document(questionnaire))
