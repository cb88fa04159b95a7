"""Wagtail's list exports (every admin listing's XLSX / CSV buttons), as `exports.list_exports` sets them."""
import datetime

import pytest
from wagtail.admin.views.mixins import SpreadsheetExportMixin

XLSX, CSV = SpreadsheetExportMixin.FORMAT_XLSX, SpreadsheetExportMixin.FORMAT_CSV
MOMENT = datetime.datetime(2026, 11, 18, 20, 30, tzinfo=datetime.timezone.utc)


def value(v, export_format):
    return SpreadsheetExportMixin().preprocess_field_value("field", v, export_format)


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\n=1"])
def test_csv_text_that_a_spreadsheet_would_run_gets_the_prefix(text):
    assert value(text, CSV) == "'" + text
    assert value(text, XLSX) == text  # Wagtail's XLSX writer stores text cells as text


def test_times_are_local_and_other_values_as_wagtail_writes_them():
    assert value(MOMENT, CSV) == "2026-11-19 04:30"
    assert value(MOMENT, XLSX) == datetime.datetime(2026, 11, 19, 4, 30)
    assert value(datetime.date(2026, 11, 18), XLSX) == datetime.date(2026, 11, 18)
    assert [value(v, CSV) for v in (None, 5, "宁波", ["a", "b"])] == [None, 5, "宁波", "a, b"]
