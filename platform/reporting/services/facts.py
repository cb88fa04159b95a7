"""The facts table: every number of a submission as one row (ARCHITECTURE "storage")."""

from django.db import transaction

from formdefs.engine.numbers import answer_decimal
from formdefs.selectors import version_compiled
from formdefs.types import field_type

from ..models import IndicatorFact, ReportType, Submission


def facts_of(submission: Submission) -> list[IndicatorFact]:
    """The facts of one submission, built from its JSON answers and its definition version."""
    compiled = version_compiled(submission.version)
    enterprise = submission.enterprise
    base = {"submission": submission, "definition_id": submission.version.definition_id, "version": submission.version,
            "enterprise": enterprise, "period": submission.period, "region_code": enterprise.region_code,
            "industry_code": enterprise.industry.full_code if enterprise.industry_id else "", "status": submission.status}
    facts = []

    def add(field, row, column, value, label=""):
        number = answer_decimal(value)
        if number is not None:
            facts.append(IndicatorFact(field=field, row=row, column=column, value=number, label=label[:100], **base))

    answers = submission.answers or {}
    for field in compiled.index.fields:
        value = answers.get(field["id"])
        if value is not None:
            for row, column, number, label in field_type(field).numbers(field, value):
                add(field["id"], row, column, number, label)
    return facts


@transaction.atomic
def facts_write(submission: Submission) -> int:
    """Replace the submission's facts by those of its current answers; returns how many."""
    IndicatorFact.objects.filter(submission=submission).delete()
    facts = facts_of(submission)
    IndicatorFact.objects.bulk_create(facts, batch_size=1000)
    return len(facts)


def facts_rebuild(*, report_type: ReportType | None = None) -> int:
    """Rebuild the facts of every submission (of one report type) from the JSON answers."""
    submissions = Submission.objects.select_related("version", "enterprise__industry").order_by("pk")
    if report_type is not None:
        submissions = submissions.filter(report_type=report_type)
    total = 0
    for submission in submissions.iterator(chunk_size=500):
        total += facts_write(submission)
    return total
