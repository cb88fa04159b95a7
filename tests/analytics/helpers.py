"""Reports for analytics tests, written the way the facts table is fed (reporting.services.facts)."""
import datetime

from django.utils import timezone


def grid(**rows) -> dict:
    """{"revenue": (month, ytd, ly_month, ly_ytd), ...} → the answers' indicator grid."""
    return {row: dict(zip(("month", "ytd", "ly_month", "ly_ytd"), values)) for row, values in rows.items()}


def put(report_type, enterprise, period: datetime.date, *, status="approved", ind=None, products=None,
        submitted_at=None, entry_method="online", answers=None):
    """One report of `enterprise` with its facts (the analytics tests' inputs); `answers` replaces the
    monthly report's default grid (another report type's answers)."""
    from reporting.models import Submission
    from reporting.selectors import report_version
    from reporting.services.facts import facts_write

    if answers is None:
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


def report_document(key: str, *, columns, rows, analytics=None, version: int = 1, products=None) -> dict:
    """A small report definition: one indicator grid `kpi` with `columns` [(id, label)] and `rows`
    [(id, label, unit[, row columns])], and its `analytics` block (none when None)."""
    grid = {"id": "kpi", "type": "indicator_grid", "label": "主要指标",
            "columns": [{"id": c, "label": label} for c, label in columns],
            "rows": [{"id": r[0], "label": r[1], "unit": r[2], **({"columns": r[3]} if len(r) > 3 else {})}
                     for r in rows]}
    fields = [grid] + ([products] if products else [])
    document = {"id": key, "version": version, "kind": "report", "title": f"测试报表 {key}",
                "steps": [{"id": "main", "title": "指标", "sections": [{"id": "main_s", "title": "指标", "fields": fields}]}]}
    if analytics is not None:
        document["analytics"] = analytics
    return document


def report_type_of(document: dict, *, key: str | None = None, title: str | None = None, by_task_only=False):
    """Publish `document` and create (or reuse) the report type filling it."""
    from formdefs.services import formdef_publish_document
    from reporting.models import ReportType

    version = formdef_publish_document(document=document)
    report_type, _created = ReportType.objects.get_or_create(
        key=key or document["id"], defaults={"title": title or document["title"], "definition": version.definition,
                                             "by_task_only": by_task_only})
    return report_type
