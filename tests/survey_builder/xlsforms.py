"""XLSForm workbooks written with openpyxl after the public XLSForm spec (https://xlsform.org), for the tests."""
import io

from openpyxl import Workbook

SURVEY_HEADER = ["type", "name", "label::Chinese (zh)", "label::English (en)", "hint::Chinese (zh)", "required",
                 "required_message::Chinese (zh)", "relevant", "constraint", "constraint_message::Chinese (zh)", "appearance"]
CHOICES_HEADER = ["list_name", "name", "label::Chinese (zh)", "label::English (en)"]

#: A monthly survey using what the platform can express: pages, selects with or_other, numbers with
#: bounds, texts, a table, and conditions with and / or / selected() / number comparisons.
SURVEY = [
    ["begin group", "basic", "基本情况", "Basics", None, None, None, None, None, None, "field-list"],
    ["select_one state", "q1", "本月企业总体生产经营状况", "Overall business this month", "与上月相比", "yes", "请选择经营状况", None, None, None, "columns-3"],
    ["select_multiple problem or_other", "q2", "当前面临的主要困难", "Main difficulties", None, None, None, "${q1} = 'bad' or ${q1} = 'fair'", "count-selected(.) <= 2", "最多选两项", None],
    ["integer", "staff", "期末从业人数", "Employees at month end", None, "yes", "请填写从业人数", None, ". >= 0 and . <= 100000", "请填写从业人数", None],
    ["end group", "basic", None, None, None, None, None, None, None, None, None],
    ["begin group", "more", "经营细节", "Details", None, None, None, "${staff} > 10", None, None, None],
    ["decimal", "sales", "本月营业收入（万元）", "Revenue (10k yuan)", None, None, None, "selected(${q2}, 'cost') and not(${q1} = 'good')", ". >= 0", None, None],
    ["text", "advice", "意见和建议", "Suggestions", None, None, None, None, "string-length(.) <= 300", None, "multiline"],
    ["text", "contact", "联系电话", "Phone", None, None, None, "${q1} != ''", "regex(., '^[0-9-]+$')", None, None],
    ["begin group", "grid", "各项指标与上月相比", "Compared with last month", None, None, None, None, None, None, "table-list"],
    ["select_one trend", "grid_orders", "订单", "Orders", None, "yes", None, None, None, None, None],
    ["select_one trend", "grid_prices", "价格", "Prices", None, "yes", None, None, None, None, None],
    ["end group", "grid", None, None, None, None, None, None, None, None, None],
    ["end group", "more", None, None, None, None, None, None, None, None, None],
]
CHOICES = [
    ["state", "good", "良好", "Good"], ["state", "fair", "一般", "Fair"], ["state", "bad", "不良", "Poor"],
    ["problem", "cost", "成本上升", "Rising costs"], ["problem", "orders", "订单不足", "Few orders"],
    ["problem", "cash", "资金紧张", "Short of cash"],
    ["trend", "up", "增加", "Up"], ["trend", "same", "持平", "Same"], ["trend", "down", "减少", "Down"],
]
SETTINGS = [["form_title", "form_id", "default_language"], ["中小企业月度经营调查", "sme_monthly", "Chinese (zh)"]]


def workbook(survey=None, choices=None, settings=None, *, survey_header=None, choices_header=None) -> bytes:
    """An .xlsx with the three XLSForm sheets (the rows above unless given)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [survey_header or SURVEY_HEADER] + (SURVEY if survey is None else survey):
        sheet.append(row)
    choices_sheet = book.create_sheet("choices")
    for row in [choices_header or CHOICES_HEADER] + (CHOICES if choices is None else choices):
        choices_sheet.append(row)
    settings_sheet = book.create_sheet("settings")
    for row in SETTINGS if settings is None else settings:
        settings_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
