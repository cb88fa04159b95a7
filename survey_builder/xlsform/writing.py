"""A questionnaire's form definition written as an XLSForm workbook (`survey`, `choices`, `settings`).

The inverse of reading.py, so import → export → import gives the same design: steps other than the
designer's single `survey` step become groups, matrices table-list groups (rows named `<question>_<row>`),
"please specify" options a text `<question>_other` shown when they are chosen, jumps (逻辑分支) and
visibility `relevant` expressions, checks `constraint`s. Every text is a text cell (never a formula).
"""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from formdefs.excel.safety import xlsx_value

from ..design.questions import ESSAY_MAX_LENGTH, FILL_MAX_LENGTH
from .expressions import Compare, ExpressionRefused, Join, cel_parse, to_xpath
from .ranges import rating_hint, rating_parameters

ZH, EN = "Chinese (zh)", "English (en)"
SURVEY_COLUMNS = ["type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
                  "constraint_message", "appearance", "parameters"]
TRANSLATED = ("label", "hint", "required_message", "constraint_message")
DEFAULT_MAX_LENGTH = {"text": FILL_MAX_LENGTH, "textarea": ESSAY_MAX_LENGTH, "matrix_fill": FILL_MAX_LENGTH}


class XLSFormExportRefused(Exception):
    """A question the XLSForm cannot hold (a computed value, a grid); `messages` name them."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _fields(document: dict) -> list[tuple[dict, dict]]:
    return [(step, f) for step in document.get("steps", []) for s in step.get("sections", []) for f in s.get("fields", [])]


def _jump_conditions(document: dict) -> dict[str, list]:
    """For each field, the `${source} != 'option'` tests that keep it visible despite earlier jumps (逻辑分支)."""
    order = [f["id"] for _s, f in _fields(document)]
    position = {fid: i for i, fid in enumerate(order)}
    conditions: dict[str, list] = {fid: [] for fid in order}
    for _step, spec in _fields(document):
        for value, target in (spec.get("branches") or {}).items():
            start = position[spec["id"]] + 1
            end = len(order) if target == "end" else position.get(target, start)
            for fid in order[start:end]:
                conditions[fid].append(Compare(spec["id"], "!=", value))
    return conditions


def _relevant(spec: dict, extra: list) -> str:
    nodes = []
    if spec.get("visible_if"):
        try:
            nodes.append(cel_parse(spec["visible_if"]))
        except ExpressionRefused:
            raise XLSFormExportRefused([_("“%(label)s”: its visibility condition cannot be written as XLSForm.") % {
                "label": spec.get("label", spec["id"])}])
    nodes += extra
    if not nodes:
        return ""
    return to_xpath(nodes[0] if len(nodes) == 1 else Join("and", tuple(nodes)))


class _Book:
    def __init__(self, english: bool):
        self.english = english
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.lists: set = set()

    def texts(self, row: dict, column: str, node: dict, key: str) -> None:
        if node.get(key):
            row[f"{column}::{ZH}" if self.english else column] = node[key]
        if self.english and node.get(f"{key}_en"):
            row[f"{column}::{EN}"] = node[f"{key}_en"]

    def choice_list(self, name: str, options: list) -> None:
        if name in self.lists:
            return
        self.lists.add(name)
        for option in options:
            row = {"list_name": name, "name": option["value"]}
            self.texts(row, "label", option, "label")
            self.choices.append(row)

    def question(self, qtype: str, spec: dict, *, name: str | None = None, relevant: str = "", appearance: str = "",
                 constraint: str = "", label: dict | None = None) -> dict:
        row = {"type": qtype, "name": name or spec["id"]}
        self.texts(row, "label", label or spec, "label")
        if label is None:
            self.texts(row, "hint", spec, "help")
        if spec.get("required") and qtype not in ("begin group", "end group"):
            row["required"] = "yes"
        if relevant:
            row["relevant"] = relevant
        if constraint:
            row["constraint"] = constraint
        if appearance:
            row["appearance"] = appearance
        if label is None and spec.get("error_message"):
            message = {"m": spec["error_message"], "m_en": spec.get("error_message_en", "")}
            if spec.get("required"):
                self.texts(row, "required_message", message, "m")
            if constraint:
                self.texts(row, "constraint_message", message, "m")
        self.survey.append(row)
        return row


def _constraint(spec: dict) -> str:
    parts = []
    ftype = spec["type"]
    if ftype in ("integer", "decimal"):
        if spec.get("minimum") is not None:
            parts.append(f". >= {_number(spec['minimum'])}")
        if spec.get("maximum") is not None:
            parts.append(f". <= {_number(spec['maximum'])}")
    if ftype in ("text", "textarea"):
        if spec.get("min_length"):
            parts.append(f"string-length(.) >= {spec['min_length']}")
        if spec.get("max_length") and spec["max_length"] != DEFAULT_MAX_LENGTH[ftype]:
            parts.append(f"string-length(.) <= {spec['max_length']}")
        if spec.get("pattern"):
            if "'" in spec["pattern"]:
                raise XLSFormExportRefused([_("“%(label)s”: a pattern with a quote cannot be written as XLSForm.") % {
                    "label": spec.get("label", spec["id"])}])
            parts.append(f"regex(., '{spec['pattern']}')")
    if ftype == "multichoice":
        if spec.get("min_selections"):
            parts.append(f"count-selected(.) >= {spec['min_selections']}")
        if spec.get("max_selections"):
            parts.append(f"count-selected(.) <= {spec['max_selections']}")
    return " and ".join(parts)


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def document_to_xlsform(document: dict) -> bytes:
    """The XLSForm workbook of a questionnaire definition; XLSFormExportRefused naming what it cannot hold."""
    english = any(spec.get("label_en") for _s, spec in _fields(document))
    book = _Book(english)
    jumps = _jump_conditions(document)
    refused = []
    for step in document.get("steps", []):
        grouped = step["id"] != "survey"
        if grouped:
            row = {"type": "begin group", "name": step["id"]}
            book.texts(row, "label", step, "title")
            if step.get("visible_if"):
                row["relevant"] = _relevant({"id": step["id"], "label": step.get("title"), "visible_if": step["visible_if"]}, [])
            book.survey.append(row)
        for section in step.get("sections", []):
            for spec in section.get("fields", []):
                try:
                    _write_field(book, spec, _relevant(spec, jumps.get(spec["id"], [])))
                except XLSFormExportRefused as exc:
                    refused += exc.messages
        if grouped:
            book.survey.append({"type": "end group", "name": step["id"]})
    if refused:
        raise XLSFormExportRefused(refused)
    settings = {"form_title": document.get("title", ""), "form_id": document.get("id", "questionnaire"),
                "version": str(document.get("version", 1))}
    if english:
        settings["default_language"] = ZH
    return _workbook(book, settings)


def _write_field(book: _Book, spec: dict, relevant: str) -> None:
    ftype = spec["type"]
    per_row = f"columns-{spec['options_per_row']}" if spec.get("options_per_row") else ""
    if ftype in ("choice", "multichoice"):
        book.choice_list(spec["id"], spec["options"])
        kind = "select_one" if ftype == "choice" else "select_multiple"
        book.question(f"{kind} {spec['id']}", spec, relevant=relevant, appearance=per_row, constraint=_constraint(spec))
        specify = [o["value"] for o in spec["options"] if o.get("specify")]
        if specify:
            condition = " or ".join(f"selected(${{{spec['id']}}}, '{v}')" for v in specify)
            book.survey.append({"type": "text", "name": f"{spec['id']}_other",
                                **({f"label::{ZH}": "请注明", f"label::{EN}": "Please specify"} if book.english else {"label": "请注明"}),
                                "relevant": condition})
    elif ftype == "yesno":
        options = [{"value": "true", "label": "是", "label_en": "Yes"}, {"value": "false", "label": "否", "label_en": "No"}]
        book.choice_list(f"{spec['id']}", options)
        book.question(f"select_one {spec['id']}", spec, relevant=relevant)
    elif ftype in ("text", "textarea"):
        book.question("text", spec, relevant=relevant, appearance="multiline" if ftype == "textarea" else "",
                      constraint=_constraint(spec))
    elif ftype in ("integer", "decimal"):
        book.question(ftype, spec, relevant=relevant, constraint=_constraint(spec))
    elif ftype == "date":
        book.question("date", spec, relevant=relevant)
    elif ftype == "rating":
        parameters, appearance = rating_parameters(spec)
        hinted = {**spec, "help": rating_hint(spec, spec.get("help", "")),
                  "help_en": rating_hint(spec, spec.get("help_en", ""), "_en") if book.english else ""}
        book.question("range", hinted, relevant=relevant, appearance=appearance)["parameters"] = parameters
    elif ftype == "static":
        row = {"type": "note", "name": spec["id"]}
        book.texts(row, "label", {"label": spec.get("text") or spec.get("label"), "label_en": spec.get("text_en") or spec.get("label_en")}, "label")
        book.survey.append(row)
    elif ftype in ("matrix_single", "matrix_multiple", "matrix_fill"):
        group = book.question("begin group", spec, relevant=relevant, appearance="table-list", label=spec)
        group.pop("required", None)
        if ftype != "matrix_fill":
            book.choice_list(spec["id"], spec["options"])
        kind = {"matrix_single": f"select_one {spec['id']}", "matrix_multiple": f"select_multiple {spec['id']}",
                "matrix_fill": "text"}[ftype]
        for row in spec.get("rows", []):
            child = book.question(kind, {"id": row["id"], "required": spec.get("required")}, name=f"{spec['id']}_{row['id']}",
                                  label=row)
            child.pop("hint", None)
        book.survey.append({"type": "end group", "name": spec["id"]})
    else:
        raise XLSFormExportRefused([_("“%(label)s” (%(type)s) has no XLSForm equivalent.") % {
            "label": spec.get("label", spec["id"]), "type": ftype}])


def _workbook(book: _Book, settings: dict) -> bytes:
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    columns = _columns(book.survey, SURVEY_COLUMNS)
    _sheet(survey, columns, book.survey)
    _sheet(workbook.create_sheet("choices"), _columns(book.choices, ["list_name", "name", "label"]), book.choices)
    _sheet(workbook.create_sheet("settings"), list(settings), [settings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _columns(rows: list[dict], order: list[str]) -> list[str]:
    """The columns in use, in the usual XLSForm order, each translated one with its languages side by side."""
    used = {key for row in rows for key in row}
    columns = []
    for name in order:
        for key in (name, f"{name}::{ZH}", f"{name}::{EN}"):
            if key in used or (key == name and name in ("type", "name", "list_name")):
                columns.append(key)
    return columns


def _sheet(sheet, columns: list[str], rows: list[dict]) -> None:
    sheet.append([xlsx_value(sheet, c) for c in columns])
    for row in rows:
        sheet.append([xlsx_value(sheet, row.get(c)) if row.get(c) not in (None, "") else None for c in columns])
