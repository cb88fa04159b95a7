"""`formdef check` refuses an `analytics` block whose grid, columns or rows do not exist (with the JSON path)."""
import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from formdefs.engine import definition_check

from .conftest import DEFINITIONS

GRID = {"id": "ind", "type": "indicator_grid", "label": "指标",
        "columns": [{"id": "month", "label": "本月"}, {"id": "ytd", "label": "累计"},
                    {"id": "growth", "label": "增长", "expr": "has(row.ytd) ? row.ytd : null"}],
        "rows": [{"id": "revenue", "label": "收入", "unit": "万元"}, {"id": "profit", "label": "利润", "unit": "万元"}]}
BASE = {"id": "with_analytics", "version": 1, "kind": "report", "title": "测试",
        "steps": [{"id": "s", "title": "一", "sections": [{"id": "sec", "fields": [
            GRID, {"id": "products", "type": "table", "label": "产品", "columns": [{"id": "name", "label": "名称"}]},
            {"id": "note", "type": "text", "label": "说明"}]}]}],
        "analytics": {"grid": "ind", "columns": {"month": "month", "ytd": "ytd"}, "profit_row": "profit",
                      "products": "products", "default_indicators": {"summary": ["revenue", "profit"]}}}


def changed(**block):
    doc = copy.deepcopy(BASE)
    doc["analytics"].update(block)
    return doc


def test_a_block_naming_existing_parts_passes():
    assert definition_check(BASE) == []


@pytest.mark.parametrize("block, path, message", [
    ({"grid": "nope"}, "$.analytics.grid", "no field 'nope'"),
    ({"grid": "note"}, "$.analytics.grid", "field 'note' is a text, not an indicator_grid"),
    ({"columns": {"month": "month", "ytd": "total"}}, "$.analytics.columns.ytd", "no column 'total' in grid 'ind'"),
    ({"columns": {"ytd": "growth"}}, "$.analytics.columns.ytd", "column 'growth' of grid 'ind' is computed"),
    ({"columns": {"month": "month", "ytd": "month"}}, "$.analytics.columns.ytd", "already has the role 'month'"),
    ({"profit_row": "net"}, "$.analytics.profit_row", "no row 'net' in grid 'ind'"),
    ({"products": "note"}, "$.analytics.products", "field 'note' is a text, not a table"),
    ({"default_indicators": {"detail": ["revenue", "cost"]}}, "$.analytics.default_indicators.detail[1]",
     "no row 'cost' in grid 'ind'"),
    ({"columns": {"total": "ytd"}}, "$.analytics.columns", "total"),  # not a role: the meta-schema refuses it
])
def test_broken_blocks_are_refused_with_their_path(block, path, message):
    problems = definition_check(changed(**block))
    assert any(p.path == path and message in p.message for p in problems), problems


def test_only_a_report_carries_the_block():
    doc = copy.deepcopy(BASE)
    doc["kind"] = "questionnaire"
    assert [str(p) for p in definition_check(doc)] == ['$.analytics: only a report (kind "report") has an analytics block']


def test_formdef_check_command_names_the_path(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(changed(columns={"ytd": "total"}), ensure_ascii=False), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("formdef", "check", str(path), stdout=out)
    assert f"{path}: $.analytics.columns.ytd: no column 'total' in grid 'ind'" in out.getvalue()


@pytest.mark.parametrize("name", ["sme_monthly_report", "software_monthly_report"])
def test_shipped_reports_have_a_valid_block(name):
    document = json.loads((DEFINITIONS / f"{name}.json").read_text(encoding="utf-8"))
    assert document["analytics"]["grid"] and definition_check(document) == []
