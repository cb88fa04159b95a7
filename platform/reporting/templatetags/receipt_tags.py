"""The receipt link and the progress line on report pages (`reporting.receipt`)."""
from django import template

from reporting.receipt import receipt_available, submission_progress

register = template.Library()


@register.filter
def has_receipt(submission) -> bool:
    """`{% if submission|has_receipt %}`: under review or approved, so a receipt can be printed."""
    return submission is not None and receipt_available(submission)


@register.simple_tag
def report_progress(submission):
    """`{% report_progress submission as progress %}`: the steps of `receipt.submission_progress`."""
    return submission_progress(submission)
