"""A quarter or a year is its last month (reporting.periods): move the filing tasks of quarterly and annual
report types, and their reports (submissions, facts, wizard drafts), from the period's first month
(2026-07-01 for 2026年第3季度, 2026-01-01 for 2026年度) to its last (2026-09-01, 2026-12-01).

Forward moves every report of such a type on a first month: the reporting side never allowed those dates,
so they can only be task reports. Backward moves the tasks back and, with each, the reports of its report
type and period (a task's report is the submission of its report type and period).

The arithmetic is copied here, not imported: a migration must keep doing what it did when written.
"""
import datetime

from django.db import migrations, models

MONTHS = {"quarterly": 3, "annual": 12}


def _shift(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _is_first_month(frequency: str, day: datetime.date) -> bool:
    return day.day == 1 and (day.month - 1) % MONTHS[frequency] == 0


def _is_last_month(frequency: str, day: datetime.date) -> bool:
    return day.day == 1 and day.month % MONTHS[frequency] == 0


def _move_reports(apps, report_type, old: datetime.date, new: datetime.date) -> None:
    """Move the submissions, facts and wizard drafts of one report type from `old` to `new`."""
    Submission = apps.get_model("reporting", "Submission")
    IndicatorFact = apps.get_model("reporting", "IndicatorFact")
    WizardDraft = apps.get_model("formdefs", "WizardDraft")
    moving = Submission.objects.filter(report_type=report_type, period=old)
    clash = list(Submission.objects.filter(report_type=report_type, period=new,
                                           enterprise_id__in=moving.values("enterprise_id"))
                 .values_list("enterprise_id", flat=True))
    if clash:
        raise RuntimeError(
            f"Cannot move the reports of {report_type.key} from {old:%Y-%m} to {new:%Y-%m}: enterprises {clash} "
            f"already have a report for {new:%Y-%m}. Merge or delete one of each pair, then migrate again.")
    IndicatorFact.objects.filter(submission__in=moving).update(period=new)
    moving.update(period=new)
    # The wizard keeps a draft under "wizard_formdefs_" + its owner's key (formdefs.services.wizard_draft_key).
    prefix, old_end, new_end = f"wizard_formdefs_report:{report_type.key}:", f":{old:%Y-%m}", f":{new:%Y-%m}"
    for draft in WizardDraft.objects.filter(key__startswith=prefix, key__endswith=old_end):
        draft.key = draft.key[: -len(old_end)] + new_end
        draft.save(update_fields=["key"])


def to_last_month(apps, schema_editor):
    ReportType = apps.get_model("reporting", "ReportType")
    FilingTask = apps.get_model("filing", "FilingTask")
    Submission = apps.get_model("reporting", "Submission")
    for report_type in ReportType.objects.filter(frequency__in=MONTHS):
        months = MONTHS[report_type.frequency]
        for task in FilingTask.objects.filter(report_type=report_type):
            if _is_first_month(report_type.frequency, task.period):
                task.period = _shift(task.period, months - 1)
                task.save(update_fields=["period"])
        periods = set(Submission.objects.filter(report_type=report_type).values_list("period", flat=True))
        for old in sorted(p for p in periods if _is_first_month(report_type.frequency, p)):
            _move_reports(apps, report_type, old, _shift(old, months - 1))


def to_first_month(apps, schema_editor):
    ReportType = apps.get_model("reporting", "ReportType")
    FilingTask = apps.get_model("filing", "FilingTask")
    for report_type in ReportType.objects.filter(frequency__in=MONTHS):
        months = MONTHS[report_type.frequency]
        moved = set()
        for task in FilingTask.objects.filter(report_type=report_type):
            if _is_last_month(report_type.frequency, task.period):
                old = task.period
                task.period = _shift(old, 1 - months)
                task.save(update_fields=["period"])
                if old not in moved:
                    moved.add(old)
                    _move_reports(apps, report_type, old, task.period)


class Migration(migrations.Migration):

    dependencies = [
        ("filing", "0001_initial"),
        ("formdefs", "0001_initial"),
        ("reporting", "0004_summary_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="filingtask",
            name="period",
            field=models.DateField(help_text="The first day of the period's last month: the month, the quarter's last "
                                             "month or December (as the report type's frequency; see reporting.periods).",
                                   verbose_name="report period"),
        ),
        migrations.RunPython(to_last_month, to_first_month),
    ]
