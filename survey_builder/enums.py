from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class QuestionnaireFrequency(models.TextChoices):
    """问卷频度 (SPEC §7)."""

    MONTHLY = "monthly", _("Monthly")  # 月度
    QUARTERLY = "quarterly", _("Quarterly")  # 季度
    ANNUAL = "annual", _("Annual")  # 年度
    # Same values as reporting.enums.Frequency; `reporting.periods.period_valid` decides the periods of both.


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("questionnaire status", "Draft")  # 拟稿
    ACTIVE = "active", _("Active")  # 启用
    STOPPED = "stopped", _("Stopped")  # 停用


class QuestionnaireTarget(models.TextChoices):
    """Which enterprises a questionnaire applies to (chosen regions and sizes narrow any of these)."""

    ALL = "all", _("All enterprises")  # 全部企业
    INDUSTRIAL = "industrial", _("Industrial enterprises")  # 工业企业
    MANUFACTURING = "manufacturing", _("Manufacturing enterprises")  # 制造业企业
    SECTIONS = "sections", _("Chosen industry sections")  # 指定行业门类


class ListFrequency(models.TextChoices):
    """The list's 调查频率 filter: the three frequencies plus 必填 / 选填 (as the manual's list offers them)."""

    ANNUAL = "annual", _("Annual survey")  # 年度调查
    QUARTERLY = "quarterly", _("Quarterly survey")  # 季度调查
    MONTHLY = "monthly", _("Monthly survey")  # 月度调查
    MANDATORY = "mandatory", _("Mandatory survey")  # 必填调查
    OPTIONAL = "optional", _("Optional survey")  # 选填调查


class QuestionType(models.TextChoices):
    """The designer's question types (问卷定义), each compiled to one engine field type."""

    SINGLE = "single", _("Single choice")  # 单选题
    MULTIPLE = "multiple", _("Multiple choice")  # 多选题
    FILL = "fill", _("Fill-in")  # 填空题
    ESSAY = "essay", _("Essay")  # 问答题
    MATRIX_SINGLE = "matrix_single", _("Matrix single choice")  # 矩阵单选题
    MATRIX_MULTIPLE = "matrix_multiple", _("Matrix multiple choice")  # 矩阵多选题
    MATRIX_FILL = "matrix_fill", _("Matrix fill-in")  # 矩阵填空题
    SINGLE_OTHER = "single_other", _("Single choice with fill-in")  # 单选可填空
    MULTIPLE_OTHER = "multiple_other", _("Multiple choice with fill-in")  # 多选可填空
    RATING = "rating", _("Rating")  # 评分题 (formdefs.types.rating: stars 1–N or NPS 0–10)


#: Types whose options are chosen (they have options; statistics count them).
CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SINGLE_OTHER, QuestionType.MULTIPLE_OTHER}
#: Types with rows (matrices).
MATRIX_TYPES = {QuestionType.MATRIX_SINGLE, QuestionType.MATRIX_MULTIPLE, QuestionType.MATRIX_FILL}
#: Types that may branch (one answer decides where to go).
BRANCHING_TYPES = {QuestionType.SINGLE, QuestionType.SINGLE_OTHER}
#: Types whose options may ask for text ("other, please specify").
SPECIFY_TYPES = {QuestionType.SINGLE_OTHER, QuestionType.MULTIPLE_OTHER}
#: Types answered with several options.
MULTI_TYPES = {QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER, QuestionType.MATRIX_MULTIPLE}
#: Types whose answers are free text (listed, not counted).
TEXT_TYPES = {QuestionType.FILL, QuestionType.ESSAY, QuestionType.MATRIX_FILL}


class FillKind(models.TextChoices):
    """What a fill-in question accepts (数据校验定义)."""

    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")


class DesignStep(models.IntegerChoices):
    """The designer's six steps."""

    THEME = 1, _("Theme")  # 问卷主题定义
    QUESTIONS = 2, _("Questions")  # 问卷定义
    BRANCHES = 3, _("Logic branches")  # 逻辑分支定义
    VALIDATION = 4, _("Validation")  # 数据校验定义
    LAYOUT = 5, _("Layout")  # 布局定义
    ENABLE = 6, pgettext_lazy("designer step", "Enable")  # 启用问卷
