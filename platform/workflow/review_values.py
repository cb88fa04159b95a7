"""Reads for the back-office review page of one report (issue 21 §4): 上月 / 上年 beside each month
value of the indicator grid, and what changed since the report was returned.

Both return plain data the page lays beside `reporting.presenters.answers_present`'s blocks
(`annotate_steps`), so the page's markup stays the presenter's with a few cells added.
"""
import datetime
from dataclasses import dataclass, field as dc_field
from decimal import Decimal, InvalidOperation

from analytics.definition import version_analytics
from formdefs.selectors import version_compiled
from formdefs.types import CodeNames, field_type
from formdefs.types.base import number_text
from formdefs.engine.definition import localized
from reporting.enums import SubmissionStatus as S
from reporting.models import IndicatorFact, Submission
from reporting.periods import month_add, period_previous
from reporting.presenters import display_value

from .enums import Action


def _number(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _change(now: Decimal | None, before: Decimal | None) -> str:
    """The change from `before` to `now` in % (one decimal, signed); "" when it cannot be said."""
    if now is None or before is None or before == 0:
        return ""
    return f"{(now - before) / abs(before) * 100:+.1f}%"


@dataclass(frozen=True)
class Compared:
    """One indicator's month value beside the same enterprise's approved last period and last year."""

    last_period: str  # the value as text, "" when there is none
    last_period_change: str  # "+12.5%", "" when there is no base
    last_year: str
    last_year_change: str


@dataclass(frozen=True)
class Comparison:
    grid: str  # the answer id of the indicator grid
    column: str  # the grid column of the `month` role
    rows: dict  # row id -> Compared
    last_period: datetime.date
    last_year: datetime.date


def value_comparison(submission: Submission) -> Comparison | None:
    """上月 (the previous period) and 上年 (the same period a year before) of each `month` cell of the
    report's indicator grid, from the enterprise's approved reports only (one query on the facts).
    None when the definition has no analytics block or no `month` column."""
    analytics = version_analytics(submission.version)
    column = analytics.column("month") if analytics is not None else None
    if not column:
        return None
    last_period = period_previous(submission.report_type.frequency, submission.period)
    last_year = month_add(submission.period, -12)
    found = {}
    for period, row, value in (IndicatorFact.objects
                               .filter(enterprise_id=submission.enterprise_id, definition_id=submission.version.definition_id,
                                       period__in=[last_period, last_year], field=analytics.grid, column=column,
                                       status=S.APPROVED)
                               .values_list("period", "row", "value")):
        found[(period, row)] = value
    cells = (submission.answers or {}).get(analytics.grid) or {}
    rows = {}
    for row in analytics.rows:
        if not analytics.has_cell(row["id"], "month"):
            continue
        now = _number((cells.get(row["id"]) or {}).get(column))
        before, year_ago = found.get((last_period, row["id"])), found.get((last_year, row["id"]))
        rows[row["id"]] = Compared(last_period=number_text(before), last_period_change=_change(now, before),
                                   last_year=number_text(year_ago), last_year_change=_change(now, year_ago))
    return Comparison(grid=analytics.grid, column=column, rows=rows, last_period=last_period, last_year=last_year)


# -- changes since the return ------------------------------------------------------------------

@dataclass(frozen=True)
class ChangedCell:
    label: str  # the field, grid row or table row
    column: str  # the grid or table column, "" for a single field
    old: str
    new: str


@dataclass
class SinceReturn:
    """What the filler changed between the last return and the resubmission."""

    returned_at: datetime.datetime
    reason: str
    cells: list = dc_field(default_factory=list)  # ChangedCell
    rows: set = dc_field(default_factory=set)  # (answer id, row id) of grid/table rows with a change
    flagged: list = dc_field(default_factory=list)  # (FlaggedCell, changed?) of the cells the return flagged


def changes_since_return(submission: Submission, events) -> SinceReturn | None:
    """The cells that differ between the answers recorded when the report was last returned and its
    answers now, once it was submitted again after that return (None otherwise). `events` is the
    report's audit trail, oldest first (`selectors.submission_events`), so no further query is made."""
    events = list(events)
    returned = next((e for e in reversed(events) if e.action in (Action.RETURN, Action.CHANGE_RETURN)), None)
    if returned is None or returned.answers is None:
        return None
    if not any(e.action == Action.SUBMIT and (e.created_at, e.pk) > (returned.created_at, returned.pk) for e in events):
        return None
    since = SinceReturn(returned_at=returned.created_at, reason=returned.reason)
    _diff(since, version_compiled(submission.version), returned.answers or {}, submission.answers or {})
    for cell in flagged_cells(submission, returned.flagged_fields):
        since.flagged.append((cell, not _same(_at(returned.answers or {}, cell.path), _at(submission.answers or {}, cell.path))))
    return since


def _at(answers: dict, path: str):
    """The answer at a flagged cell's path (grid.row.column or a field id)."""
    if "." not in path:
        return answers.get(path)
    grid, row, column = path.split(".", 2)
    return ((answers.get(grid) or {}).get(row) or {}).get(column)


def _diff(since: SinceReturn, compiled, old: dict, new: dict) -> None:
    names = CodeNames()
    for step in compiled.index.steps:
        for section in step.get("sections", []):
            for spec in section.get("fields", []):
                if not field_type(spec).has_answer:
                    continue
                fid, kind = spec["id"], spec["type"]
                before, after = old.get(fid), new.get(fid)
                if before == after:
                    continue
                if kind == "indicator_grid":
                    _diff_grid(since, spec, before or {}, after or {})
                elif kind == "table":
                    _diff_table(since, spec, before or [], after or [])
                else:
                    since.cells.append(ChangedCell(label=localized(spec), column="",
                                                   old=display_value(spec, before, old, names) if before is not None else "",
                                                   new=display_value(spec, after, new, names) if after is not None else ""))


def _same(a, b) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return (a if a not in (None, "") else None) == (b if b not in (None, "") else None)


def _diff_grid(since, spec, before: dict, after: dict) -> None:
    for row in spec.get("rows", []):
        old_cells, new_cells = before.get(row["id"]) or {}, after.get(row["id"]) or {}
        for column in spec.get("columns", []):
            a, b = old_cells.get(column["id"]), new_cells.get(column["id"])
            if _same(a, b):
                continue
            since.rows.add((spec["id"], row["id"]))
            since.cells.append(ChangedCell(label=localized(row), column=localized(column),
                                           old=number_text(a), new=number_text(b)))


def _diff_table(since, spec, before: list, after: list) -> None:
    for index in range(max(len(before), len(after))):
        a_row = before[index] if index < len(before) else {}
        b_row = after[index] if index < len(after) else {}
        for column in spec.get("columns", []):
            a, b = a_row.get(column["id"]), b_row.get(column["id"])
            if _same(a, b):
                continue
            since.rows.add((spec["id"], str(index)))
            since.cells.append(ChangedCell(label=f"{localized(spec)} {index + 1}", column=localized(column),
                                           old=number_text(a), new=number_text(b)))


def annotate_steps(steps: list[dict], *, comparison: Comparison | None, since: SinceReturn | None) -> list[dict]:
    """Lay the comparison and the changed rows beside the presenter's blocks: a grid block of the
    compared grid gets `compare` (and each row its `compare`); a row changed since the return `changed`."""
    for step in steps:
        for block in step["blocks"]:
            if block.kind == "fields":
                continue
            compared = comparison is not None and block.kind == "grid" and block.field == comparison.grid
            block.compare = compared
            for row in block.rows:
                if compared:
                    row["compare"] = comparison.rows.get(row.get("id"))
                row["changed"] = since is not None and (block.field, row.get("id")) in since.rows
    return steps


# -- cells flagged by a return (有疑问) ----------------------------------------------------------

@dataclass(frozen=True)
class FlaggedCell:
    """One cell a reviewer questions when returning a report: where it is and how to reach its input."""

    path: str  # the answer path: grid.row.column, or a field id
    step: str  # the wizard step holding it
    step_title: str
    label: str  # the field or the grid row
    column: str  # the grid column, "" for a single field

    @property
    def input_name(self) -> str:
        """The wizard input's name (formdefs adapters: grid cells are grid__row__column)."""
        return self.path.replace(".", "__")

    @property
    def anchor(self) -> str:
        return f"id_{self.input_name}"


def flaggable_cells(version) -> dict[str, FlaggedCell]:
    """Every cell of the version a reviewer may flag, by path, in definition order: each input cell of an
    indicator grid and each single field with an answer (not tables, not computed cells)."""
    from formdefs.types import row_takes

    compiled = version_compiled(version)
    cells = {}
    for step in compiled.index.steps:
        title = localized(step, "title")
        for section in step.get("sections", []):
            for spec in section.get("fields", []):
                if not field_type(spec).has_answer or spec["type"] == "table":
                    continue
                if spec["type"] != "indicator_grid":
                    cells[spec["id"]] = FlaggedCell(path=spec["id"], step=step["id"], step_title=title,
                                                    label=localized(spec), column="")
                    continue
                for row in spec.get("rows", []):
                    for column in spec.get("columns", []):
                        if column.get("expr") or not row_takes(row, column):
                            continue
                        path = f"{spec['id']}.{row['id']}.{column['id']}"
                        cells[path] = FlaggedCell(path=path, step=step["id"], step_title=title,
                                                  label=localized(row), column=localized(column))
    return cells


def flagged_cells(submission: Submission, paths) -> list[FlaggedCell]:
    """The flagged `paths` of a report as cells, in definition order (paths its version lacks are left out)."""
    wanted = set(paths or ())
    return [cell for path, cell in flaggable_cells(submission.version).items() if path in wanted]


def return_flags(submission: Submission) -> list[str]:
    """The cells the last return flagged, while the report is still returned (once it is submitted again
    the marks are gone: the next return has its own)."""
    if submission.status != S.RETURNED:
        return []
    event = (submission.events.filter(action__in=(Action.RETURN, Action.CHANGE_RETURN))
             .order_by("-created_at", "-pk").only("flagged_fields").first())
    return list(event.flagged_fields or []) if event is not None else []


def returned_flagged_cells(submission: Submission) -> list[FlaggedCell]:
    """The returned report's flagged cells (the detail page's list, the wizard's marks, the SMS link)."""
    return flagged_cells(submission, return_flags(submission))


def annotate_ticks(steps: list[dict], *, version, answers: dict, checked=()) -> list[dict]:
    """The 有疑问 ticks of the review page: each flaggable cell of the presenter's blocks gets its path
    (grid rows' `ticks`: (text, flagged, path, checked, the cell's name) per column; a fields block's `ticks`: (label, text,
    flagged, path, checked) per row); "" where a cell cannot be flagged (tables, computed cells)."""
    known, checked = flaggable_cells(version), set(checked)
    compiled = version_compiled(version)
    for step, spec_step in zip(steps, compiled.index.steps):
        specs = [f for section in spec_step.get("sections", []) for f in section.get("fields", [])]
        by_id = {f["id"]: f for f in specs}
        # A fields block lists the step's single answered fields in order (presenters.answers_present).
        scalars = iter([f["id"] for f in specs if field_type(f).has_answer
                        and f["type"] not in ("indicator_grid", "table") and f["id"] in answers])
        for block in step["blocks"]:
            if block.kind == "fields":
                ticks = []
                for label, value, flagged in block.rows:
                    fid = next(scalars, "")
                    path = fid if fid in known else ""
                    ticks.append((label, value, flagged, path, path in checked))
                block.ticks = ticks
                continue
            spec = by_id.get(block.field) or {}
            columns = [c["id"] for c in spec.get("columns", [])] if block.kind == "grid" else []
            for row in block.rows:
                ticks = []
                for index, (value, flagged) in enumerate(row["cells"]):
                    path = f"{block.field}.{row.get('id')}.{columns[index]}" if index < len(columns) else ""
                    cell = known.get(path)
                    ticks.append((value, flagged, path if cell else "", path in checked,
                                  f"{cell.label} · {cell.column}" if cell else ""))
                row["ticks"] = ticks
    return steps


def screening_flags(submission: Submission) -> list[str]:
    """The cells the report's violated checks name, as flaggable paths: the return's ticks start ticked."""
    known = flaggable_cells(submission.version)
    named = {path for issue in (submission.issues or []) for path in issue.get("fields", [])}
    return [path for path in known if path in named]
