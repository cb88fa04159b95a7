"""Wagtail's list exports (the XLSX / CSV buttons of admin listings) in local time, safe in CSV.

Wagtail's `SpreadsheetExportMixin` writes an aware datetime as naive UTC in XLSX and as
"2026-11-30 20:30:00+00:00" in CSV, and writes CSV fields as they are (a name "=HYPERLINK(…)" runs
as a formula when the file is opened). `list_exports_localise()`, called once by
`ExportsConfig.ready`, sets the mixin's value preprocessing (its documented extension point,
`custom_value_preprocess`) for every listing: ours (企业注册信息审核, 监测企业信息管理) and
Wagtail's own reports (站点历史, 锁定的页面, 工作流, …), which we cannot subclass, and makes its CSV
row writer pass every field, after all preprocessing, through `escape_formula` (the one escape
function of the platform): a view's own `custom_field_preprocess` (Wagtail's workflow reports write
page titles through one) or list values cannot bypass it.
"""
import datetime

from django.utils import timezone
from django.utils.encoding import force_str
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from formdefs.excel import escape_formula

XLSX, CSV = SpreadsheetExportMixin.FORMAT_XLSX, SpreadsheetExportMixin.FORMAT_CSV
#: How a time reads in a CSV export (local time; what the screens show).
CSV_DATETIME = "%Y-%m-%d %H:%M"


def local_naive(value: datetime.datetime) -> datetime.datetime:
    """An aware datetime as Asia/Shanghai wall-clock time without tzinfo (what Excel can store)."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def csv_datetime(value: datetime.datetime) -> str:
    return f"{local_naive(value):{CSV_DATETIME}}"


def csv_field(value):
    """Any other value of a CSV export as Wagtail writes it (`force_str`), prefixed when it is a formula."""
    return escape_formula(force_str(value, strings_only=True))


def csv_row_escaped(self, writer, row_dict):
    """`SpreadsheetExportMixin.write_csv_row`, each field escaped after the view's preprocessing."""
    return writer.writerow({field: escape_formula(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                            for field, value in row_dict.items()})


def list_exports_localise() -> None:
    """Make every Wagtail list export write local times and CSV text that never runs as a formula.

    The first class that matches a value wins: datetime before Wagtail's own (date, time) entry,
    Wagtail's list entry kept, and `object` last for every other CSV value (XLSX text is already a
    text cell in Wagtail's writer).
    """
    wagtail_own = {classes: formats for classes, formats in SpreadsheetExportMixin.custom_value_preprocess.items()
                   if classes not in (datetime.datetime, object)}
    SpreadsheetExportMixin.custom_value_preprocess = {
        datetime.datetime: {XLSX: local_naive, CSV: csv_datetime},
        **wagtail_own,
        object: {CSV: csv_field},
    }
    SpreadsheetExportMixin.write_csv_row = csv_row_escaped
