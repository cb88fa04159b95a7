"""Answers and statistics (查看, 分析): the raw-answer table and the per-question counts, region-scoped.

Both read the responses of enterprises inside the administrator's scope (`admin_scope`): a county
administrator counts its county's answers, the national one every answer. 回收份数 of a question counts
the responses to which it was shown: the engine decides again, on each response's own version, which
questions its answers hid (jumps, show-if conditions, pages). Excel exports use a write-only workbook;
every text is a text cell, never run as a formula; counts, shares and number answers are number cells.
"""
import io
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from accounts.selectors import AdminScope
from formdefs.engine import RuleContext, compile_document
from formdefs.engine.definition import localized
from formdefs.excel.layout import sheet_title
from formdefs.excel.safety import xlsx_row, xlsx_value
from formdefs.models import FormVersion
from formdefs.selectors import enterprise_profile, version_current
from formdefs.types import BAR, FIELD_TYPES, MATRIX, PIE, TEXT, display_text, field_type

from .models import Questionnaire, QuestionnaireResponse

#: The chart of each field type in the statistics (the type's own, `formdefs.types`); other types are left out.
CHART_OF = {name: kind.chart for name, kind in FIELD_TYPES.items() if kind.chart}
#: Texts listed on the page per question (the export has all of them).
TEXTS_SHOWN = 200
BOLD = Font(bold=True)
NUMBER_TYPES = ("integer", "decimal")
SHARE_FORMAT = "0.0%"


def questionnaire_version(questionnaire: Questionnaire) -> FormVersion | None:
    """The version whose questions the statistics show: the published one (or the newest any)."""
    return version_current(key=questionnaire.definition.key) or questionnaire.definition.versions.order_by("-number").first()


def questionnaire_fields(questionnaire: Questionnaire) -> list[dict]:
    version = questionnaire_version(questionnaire)
    if version is None:
        return []
    return [f for s in version.document.get("steps", []) for c in s.get("sections", []) for f in c.get("fields", [])
            if f["type"] in CHART_OF]


def responses_scoped(*, questionnaire: Questionnaire, scope: AdminScope, period=None, username: str = "") -> QuerySet:
    """The responses the administrator may see, newest first; `period` a month, `username` the answering user ID."""
    qs = QuestionnaireResponse.objects.filter(scope.region_q("enterprise__region_code"), questionnaire=questionnaire)
    if period is not None:
        qs = qs.filter(period=period)
    if username:
        qs = qs.filter(user__username__iexact=username.strip())
    return qs.order_by("-period", "-submitted_at", "-pk")


def response_periods(*, questionnaire: Questionnaire, scope: AdminScope) -> list:
    """The report months that have responses in scope, newest first."""
    return list(responses_scoped(questionnaire=questionnaire, scope=scope).order_by("-period")
                .values_list("period", flat=True).distinct())


# -- answers as text ------------------------------------------------------------------------------

def _labels(spec: dict) -> dict:
    return field_type(spec).chart_labels(spec)


def answer_text(spec: dict, answers: dict) -> str:
    """One question's answer as a person reads it: the field type's own text (`formdefs.types.display_text`)."""
    return display_text(spec, answers.get(spec["id"]), answers)


# -- 查看: the raw-answer table ----------------------------------------------------------------------

def raw_columns(questionnaire: Questionnaire) -> tuple[list[str], list[dict]]:
    fixed = [_("User ID"), _("Answered at"), _("Report month"), _("Enterprise name"), _("Region code"), _("Region"),
             _("Industry code"), _("Industry")]
    fields = questionnaire_fields(questionnaire)
    return fixed, fields


def raw_row(response: QuestionnaireResponse, fields: list[dict]) -> list:
    enterprise = response.enterprise
    user = response.user or enterprise.user
    return [user.username if user else "", f"{timezone.localtime(response.submitted_at):%Y-%m-%d %H:%M:%S}", f"{response.period:%Y-%m}",
            enterprise.name, enterprise.region_code, enterprise.region.full_name, enterprise.industry.full_code,
            enterprise.industry.path_names] + [answer_value(f, response.answers) for f in fields]


def answer_value(spec: dict, answers: dict):
    """What an export cell holds: a number answer as a number (an int when whole), any other as `answer_text`."""
    value = answers.get(spec["id"])
    if spec["type"] in NUMBER_TYPES and isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return answer_text(spec, answers)


