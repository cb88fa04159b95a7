"""上报导入 in the portal (issue 21): the enterprise's own filled template goes through a 预检 first.

`portal_import_precheck` reads and checks the file as the import does (nothing saved), lists the cells the
import changes against the enterprise's saved report and holds the file (`services.import_file_hold`, the
back office's held uploads); `portal_import_confirm` writes it (`reporting.excel_io.report_import`) unless the
saved report changed since the 预检 (a draft saved in another tab is not overwritten unseen);
`portal_import_cancel` drops the held file.
"""
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting import excel_io
from reporting.models import Submission
from reporting.presenters import answers_present
from reporting.templatetags.print_tags import grouped

from .services import import_file_hold, import_file_take

#: The changed cells the 预检 page lists; beyond, it says how many more.
CHANGES_SHOWN = 40


@dataclass
class CellChange:
    """One answer the import changes: where (step · block · row · column) and its text before and after."""

    label: str
    before: str
    after: str


@dataclass
class PortalPrecheck:
    check: excel_io.ImportCheck
    held: str  # the held file's storage name
    saved: str  # the saved report's stamp at the 预检 ('' when there is none): see `saved_stamp`
    changes: list = field(default_factory=list)
    more: int = 0  # changed cells beyond CHANGES_SHOWN


def saved_stamp(submission: Submission | None) -> str:
    """What the confirmation compares: the saved report and when it was last saved ('' when there is none)."""
    return f"{submission.pk}@{submission.updated_at.isoformat()}" if submission is not None else ""


def _cells(version, answers: dict) -> dict:
    """{key: (label, text)} of every answer as the report's page shows it (reporting.presenters; numbers with
    thousands separators, as printed)."""
    out = {}
    for step in answers_present(version=version, answers=answers or {}):
        for block in step["blocks"]:
            title = block.title or step["title"]
            if block.kind == "fields":
                for label, value, _flagged in block.rows:
                    out[("f", str(label))] = (str(label), grouped(str(value or "")))
                continue
            first = 2 if block.kind == "grid" else 1  # grid: 指标, 单位; table: #
            for row in block.rows:
                row_label = row["label"] if block.kind == "grid" else _("row %(n)s") % {"n": row["label"]}
                for index, (text, _flagged) in enumerate(row["cells"]):
                    column = block.columns[first + index] if first + index < len(block.columns) else ""
                    out[(block.field, row["id"], index)] = (f"{title} · {row_label} · {column}", grouped(str(text or "")))
    return out


def import_changes(*, version, before: dict | None, after: dict) -> list[CellChange]:
    """The answers that differ between the saved report (`before`, None: none yet) and the import, in the
    order of the form."""
    old, new = _cells(version, before or {}), _cells(version, after)
    changes = []
    for key, (label, text) in new.items():
        was = old.get(key, (label, ""))[1]
        if was != text:
            changes.append(CellChange(label=label, before=was or "—", after=text or "—"))
    for key, (label, was) in old.items():
        if key not in new and was:
            changes.append(CellChange(label=label, before=was, after="—"))
    return changes


def portal_import_precheck(*, actor, report_type, enterprise, period: datetime.date, data: bytes) -> PortalPrecheck:
    """预检 of the enterprise's filled template: checked as the import checks it, nothing saved, the file held
    for `portal_import_confirm`. Raises `excel_io.ImportRefused` (every problem by sheet, row and column)."""
    check = excel_io.report_import_check(report_type=report_type, enterprise=enterprise, period=period, file=data,
                                         actor=actor)
    changes = import_changes(version=check.version, before=check.submission.answers if check.submission else None,
                             after=check.answers)
    return PortalPrecheck(check=check, held=import_file_hold(data=data), saved=saved_stamp(check.submission),
                          changes=changes[:CHANGES_SHOWN], more=max(0, len(changes) - CHANGES_SHOWN))


def portal_import_confirm(*, actor, report_type, enterprise, period: datetime.date, held: str, saved: str,
                          filler_name: str) -> Submission:
    """确认导入: write the held file as the report of `period` (编辑, entry method 导入). Refused
    (`excel_io.ImportRefused`, nothing written) when the file is no longer held or the saved report is not the
    one the 预检 showed (`saved`: saved again, e.g. in the wizard in another tab, or created meanwhile)."""
    data = import_file_take(name=held)
    if data is None:
        raise excel_io.ImportRefused([_("The file to confirm is no longer kept; upload it again.")])
    with transaction.atomic():
        current = (Submission.objects.select_for_update()
                   .filter(report_type=report_type, enterprise=enterprise, period=period).first())
        if saved_stamp(current) != saved:
            when = timezone.localtime(current.updated_at).strftime("%H:%M") if current is not None else ""
            raise excel_io.ImportRefused([
                _("Your report of %(period)s was saved again at %(time)s after the pre-check; so as not to overwrite "
                  "it, nothing was imported. Upload the file again to pre-check it against the saved report.")
                % {"period": f"{period:%Y-%m}", "time": when}])
        return excel_io.report_import(report_type=report_type, enterprise=enterprise, period=period, file=data,
                                      filler_name=filler_name, actor=actor)


def portal_import_cancel(*, held: str) -> None:
    """取消: drop the held file; nothing else changes."""
    import_file_take(name=held)
