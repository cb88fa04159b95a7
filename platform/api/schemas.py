"""Request and response shapes of the API (pydantic, through django-ninja).

Every response status an endpoint can give is declared with its schema, so the OpenAPI document
is exact and schemathesis checks real responses against it.
"""
import datetime
import math
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, field_validator

ANSWERS_MAX_DEPTH = 8
EXPLANATION_MAX = 2000
REASON_MAX = 500
FLAGGED_MAX = 500


def _text_check(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("NUL characters are not allowed."))
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        raise ValueError(_("The text contains invalid characters."))
    return value


#: Any text received: NUL bytes and lone surrogates are refused with a clear message.
CleanText = Annotated[str, AfterValidator(_text_check)]


def answers_check(value: Any, depth: int = 0) -> Any:
    """Answers are plain JSON: text without NUL, finite numbers, bounded nesting.

    How large a number may be, and how many decimal places it has, is the form engine's answer
    schema's (`formdefs.engine.numbers`): the same limits as in the wizard and the imports, refused
    with the question's name.
    """
    if depth > ANSWERS_MAX_DEPTH:
        raise ValueError(_("The answers are nested too deeply."))
    if isinstance(value, dict):
        for key, item in value.items():
            _text_check(key)
            answers_check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            answers_check(item, depth + 1)
    elif isinstance(value, str):
        _text_check(value)
    elif isinstance(value, bool) or value is None:
        pass
    elif isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(_("Numbers must be finite."))
    return value


# -- errors ------------------------------------------------------------------------------------

class FieldErrorOut(Schema):
    """One invalid part of the request: where (`loc`, e.g. ["body", "answers"]) and why."""

    loc: list[str]
    message: str
    type: str


class IssueOut(Schema):
    """One rule violation of the form definition (error blocks saving, warning marks 数据异常,
    severe needs the filler's note before submitting), with the answer paths it concerns."""

    code: str
    severity: Literal["error", "warning", "severe"]
    message: str
    fields: list[str]
    labels: list[str]


class ErrorOut(Schema):
    """Every error response: a stable `code`, a message in the caller's language, and details."""

    code: str = Field(..., description="unauthorized, forbidden, not_found, conflict, stale, invalid, refused, "
                                       "bad_request, too_large, throttled")
    message: str
    errors: list[FieldErrorOut] = Field(default_factory=list)
    issues: list[IssueOut] = Field(default_factory=list)
    revision: int | None = Field(None, description="With code `stale` (409): the report's (or the questionnaire "
                                                   "answers') stored revision; read it again, merge, and retry with it.")


# -- caller ------------------------------------------------------------------------------------

class EnterpriseOut(Schema):
    id: int
    name: str
    credit_code: str
    region_code: str


class RegionOut(Schema):
    code: str
    name: str
    level: int


class MeOut(Schema):
    username: str
    kind: Literal["enterprise", "administrator"]
    token_name: str
    enterprises: list[EnterpriseOut] = Field(..., description="Enterprises whose reports this token fills.")
    region: RegionOut | None = Field(None, description="An administrator's manageable region (null: national).")
    can_review: bool


# -- report types, periods, definitions -------------------------------------------------------

class ReportTypeOut(Schema):
    key: str
    title: str
    frequency: Literal["monthly", "quarterly", "annual"]
    definition: str = Field(..., description="Key of the form definition.")
    version: int | None = Field(..., description="Number of the published version new reports use.")
    due_day: int


class PeriodOut(Schema):
    period: str = Field(..., description="YYYY-MM", pattern=r"^\d{4}-\d{2}$")
    due: datetime.date
    is_open: bool
    status: str = Field(..., description="not_filled, editing, pending, returned, approved, frozen, unfrozen")
    status_label: str
    submission_id: int | None


class DefinitionOut(Schema):
    key: str
    title: str
    version: int
    status: Literal["published", "retired"]
    published_at: datetime.datetime | None
    document: dict[str, Any] = Field(..., description="The form definition (steps, fields, rules).")
    answers_schema: dict[str, Any] = Field(..., description="JSON Schema 2020-12 of the answers.")


