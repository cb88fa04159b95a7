"""The hidden `_meta` sheet that identifies a file: which definition, version and layout it was made
for and, for a template made for someone (`TemplateTarget`), whom and which period; read back and
checked on import, saying what differs."""
from dataclasses import dataclass

from django.utils.translation import get_language, gettext as _, pgettext

from ..engine.definition import localized
from .layout import BATCH_LAYOUT, META_SHEET
from .safety import ExcelRefused


# -- the hidden sheet that identifies a file -----------------------------------------------------
@dataclass(frozen=True)
class TemplateTarget:
    """Whom and which period a template is made for; written to `_meta`, shown on every sheet, checked on import.

    `period` is the period's key (`2026-11`) and `subject` who fills it in (an enterprise's credit
    code); the labels are what people read (`2026年11月`, the enterprise's name).
    """

    period: str = ""
    period_label: str = ""
    subject: str = ""
    subject_label: str = ""

    def meta_rows(self) -> list[tuple]:
        return [(name, getattr(self, name)) for name in ("period", "period_label", "subject", "subject_label")
                if getattr(self, name)]

    def describe(self) -> str:
        """`报告期：2026年11月　填报单位：宁波…有限公司 (91330203…)` for the sheets' third row."""
        parts = []
        if self.period_label or self.period:
            parts.append(_("Period: %(period)s") % {"period": self.period_label or self.period})
        if self.subject_label or self.subject:
            parts.append(_("Filled in by: %(subject)s") % {"subject": _subject_text(self.subject_label, self.subject)})
        return "　".join(parts)


def _subject_text(label, code) -> str:
    label, code = str(label or ""), str(code or "")
    return f"{label} ({code})" if label and code and label != code else label or code


def meta_rows(*, version, kind: str, target: TemplateTarget | None = None, fields=()) -> list[tuple]:
    """Rows of the very hidden sheet: what definition, version and layout the file was made for, and
    (a template made for someone) for whom, which period and with which single answers."""
    rows = [("key", version.definition.key), ("version", version.number), ("checksum", version.checksum),
            ("layout", kind), ("lang", get_language() or ""), ("title", localized(version.document, "title"))]
    if fields:
        rows.append(("fields", " ".join(fields)))
    if target is not None:
        rows += target.meta_rows()
    return rows


def meta_read(workbook) -> dict:
    if META_SHEET not in workbook.sheetnames:
        return {}
    meta = {}
    for row in workbook[META_SHEET].iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        if row and row[0]:
            meta[str(row[0])] = row[1] if len(row) > 1 else None
    return meta


def meta_fields(meta: dict) -> tuple:
    """The single answers a template holds (`fields` of `meta_rows`)."""
    return tuple(str(meta.get("fields") or "").split())


def _meta_text(value) -> str:
    """A `_meta` value as written: a spreadsheet that saved the file again may turn 1 into 1.0, or a
    period text into a date."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m")
    return str(value).strip()


def meta_check(meta: dict, *, version, kind: str, target: TemplateTarget | None = None) -> None:
    """Refuse a file made for another definition, layout, version, period or subject, saying what differs.

    A template without a period or subject (a general template) is not checked for them.
    """
    title = localized(version.document, "title")
    if not meta.get("key"):
        raise ExcelRefused(_("Template mismatch: this file is not a template of “%(title)s”. Download the template "
                             "and fill it in.") % {"title": title}, code="wrong_template")
    other = _meta_text(meta.get("title")) or _meta_text(meta["key"])
    if _meta_text(meta["key"]) != version.definition.key:
        if other == title:
            raise ExcelRefused(_("Template mismatch: this file is the template of another form with the same title "
                                 "“%(title)s” (form %(other_key)s, not %(key)s). Download the template again.") % {
                "title": title, "other_key": _meta_text(meta["key"]), "key": version.definition.key},
                code="wrong_template")
        raise ExcelRefused(_("Template mismatch: this file is the template of “%(other)s”, not of “%(title)s”.")
                           % {"other": other, "title": title}, code="wrong_template")
    layout = _meta_text(meta.get("layout"))
    if layout != kind:
        raise ExcelRefused(_("Template mismatch: this file is a batch import file, not the template of one report.")
                           if layout == BATCH_LAYOUT else
                           _("Template mismatch: this file is the template of one report, not a batch import file."),
                           code="wrong_template")
    number = _meta_text(meta.get("version"))
    if number != str(version.number):
        raise ExcelRefused(_("Template mismatch: this file is the template of “%(other)s” version %(number)s; "
                             "download the template of version %(current)s.") % {
            "other": other, "number": number or "?", "current": version.number}, code="wrong_version")
    if _meta_text(meta.get("checksum")) != version.checksum:
        raise ExcelRefused(_("Template mismatch: version %(number)s of “%(title)s” was changed after this file was "
                             "made; download the template again.") % {"number": number, "title": title},
                           code="wrong_version")
    if target is None:
        return
    differences, code = [], ""
    file_subject = _meta_text(meta.get("subject"))
    if target.subject and file_subject and file_subject != target.subject:
        code = "wrong_subject"
        differences.append(_("it was made for %(other)s, not for %(subject)s") % {
            "other": _subject_text(_meta_text(meta.get("subject_label")), file_subject),
            "subject": _subject_text(target.subject_label, target.subject)})
    file_period = _meta_text(meta.get("period"))
    if target.period and file_period and file_period != target.period:
        code = code or "wrong_period"
        differences.append(_("it is the template of %(other)s, but the month chosen for the import is %(period)s "
                             "(choose %(other)s, or download the template of %(period)s)") % {
            "other": _meta_text(meta.get("period_label")) or file_period,
            "period": target.period_label or target.period})
    if differences:
        raise ExcelRefused(_("Template mismatch: %(differences)s.") % {
            "differences": pgettext("list separator", "; ").join(differences)}, code=code)
