"""Reports for analytics tests, written the way the facts table is fed (reporting.services.facts)."""
import datetime

from django.utils import timezone


def grid(**rows) -> dict:
    """{"revenue": (month, ytd, ly_month, ly_ytd), ...} → the answers' indicator grid."""
    return {row: dict(zip(("month", "ytd", "ly_month", "ly_ytd"), values)) for row, values in rows.items()}


def put(report_type, enterprise, period: datetime.date, *, status="approved", ind=None, products=None,
        submitted_at=None, entry_method="online"):
    """One report of `enterprise` with its facts (the analytics tests' inputs)."""
    from reporting.models import Submission
    from reporting.selectors import report_version
    from reporting.services.facts import facts_write

    answers = {"ind": ind if ind is not None else grid(revenue=(10, 10, 8, 8), profit=(1, 1, 1, 1))}
    if products is not None:
        answers["products"] = products
    if submitted_at is None and status in ("pending", "approved"):
        from reporting.periods import month_add

        following = month_add(period, 1)  # on time: before the 20th of the following month
        submitted_at = timezone.make_aware(datetime.datetime(following.year, following.month, 5, 10))
    submission, _ = Submission.objects.update_or_create(
        report_type=report_type, enterprise=enterprise, period=period,
        defaults={"version": report_version(report_type), "answers": answers, "status": status,
                  "region_code": enterprise.region_code, "submitted_at": submitted_at, "entry_method": entry_method,
                  "holder": enterprise.direct_reviewer if status == "pending" else None})
    facts_write(submission)
    return submission


def enterprises():
    from enterprises.models import Enterprise

    found = {e.user.username: e for e in Enterprise.objects.select_related("user", "industry", "region",
                                                                          "direct_reviewer__user")}
    return found["com_demo01"], found["com_demo02"], found["com_demo03"]