def raw_queryset(qs: QuerySet) -> QuerySet:
    return qs.select_related("user", "enterprise__user", "enterprise__region__parent__parent",
                             "enterprise__industry__parent__parent__parent")


def raw_export(*, questionnaire: Questionnaire, responses: QuerySet) -> bytes:
    """The raw answers as an .xlsx, one row per response, every text a text cell (never a formula)."""
    fixed, fields = raw_columns(questionnaire)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(questionnaire.title, set()))
    sheet.append([_bold(sheet, h) for h in fixed + [f"Q{i}. {localized(f)}" for i, f in enumerate(fields, 1)]])
    for response in raw_queryset(responses).iterator(chunk_size=500):
        sheet.append(xlsx_row(sheet, raw_row(response, fields)))
    return _save(workbook)


# -- 分析: statistics ---------------------------------------------------------------------------------

@dataclass
class QuestionStats:
    """One question's statistics for one report month."""

    number: int
    spec: dict
    chart: str
    responses: int = 0  # 回收份数: responses of the month (in scope) to which this question was shown
    answered: int = 0  # responses that answer this question (branches may skip it)
    options: list = field(default_factory=list)  # [{"value", "label", "count"}]
    rows: list = field(default_factory=list)  # matrices: [{"label", "counts": [..per option..]}]
    texts: list = field(default_factory=list)  # fill-in and essay answers: [{"enterprise", "text"}]
    others: list = field(default_factory=list)  # "other, please specify" texts

    @property
    def label(self) -> str:
        return localized(self.spec)

    @property
    def is_choice(self) -> bool:
        return self.chart != TEXT

    def share(self, count: int) -> float | None:
        """`count` as a share of 回收份数 (None when nobody was shown the question)."""
        return count / self.responses if self.responses else None

    @property
    def option_rows(self) -> list[dict]:
        """The options with their count and share, for the page's table."""
        rows = []
        for option in self.options:
            share = self.share(option["count"])
            rows.append({**option, "share": share, "percent": None if share is None else round(share * 100, 1)})
        return rows

    def chart_data(self) -> dict:
        """What the page's ECharts script draws."""
        data = {"type": self.chart, "title": self.label, "options": [o["label"] for o in self.options]}
        if self.chart == MATRIX:
            data["rows"] = [r["label"] for r in self.rows]
            data["series"] = [{"name": o["label"], "data": [r["counts"][i] for r in self.rows]} for i, o in enumerate(self.options)]
        else:
            data["counts"] = [o["count"] for o in self.options]
            if self.summary:
                data["summary"] = self.summary
        return data

    @property
    def summary(self) -> dict:
        """The type's figures over the counts, {label: number} (a rating's mean and NPS score; else empty)."""
        if self.chart == MATRIX or not self.is_choice:
            return {}
        return field_type(self.spec).chart_summary(self.spec, {o["value"]: o["count"] for o in self.options})


def questionnaire_statistics(*, questionnaire: Questionnaire, scope: AdminScope, period) -> list[QuestionStats]:
    """Every question of the questionnaire with its counts for `period` (one pass over the month's responses)."""
    fields = questionnaire_fields(questionnaire)
    stats = []
    for number, spec in enumerate(fields, 1):
        item = QuestionStats(number=number, spec=spec, chart=CHART_OF[spec["type"]])
        labels = _labels(spec)
        item.options = [{"value": v, "label": label, "count": 0} for v, label in labels.items()]
        if item.chart == MATRIX:
            item.rows = [{"id": r["id"], "label": localized(r), "counts": [0] * len(labels)} for r in spec.get("rows", [])]
        stats.append(item)
    rows = (responses_scoped(questionnaire=questionnaire, scope=scope, period=period)
            .select_related("enterprise__industry").only("answers", "version_id", "enterprise__name", "enterprise__region_code",
                                                         "enterprise__size", "enterprise__is_listed", "enterprise__industry"))
    shown = _Shown(period)
    for response in rows.iterator(chunk_size=1000):
        answers = response.answers or {}
        hidden = shown.hidden(response)
        for item in stats:
            if item.spec["id"] in hidden:
                continue  # skipped by a jump, a condition or a hidden page: not among this question's 回收份数
            item.responses += 1
            _count(item, answers, response.enterprise.name)
    return stats