# -- reports -----------------------------------------------------------------------------------

class DraftIn(Schema):
    answers: dict[str, Any] = Field(..., description="Answers keyed by field id, as the definition's JSON Schema.")
    explanation: Annotated[CleanText, Field(max_length=EXPLANATION_MAX)] = Field(
        "", description="填报人说明: required before submitting when a severe warning remains.")
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1,
        description="The report's `revision` this client read (0: it found no report). A different stored one "
                    "answers 409 `stale` with the current revision and saves nothing. Omit it to save over "
                    "whatever is stored.")

    @field_validator("answers")
    @classmethod
    def _answers(cls, value):
        return answers_check(value)


class ValidateIn(Schema):
    answers: dict[str, Any] | None = Field(
        None, description="Answers to check without saving them; omit to check the saved draft.")

    @field_validator("answers")
    @classmethod
    def _answers(cls, value):
        return None if value is None else answers_check(value)


class SubmitIn(Schema):
    explanation: Annotated[CleanText, Field(max_length=EXPLANATION_MAX)] | None = Field(
        None, description="填报人说明; replaces the saved one when given.")


class ReturnIn(Schema):
    reason: Annotated[CleanText, Field(min_length=1, max_length=REASON_MAX,
                                       description="退回原因, shown to the enterprise and sent in the SMS.")]
    flagged_fields: list[Annotated[CleanText, Field(max_length=200)]] = Field(
        default_factory=list, max_length=FLAGGED_MAX,
        description="Optional: the cells in question (有疑问), as answer paths — `grid.row.column` for an indicator "
                    "grid's cell, a field id for a single field. The portal marks them and the SMS links to the "
                    "first; a path the report's version lacks is refused with 400, nothing returned.")


class ValidationOut(Schema):
    ok: bool = Field(..., description="No blocking error.")
    can_submit: bool = Field(..., description="No blocking error, and no severe warning still waiting for its note "
                                              "(a task report explains each severe warning at submit).")
    anomalous: bool = Field(..., description="A warning or severe warning remains (数据异常).")
    issues: list[IssueOut]


class ReportOut(Schema):
    id: int
    report_type: str
    enterprise: EnterpriseOut
    period: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    version: int
    status: Literal["editing", "pending", "returned", "approved", "frozen", "unfrozen"]
    status_label: str = Field(..., description="待审核【sme_ningbo】, 退回, ...")
    level_label: str = Field(..., description="已上报至县级 / 市级 / ... while pending, else empty.")
    holder: str | None = Field(..., description="Login of the administrator holding it while pending.")
    screening: Literal["", "passed", "anomalous"]
    reviewer_acted: bool
    return_reason: str
    flagged_fields: list[str] = Field(..., description="While returned: the cells the return flagged (有疑问), "
                                                        "as answer paths in definition order; else empty.")
    explanation: str
    issues: list[IssueOut] = Field(..., description="Non-blocking violations recorded at submit.")
    answers: dict[str, Any]
    revision: int = Field(..., description="Increases with every save of the answers; send it back with the next "
                                           "PUT so a save made meanwhile by someone else is not overwritten.")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    approved_at: datetime.datetime | None
    actions: list[Literal["submit", "withdraw", "receive", "skip_receive", "return"]] = Field(
        ..., description="What the token's user may do with the report now (the same rule as the web pages' buttons).")


class DraftOut(Schema):
    report: ReportOut
    validation: ValidationOut


class EventOut(Schema):
    action: str = Field(..., description="workflow.submit, workflow.receive, workflow.return, ...")
    action_label: str
    actor: str | None
    from_status: str
    to_status: str
    from_holder: str | None
    to_holder: str | None
    reason: str
    flagged_fields: list[str] = Field(..., description="A return's cells in question (有疑问), as answer paths; "
                                                        "empty for other events.")
    created_at: datetime.datetime


