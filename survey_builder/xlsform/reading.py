"""An XLSForm workbook (`survey`, `choices`, `settings`) read into a questionnaire design.

pyxform reads the workbook (its own reader, so aliases and blank rows are as every XLSForm tool sees them)
and, once the platform finds nothing to refuse, converts it, so a workbook pyxform refuses is refused with
its message. The rows are mapped to the designer's questions (conditions: relevance.py, checks: constraints.py):

    select_one / select_multiple [or_other]  → single / multiple (with fill-in: *_other)
    text, text + appearance multiline       → fill-in (text), essay
    integer, decimal                        → fill-in (number; integer kept as such)
    range (start=1 … / start=0 end=10)       → rating (stars / NPS; see ranges.py)
    begin group (top level)                  → a page (a step of the wizard); its `relevant` → the page's visibility
    begin group, appearance table-list       → a matrix (selects sharing one list, or texts: matrix fill-in)
    relevant                                 → visibility (CEL, see expressions.py)
    constraint                               → minimum / maximum, lengths, pattern, selections
    required, required/constraint_message    → required and the question's message
    label / label::Chinese (zh) / label::English (en), hint  → text / text_en, hint / hint_en

Anything else (repeats, calculate, notes, geopoint, image, choice filters, other languages, ...) is refused
with the sheet, row and column it sits in; metadata rows (start, end, today, deviceid, ...) are skipped
with a notice, as the platform records who answered and when.
"""
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from formdefs.excel.safety import ExcelRefused, upload_check

from ..design.questions import ID_PATTERN, MAX_LABEL, MAX_PER_ROW, MAX_TEXT
from ..enums import FillKind, QuestionType
from .expressions import Compare, ExpressionRefused, Join, Selected, selections, xpath_parse
from .constraints import ConstraintReader
from .ranges import rating_ends, rating_read
from .relevance import RelevanceReader

SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"
METADATA_TYPES = {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
                  "audit", "start-geopoint"}
SELECT_TYPES = {"select_one": "select_one", "select one": "select_one", "select1": "select_one",
                "select_multiple": "select_multiple", "select all that apply": "select_multiple",
                "select multiple": "select_multiple"}
QUESTION_COLUMNS = {"type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
                    "constraint_message", "appearance", "parameters"}
CHOICE_COLUMNS = {"list_name", "list name", "name", "label"}
TRANSLATABLE = {"label", "hint", "required_message", "constraint_message"}
#: Appearances with nothing to do on the platform's pages (kept out of the way rather than refused).
HARMLESS_APPEARANCES = {"minimal", "horizontal", "horizontal-compact", "compact", "likert", "quick", "field-list"}
COLUMNS_APPEARANCE = re.compile(r"^columns-(\d+)$")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


@dataclass
class Problem:
    """Where a workbook says what the platform cannot do: sheet, row (1-based, as Excel shows it), column."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        if self.sheet and self.row and self.column:
            return _("Sheet “%(sheet)s”, row %(row)s, column “%(column)s”: %(message)s") % {
                "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}
        if self.sheet and self.row:
            return _("Sheet “%(sheet)s”, row %(row)s: %(message)s") % {"sheet": self.sheet, "row": self.row, "message": self.message}
        if self.sheet:
            return _("Sheet “%(sheet)s”: %(message)s") % {"sheet": self.sheet, "message": self.message}
        return self.message


class XLSFormRefused(Exception):
    """The workbook cannot become a questionnaire; `problems` say where and why (nothing was created)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

    @property
    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


@dataclass
class XLSFormRead:
    """What a workbook holds: the design, the title from `settings`, notices (skipped metadata rows)."""

    design: dict
    title: str = ""
    notices: list = field(default_factory=list)


# -- columns ------------------------------------------------------------------------------------------

def _language(tag: str) -> str | None:
    """'zh' or 'en' for a column's language part (`Chinese (zh)`, `English (en)`, `zh`, `中文`), None for others."""
    text = tag.strip().lower()
    if re.search(r"\bzh\b|chinese|中文|汉语|zh-hans|zh_cn|zh-cn", text):
        return "zh"
    if re.search(r"\ben\b|english|英文|英语", text):
        return "en"
    return None


def _split(header: str) -> tuple[str, str | None]:
    """`label::English (en)` → ('label', 'English (en)'); `label` → ('label', None)."""
    if "::" in header:
        base, tag = header.split("::", 1)
        return base.strip().lower(), tag.strip()
    return header.strip().lower(), None