class _Shown:
    """Which questions each response was shown, decided by the engine on the response's own version."""

    def __init__(self, period):
        self.period = {"year": period.year, "month": period.month}
        self.forms: dict = {}

    def _form(self, version_id: int):
        if version_id not in self.forms:
            version = FormVersion.objects.only("document", "checksum").get(pk=version_id)
            compiled = compile_document(version.document, version.checksum or None)
            needs_enterprise = any("enterprise" in expr.roots for expr in compiled.conditions.values())
            fields = frozenset(compiled.index.field_by_id)
            self.forms[version_id] = (compiled, needs_enterprise, fields)
        return self.forms[version_id]

    def hidden(self, response) -> frozenset | set:
        compiled, needs_enterprise, fields = self._form(response.version_id)
        if not compiled.conditions and not any(f.get("branches") for f in compiled.index.fields):
            return _Absent(fields)
        context = RuleContext(enterprise=enterprise_profile(response.enterprise) if needs_enterprise else None, period=self.period)
        return _Absent(fields, compiled.hidden_nodes(response.answers or {}, context))


class _Absent:
    """Membership for "not shown": hidden by the engine, or not a question of the response's version at all."""

    def __init__(self, fields: frozenset, hidden: frozenset = frozenset()):
        self.fields, self.hidden_ids = fields, hidden

    def __contains__(self, fid) -> bool:
        return fid in self.hidden_ids or fid not in self.fields


def _count(item: QuestionStats, answers: dict, enterprise: str) -> None:
    spec = item.spec
    value = answers.get(spec["id"])
    if value is None or value == "" or value == [] or value == {}:
        return
    item.answered += 1
    position = {o["value"]: i for i, o in enumerate(item.options)}
    if item.chart in (PIE, BAR):
        chosen = value if isinstance(value, list) else [("true" if value else "false") if isinstance(value, bool) else str(value)]
        for v in chosen:
            if v in position:
                item.options[position[v]]["count"] += 1
        other = answers.get(f"{spec['id']}_other")
        if other:
            item.others.append({"enterprise": enterprise, "text": other})
    elif item.chart == MATRIX and isinstance(value, dict):
        for row in item.rows:
            cell = value.get(row["id"])
            for v in (cell if isinstance(cell, list) else [cell] if cell is not None else []):
                if v in position:
                    row["counts"][position[v]] += 1
    else:
        item.texts.append({"enterprise": enterprise, "text": answer_text(spec, answers), "value": answer_value(spec, answers)})


def statistics_export(*, questionnaire: Questionnaire, period, stats: list[QuestionStats]) -> bytes:
    """导出: one sheet with every choice question's table, one with the typed answers."""
    workbook = Workbook(write_only=True)
    taken: set = set()
    sheet = workbook.create_sheet(sheet_title(_("Statistics"), taken))
    sheet.append([_bold(sheet, questionnaire.title), xlsx_value(sheet, f"{period:%Y-%m}")])
    for item in stats:
        if not item.is_choice:
            continue
        sheet.append([])
        sheet.append([_bold(sheet, f"Q{item.number}. {item.label}")])
        if item.chart == MATRIX:
            sheet.append([_bold(sheet, "")] + [_bold(sheet, o["label"]) for o in item.options])
            for row in item.rows:
                sheet.append([xlsx_value(sheet, row["label"])] + row["counts"])
        else:
            sheet.append([_bold(sheet, _("Answer option")), _bold(sheet, _("Respondents")), _bold(sheet, pgettext("proportion", "Share"))])
            for option in item.options:
                sheet.append([xlsx_value(sheet, option["label"]), option["count"], _share(sheet, item.share(option["count"]))])
        sheet.append([xlsx_value(sheet, _("Responses collected")), item.responses])
    texts = workbook.create_sheet(sheet_title(_("Typed answers"), taken))
    texts.append([_bold(texts, _("Question")), _bold(texts, _("Enterprise name")), _bold(texts, _("Answer"))])
    for item in stats:
        for entry in item.texts + item.others:
            texts.append(xlsx_row(texts, (f"Q{item.number}. {item.label}", entry["enterprise"], entry.get("value", entry["text"]))))
    return _save(workbook)


def _share(sheet, value):
    """A share as a number cell shown as a percentage (empty when nobody was shown the question)."""
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = SHARE_FORMAT
    return cell


def _bold(sheet, value):
    return xlsx_value(sheet, value, font=BOLD)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