class SubmissionRowOut(Schema):
    id: int
    report_type: str
    enterprise: EnterpriseOut
    period: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    status: Literal["editing", "pending", "returned", "approved", "frozen", "unfrozen"]
    status_label: str
    holder: str | None
    screening: Literal["", "passed", "anomalous"]
    submitted_at: datetime.datetime | None


class SubmissionPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[SubmissionRowOut]


# -- filing tasks (填报任务) -------------------------------------------------------------------

class TaskOut(Schema):
    id: int
    title: str
    report_type: str = Field(..., description="Key of the task's report type.")
    definition: str
    period: str = Field(..., pattern=r"^\d{4}-\d{2}$", description="First month of the task's period (YYYY-MM).")
    period_label: str
    level: Literal["provincial", "municipal"]
    task_status: Literal["draft", "open", "closed"]
    due_date: datetime.date
    status: str = Field(..., description="The report's status: not_filled, editing, pending, returned, approved, ...")
    status_label: str = Field(..., description="未填报 / 编辑 / 已上报至县级 / 审核通过 ...")
    submission_id: int | None
    can_fill: bool
    can_submit: bool
    can_cancel: bool


class TaskSubmitIn(Schema):
    explanations: dict[Annotated[CleanText, Field(max_length=64)], Annotated[CleanText, Field(max_length=500)]] = Field(
        default_factory=dict, description="审核说明 for each severe warning, keyed by the rule's code.")


# -- questionnaires (调查问卷) -----------------------------------------------------------------

class QuestionnaireOut(Schema):
    id: int
    code: str
    title: str
    description: str
    mandatory: bool = Field(..., description="必填: the period's monthly report cannot be submitted before it is answered.")
    frequency: Literal["monthly", "quarterly", "annual"]
    definition: str = Field(..., description="Key of the questionnaire's form definition.")
    answered: bool = Field(..., description="Answers are stored for this enterprise and period.")
    answered_at: datetime.datetime | None
    answerable: bool = Field(..., description="The answers may be given or changed now: the period is open and its "
                                              "report is 未填报, 编辑, 退回 or 解除冻结.")
    closed_reason: str | None = Field(..., description="Why they may not (待审核 / 审核通过 / 冻结 report, or the "
                                                       "period not open), in the caller's language; null otherwise.")
    revision: int = Field(..., description="The stored answers' revision (0: not answered yet): send it with the "
                                           "PUT of the answers.")


class QuestionnaireDetailOut(QuestionnaireOut):
    version: int = Field(..., description="The definition version the answers are checked against (the answered "
                                          "one, else the published one).")
    document: dict[str, Any] = Field(..., description="The form definition: steps, questions, options, branches.")
    answers_schema: dict[str, Any] = Field(..., description="JSON Schema 2020-12 of the answers.")


class QuestionnaireAnswersIn(Schema):
    answers: dict[str, Any] = Field(..., description="Answers keyed by question id, as the questionnaire's JSON Schema; "
                                                     "answers to questions a branch skips are dropped.")
    revision: int | None = Field(
        None, ge=0, le=2**31 - 1,
        description="The answers' `revision` this client read (0: it found none). A different stored one answers "
                    "409 `stale` with the current revision and saves nothing. Omit it to save over whatever is stored.")

    @field_validator("answers")
    @classmethod
    def _answers(cls, value):
        return answers_check(value)


class QuestionnaireAnswersOut(Schema):
    questionnaire: int
    enterprise: EnterpriseOut
    period: str = Field(..., pattern=r"^\d{4}-\d{2}$")
    version: int
    answers: dict[str, Any] = Field(..., description="The answers as stored (skipped questions left out).")
    answered_by: str | None
    answered_at: datetime.datetime
    revision: int = Field(..., description="Increases with every store of the answers; send it back with the next "
                                           "PUT so answers stored meanwhile by someone else are not overwritten.")


class QuestionnaireSavedOut(Schema):
    response: QuestionnaireAnswersOut
    validation: ValidationOut