class _Sheet:
    """One sheet's rows as pyxform read them, with Excel row numbers, and the problems found on it."""

    def __init__(self, name: str, rows, problems: list):
        self.name, self.problems = name, problems
        self.rows = [(number, row) for number, row in enumerate(rows or [], start=2) if row]

    def refuse(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(message, self.name, row, column))

    def texts(self, number: int, row: dict, base: str) -> tuple[str, str]:
        """(Chinese or default text, English text) of a translatable column; other languages are refused."""
        plain = zh = en = ""
        for header, value in row.items():
            name, tag = _split(header)
            if name != base:
                continue
            if tag is None:
                plain = value
                continue
            language = _language(tag)
            if language == "zh":
                zh = value
            elif language == "en":
                en = value
            else:
                self.refuse(number, header, _("only Chinese and English texts can be kept; this language cannot."))
        main = zh or plain or en
        return main, (en if en != main else "")

    def check_columns(self, number: int, row: dict, allowed: set) -> None:
        for header in row:
            name, tag = _split(header)
            if name not in allowed or (tag is not None and name not in TRANSLATABLE):
                self.refuse(number, header, _("the platform has no equivalent of this column; leave it empty."))


# -- the workbook ---------------------------------------------------------------------------------------

def _pyxform_check(content: bytes) -> None:
    """pyxform's own conversion: a workbook it refuses is refused with its message."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=io.BytesIO(content), file_type=".xlsx", warnings=[])
    except PyXFormError as exc:
        raise XLSFormRefused([Problem(_("pyxform cannot convert this XLSForm: %(error)s") % {"error": str(exc).strip()})])
    except Exception as exc:  # pyxform's reader raises plain errors on some damaged sheets; say so, create nothing
        raise XLSFormRefused([Problem(_("pyxform cannot read this XLSForm: %(error)s") % {"error": str(exc).strip() or type(exc).__name__})])


def xlsform_read(content: bytes) -> XLSFormRead:
    """The design an XLSForm workbook describes; XLSFormRefused (with every problem found) when it cannot be one."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2json_backends import get_xlsform

    try:
        upload_check(content)
    except ExcelRefused as exc:
        raise XLSFormRefused([Problem(exc.message)])
    try:
        book = get_xlsform(xlsform=io.BytesIO(content), file_type=".xlsx")
    except PyXFormError as exc:
        raise XLSFormRefused([Problem(_("pyxform cannot read this XLSForm: %(error)s") % {"error": str(exc).strip()})])
    if not book.survey:
        raise XLSFormRefused([Problem(_("the workbook has no “survey” sheet, or it is empty."), SURVEY)])
    problems: list[Problem] = []
    reader = _Reader(problems)
    lists = reader.choices(_Sheet(CHOICES, book.choices, problems))
    design, notices = reader.survey(_Sheet(SURVEY, book.survey, problems), lists)
    title = reader.settings(_Sheet(SETTINGS, book.settings, problems))
    if problems:
        raise XLSFormRefused(problems)
    _pyxform_check(content)  # what pyxform itself refuses (after ours, so every problem of ours is listed at once)
    return XLSFormRead(design=design, title=title, notices=notices)


