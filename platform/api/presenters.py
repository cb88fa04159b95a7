"""Models → response dicts (the shapes of `schemas`)."""
from formdefs.engine import ValidationResult
from reporting.models import Submission
from reporting.selectors import submission_level_label, submission_status_label
from workflow import review_values
from workflow.actions import available_actions
from workflow.enums import Action
from workflow.models import ReviewEvent


def enterprise_dict(enterprise) -> dict:
    return {"id": enterprise.pk, "name": enterprise.name, "credit_code": enterprise.credit_code,
            "region_code": enterprise.region_code}


def issues_list(issues) -> list[dict]:
    out = []
    for issue in issues:
        data = issue if isinstance(issue, dict) else issue.as_dict()
        out.append({"code": str(data.get("code", "")), "severity": data.get("severity", "warning"),
                    "message": str(data.get("message", "")), "fields": [str(f) for f in data.get("fields", [])],
                    "labels": [str(label) for label in data.get("labels", [])]})
    return out


def validation_dict(result: ValidationResult, *, explanation: str = "") -> dict:
    return {"ok": not result.errors, "can_submit": not result.errors and (not result.severe or bool(explanation.strip())),
            "anomalous": result.is_anomalous, "issues": issues_list(result.issues)}


def _holder(profile) -> str | None:
    return profile.user.username if profile is not None else None


def report_dict(submission: Submission, actor) -> dict:
    """The report as `actor` (the token's user) sees it, with what they may do with it now: the
    `actions` the review page's buttons and the portal's 撤销 show (workflow.actions)."""
    return {
        "id": submission.pk, "report_type": submission.report_type.key, "enterprise": enterprise_dict(submission.enterprise),
        "period": submission.period_key, "version": submission.version.number, "status": submission.status,
        "status_label": str(submission_status_label(submission)), "level_label": str(submission_level_label(submission)),
        "holder": _holder(submission.holder), "screening": submission.screening, "reviewer_acted": submission.reviewer_acted,
        "return_reason": submission.return_reason, "flagged_fields": review_values.return_flags(submission),
        "explanation": submission.explanation,
        "issues": issues_list(submission.issues), "answers": submission.answers, "revision": submission.revision,
        "created_at": submission.created_at, "updated_at": submission.updated_at,
        "submitted_at": submission.submitted_at, "approved_at": submission.approved_at,
        "actions": sorted(action.name.lower() for action in available_actions(submission, actor)),
    }


def submission_row(submission: Submission) -> dict:
    return {"id": submission.pk, "report_type": submission.report_type.key,
            "enterprise": enterprise_dict(submission.enterprise), "period": submission.period_key,
            "status": submission.status, "status_label": str(submission_status_label(submission)),
            "holder": _holder(submission.holder), "screening": submission.screening,
            "submitted_at": submission.submitted_at}


def event_dict(event: ReviewEvent) -> dict:
    try:
        label = str(Action(event.action).label)
    except ValueError:
        label = event.action
    return {"action": event.action, "action_label": label,
            "actor": event.actor.username if event.actor_id else None,
            "from_status": event.from_status, "to_status": event.to_status,
            "from_holder": _holder(event.from_holder), "to_holder": _holder(event.to_holder),
            "reason": event.reason, "flagged_fields": list(event.flagged_fields or []), "created_at": event.created_at}


def questionnaire_dict(questionnaire, response, *, closed: str = "") -> dict:
    """`closed`: why the period's answers can no longer change ('' while they can)."""
    return {"id": questionnaire.pk, "code": questionnaire.code, "title": questionnaire.title,
            "description": questionnaire.description, "mandatory": questionnaire.mandatory,
            "frequency": questionnaire.frequency, "definition": questionnaire.definition.key,
            "answered": response is not None, "answered_at": response.submitted_at if response else None,
            "answerable": not closed, "closed_reason": closed or None, "revision": response.revision if response else 0}


def questionnaire_response_dict(response, enterprise) -> dict:
    return {"questionnaire": response.questionnaire_id, "enterprise": enterprise_dict(enterprise),
            "period": f"{response.period:%Y-%m}", "version": response.version.number, "answers": response.answers,
            "answered_by": response.user.username if response.user_id else None, "answered_at": response.submitted_at,
            "revision": response.revision}