class _Reader(ConstraintReader, RelevanceReader):
    def __init__(self, problems: list):
        self.problems = problems
        self.ids: dict[str, str] = {}  # XLSForm name → platform id

    def settings(self, sheet: _Sheet) -> str:
        for number, row in sheet.rows[:1]:
            for header, value in row.items():
                name, _tag = _split(header)
                if name in ("form_title", "set_form_title", "title"):
                    return value[:50]
        return ""

    def choices(self, sheet: _Sheet) -> dict[str, list]:
        lists: dict[str, list] = {}
        for number, row in sheet.rows:
            sheet.check_columns(number, row, CHOICE_COLUMNS)
            list_name = row.get("list_name") or row.get("list name") or ""
            name = row.get("name", "")
            if not list_name or not name:
                continue  # pyxform has already refused a choice without list or name
            if len(name) > 64 or "'" in name or '"' in name:
                sheet.refuse(number, "name", _("a choice name has at most 64 characters and no quotes."))
                continue
            label, label_en = sheet.texts(number, row, "label")
            if len(label) > MAX_LABEL:
                sheet.refuse(number, "label", _("a choice label has at most %(n)s characters.") % {"n": MAX_LABEL})
            option = {"id": name, "label": label or name, "_row": number}
            if label_en:
                option["label_en"] = label_en
            lists.setdefault(list_name, []).append(option)
        return lists

    # -- the survey sheet ---------------------------------------------------------------------------------

    def _id(self, sheet: _Sheet, number: int, name: str) -> str | None:
        """The platform id of an XLSForm name: lower case, `-` and `.` as `_` (refused when that collides)."""
        if not name:
            sheet.refuse(number, "name", _("every question needs a name."))
            return None
        candidate = name.lower().replace("-", "_").replace(".", "_")
        if not ID_PATTERN.match(candidate) or len(candidate) > 64:
            sheet.refuse(number, "name", _("a name starts with a letter and has letters, digits and “_” only (at most 64)."))
            return None
        if candidate in self.ids.values() and self.ids.get(name) != candidate:
            sheet.refuse(number, "name", _("“%(name)s” is used twice (names are compared without case).") % {"name": name})
            return None
        self.ids[name] = candidate
        return candidate

    def survey(self, sheet: _Sheet, lists: dict) -> tuple[dict, list]:
        design = {"numbering": True, "questions": []}
        notices, pages = [], []
        stack: list[dict] = []  # open groups: {"kind": "page"|"matrix", ...}
        order: dict[str, dict] = {}  # platform id → question, in order
        pending: list = []  # (number, row, question) whose relevant is read once every question is known
        for number, row in sheet.rows:
            raw_type = re.sub(r"\s+", " ", row.get("type", "")).strip()
            words = raw_type.split(" ")
            base = raw_type.lower().replace("_", " ")
            if not raw_type:
                sheet.refuse(number, "type", _("the row has no type."))
                continue
            if base == "begin group":
                self._begin_group(sheet, number, row, stack, pages, design, order, pending)
                continue
            if base == "end group":
                if stack:
                    group = stack.pop()
                    if group["kind"] == "matrix":
                        self._end_matrix(sheet, group)
                continue
            if base in ("begin repeat", "end repeat"):
                sheet.refuse(number, "type", _("repeat groups cannot be expressed on the platform."))
                continue
            if words[0].lower() in METADATA_TYPES and len(words) == 1:
                notices.append(str(Problem(_("the metadata “%(type)s” was skipped: the platform records who answered and when.")
                                           % {"type": raw_type}, sheet.name, number, "type")))
                continue
            matrix = stack[-1] if stack and stack[-1]["kind"] == "matrix" else None
            if matrix is not None:
                self._matrix_row(sheet, number, row, raw_type, matrix, lists)
                continue
            if words[0].lower() == "text" and row.get("name", "").lower().endswith("_other") and self._specify(sheet, number, row, order):
                continue
            question = self._question(sheet, number, row, raw_type, lists)
            if question is None:
                continue
            if stack:
                question["page"] = stack[-1]["id"]
            design["questions"].append(question)
            order[question["id"]] = question
            pending.append((number, row, question))
        if stack:
            sheet.refuse(None, "type", _("a “begin group” has no “end group”."))
        for number, row, target in pending:
            self._relevant(sheet, number, row, target, order)
        for question in design["questions"]:
            question.pop("_list", None)
        if pages:
            design["pages"] = [{k: v for k, v in p.items() if not k.startswith("_")} for p in pages]
        if not design["questions"]:
            sheet.refuse(None, "", _("the survey has no question the platform can show."))
        return design, notices

    def _begin_group(self, sheet, number, row, stack, pages, design, order, pending):
        sheet.check_columns(number, row, {"type", "name", "label", "relevant", "appearance"})
        appearance = (row.get("appearance") or "").strip()
        gid = self._id(sheet, number, row.get("name", ""))
        label, label_en = sheet.texts(number, row, "label")
        if appearance == "table-list":
            if stack and stack[-1]["kind"] == "matrix":
                sheet.refuse(number, "type", _("a table inside a table cannot be expressed."))
            question = {"id": gid or f"row{number}", "type": "", "text": label, "validation": {}, "rows": [],
                        "_row": number, "_children": []}
            if label_en:
                question["text_en"] = label_en
            if not label:
                sheet.refuse(number, "label", _("the question needs a label."))
            if stack:
                question["page"] = stack[-1]["id"]
            design["questions"].append(question)
            if gid:
                order[gid] = question
            pending.append((number, row, question))
            stack.append({"kind": "matrix", "question": question})
            return
        if appearance and appearance not in HARMLESS_APPEARANCES:
            sheet.refuse(number, "appearance", _("the appearance “%(value)s” cannot be expressed.") % {"value": appearance})
        if stack:
            sheet.refuse(number, "type", _("a group inside a group cannot be expressed (only a table-list table)."))
        page = {"id": gid or f"page{number}", "title": label or (row.get("name") or ""), "_row": number}
        if label_en:
            page["title_en"] = label_en
        pages.append(page)
        stack.append({"kind": "page", "id": page["id"], "page": page})
        if row.get("relevant"):
            pending.append((number, row, page))

    def _matrix_row(self, sheet, number, row, raw_type, matrix, lists):
        question = matrix["question"]
        sheet.check_columns(number, row, {"type", "name", "label", "required", "appearance"})
        words = raw_type.split(" ")
        kind = SELECT_TYPES.get(words[0].lower())
        if kind and len(words) == 2:
            qtype = QuestionType.MATRIX_SINGLE if kind == "select_one" else QuestionType.MATRIX_MULTIPLE
            list_name = words[1]
        elif raw_type.lower() == "text":
            qtype, list_name = QuestionType.MATRIX_FILL, None
        else:
            sheet.refuse(number, "type", _("a table-list row is a select_one, select_multiple (one list for all) or text."))
            return
        if question["type"] and (question["type"] != qtype or question.get("_list") != list_name):
            sheet.refuse(number, "type", _("every row of a table-list uses the same type and choice list."))
            return
        question["type"], question["_list"] = str(qtype), list_name
        if list_name is not None and "options" not in question:
            if list_name not in lists:
                sheet.refuse(number, "type", _("the choice list “%(name)s” is not on the choices sheet.") % {"name": list_name})
                return
            question["options"] = [{k: v for k, v in o.items() if k != "_row"} for o in lists[list_name]]
        name = (row.get("name") or "").lower()
        prefix = question["id"] + "_"
        rid = self._id(sheet, number, row.get("name", ""))
        if rid and name.startswith(prefix) and ID_PATTERN.match(name[len(prefix):]):
            rid = name[len(prefix):]
        label, label_en = sheet.texts(number, row, "label")
        if not label:
            sheet.refuse(number, "label", _("every row of a table needs a label."))
        item = {"id": rid or f"r{number}", "label": label}
        if label_en:
            item["label_en"] = label_en
        question["rows"].append(item)
        question["_children"].append((number, self._yes(sheet, number, row)))

    def _end_matrix(self, sheet, group):
        question = group["question"]
        if not question["rows"]:
            sheet.refuse(question["_row"], "type", _("a table-list group needs at least one row."))
            question["type"] = str(QuestionType.MATRIX_FILL)
        required = {flag for _n, flag in question["_children"]}
        if len(required) > 1:
            sheet.refuse(question["_children"][0][0], "required", _("rows of one table are all required or none."))
        if required == {True}:
            question["validation"]["required"] = True
        for key in ("_row", "_children"):
            question.pop(key, None)

    def _yes(self, sheet, number, row, column="required") -> bool:
        from pyxform.aliases import yes_no

        value = (row.get(column) or "").strip()
        if not value:
            return False
        if value not in yes_no:
            sheet.refuse(number, column, _("write yes or no; a condition cannot be expressed here."))
            return False
        return yes_no[value]

    def _question(self, sheet, number, row, raw_type, lists) -> dict | None:
        sheet.check_columns(number, row, QUESTION_COLUMNS)
        words = raw_type.split(" ")
        head = words[0].lower()
        appearance = (row.get("appearance") or "").strip()
        kind = SELECT_TYPES.get(head) or SELECT_TYPES.get(" ".join(words[:2]).lower())
        qid = self._id(sheet, number, row.get("name", ""))
        text, text_en = sheet.texts(number, row, "label")
        question = {"id": qid or f"row{number}", "type": "", "text": text, "validation": {}}
        if kind:
            rest = words[1:] if head in SELECT_TYPES else words[2:]
            other = len(rest) == 2 and rest[1].lower() == "or_other"
            if len(rest) not in (1, 2) or (len(rest) == 2 and not other):
                sheet.refuse(number, "type", _("write “%(type)s list_name” (optionally “or_other”).") % {"type": kind})
                return None
            list_name = rest[0]
            if list_name not in lists:
                sheet.refuse(number, "type", _("the choice list “%(name)s” is not on the choices sheet.") % {"name": list_name})
                return None
            single = kind == "select_one"
            question["type"] = str(QuestionType.SINGLE if single else QuestionType.MULTIPLE)
            question["options"] = [{k: v for k, v in o.items() if k != "_row"} for o in lists[list_name]]
            question["_list"] = list_name
            if other:
                if any(o["id"] == "other" for o in question["options"]):
                    sheet.refuse(number, "type", _("“or_other” adds the choice “other”, which the list already has."))
                question["options"].append({"id": "other", "label": _("Other (please specify)"), "specify": True})
                question["type"] = str(QuestionType.SINGLE_OTHER if single else QuestionType.MULTIPLE_OTHER)
            match = COLUMNS_APPEARANCE.match(appearance)
            if match:
                if not 1 <= int(match.group(1)) <= MAX_PER_ROW:
                    sheet.refuse(number, "appearance", _("options per row: 1 to %(n)s.") % {"n": MAX_PER_ROW})
                else:
                    question["per_row"] = int(match.group(1))
            elif appearance and appearance not in HARMLESS_APPEARANCES:
                sheet.refuse(number, "appearance", _("the appearance “%(value)s” cannot be expressed.") % {"value": appearance})
        elif head in ("text", "string") and len(words) == 1:
            multiline = appearance == "multiline"
            if appearance and not multiline and appearance not in HARMLESS_APPEARANCES:
                sheet.refuse(number, "appearance", _("the appearance “%(value)s” cannot be expressed.") % {"value": appearance})
            question["type"] = str(QuestionType.ESSAY if multiline else QuestionType.FILL)
            if not multiline:
                question["validation"]["kind"] = str(FillKind.TEXT)
        elif head in ("integer", "int", "decimal") and len(words) == 1:
            if appearance and appearance not in HARMLESS_APPEARANCES:
                sheet.refuse(number, "appearance", _("the appearance “%(value)s” cannot be expressed.") % {"value": appearance})
            question["type"] = str(QuestionType.FILL)
            question["validation"]["kind"] = str(FillKind.NUMBER)
            if head != "decimal":
                question["integer"] = True
        elif head == "range" and len(words) == 1:
            scale, problem = rating_read(row.get("parameters", ""))
            if problem:
                sheet.refuse(number, "parameters", problem)
                return None
            if appearance and appearance not in HARMLESS_APPEARANCES | {"rating"}:
                sheet.refuse(number, "appearance", _("the appearance “%(value)s” cannot be expressed.") % {"value": appearance})
            question.update(type=str(QuestionType.RATING), scale=scale)
        else:
            sheet.refuse(number, "type", _("the type “%(type)s” cannot be expressed on the platform.") % {"type": raw_type})
            return None
        if not text:
            sheet.refuse(number, "label", _("the question needs a label."))
        elif len(text) > MAX_TEXT:
            sheet.refuse(number, "label", _("a question has at most %(n)s characters.") % {"n": MAX_TEXT})
        if text_en:
            question["text_en"] = text_en
        hint, hint_en = sheet.texts(number, row, "hint")
        if question["type"] == QuestionType.RATING:
            hint, low, high = rating_ends(hint)
            hint_en, low_en, high_en = rating_ends(hint_en)
            question.update({key: value for key, value in (("low", low), ("high", high), ("low_en", low_en),
                                                           ("high_en", high_en)) if value})
        if hint:
            question["hint"] = hint
        if hint_en:
            question["hint_en"] = hint_en
        if self._yes(sheet, number, row):
            question["validation"]["required"] = True
        self._constraint(sheet, number, row, question)
        self._message(sheet, number, row, question)
        return question

    def _specify(self, sheet, number, row, order) -> bool:
        """A text `<select>_other` shown when the select's 'other' choices are chosen: those choices ask for text."""
        base = row.get("name", "")[:-6]
        qid = self.ids.get(base)
        question = order.get(qid) if qid else None
        if question is None or question["type"] not in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SINGLE_OTHER,
                                                         QuestionType.MULTIPLE_OTHER):
            return False
        try:
            tree = xpath_parse(row.get("relevant") or "")
        except ExpressionRefused:
            return False
        chosen = selections(tree)
        nodes = tree.nodes if isinstance(tree, Join) and tree.op == "or" else (tree,)
        if not chosen or any(not isinstance(n, (Selected, Compare)) for n in nodes) or {self.ids.get(q, q) for q, _v in chosen} != {qid}:
            return False
        values = {v for _q, v in chosen}
        options = {o["id"]: o for o in question.get("options", [])}
        if not values <= set(options):
            return False
        sheet.check_columns(number, row, {"type", "name", "label", "relevant", "required", "hint"})
        for value in values:
            options[value]["specify"] = True
        multiple = question["type"] in (QuestionType.MULTIPLE, QuestionType.MULTIPLE_OTHER)
        question["type"] = str(QuestionType.MULTIPLE_OTHER if multiple else QuestionType.SINGLE_OTHER)
        return True
