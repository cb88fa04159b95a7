"""评分题 (`rating`), added through the field-type registry alone: stars 1–5 or NPS 0–10, an integer answer."""
import copy
import json

import pytest
from django.template.loader import render_to_string

from formdefs.engine import RuleContext, compile_document, definition_check
from formdefs.engine.checks import META_SCHEMA_PATH
from formdefs.excel.layout import NotAChoice, field_cell_offered, field_cell_read, field_cell_value, field_choices
from formdefs.forms.step_form import StepForm
from formdefs.types import FIELD_TYPES, display_text, field_type

from .test_field_types import form_for

STARS = {"id": "satisfaction", "type": "rating", "label": "总体满意度", "required": True, "low": "很不满意", "high": "非常满意"}
NPS = {"id": "recommend", "type": "rating", "label": "向同行推荐本平台的可能性", "scale": "nps"}
DOC = {"id": "rating_demo", "version": 1, "kind": "questionnaire", "title": "评分", "steps": [
    {"id": "s1", "title": "评分", "sections": [{"id": "sec", "fields": [STARS, NPS]}]}]}


@pytest.fixture(scope="module")
def rated():
    assert definition_check(DOC) == []
    return compile_document(DOC)


def _html(compiled) -> str:
    form = StepForm(compiled=compiled, step_id="s1", initial={"__answers__": {}})
    return "".join(render_to_string(item["template"], {"item": item}) for s in form.layout() for item in s["items"])


def test_the_meta_schema_takes_a_scale_of_stars_or_nps_and_nothing_else():
    for scale, ok in ((3, True), (10, True), ("nps", True), (11, False), (1, False), ("ten", False)):
        document = copy.deepcopy(DOC)
        document["steps"][0]["sections"][0]["fields"][0]["scale"] = scale
        assert (definition_check(document) == []) is ok, scale


def test_stars_and_nps_render_as_accessible_radio_buttons(rated):
    html = _html(rated)
    assert html.count('type="radio" name="satisfaction"') == 5 and html.count('type="radio" name="recommend"') == 11
    assert '<legend class="fd-legend">' in html and 'class="fd-rating-scale fd-rating-stars"' in html
    assert '<span class="fd-rating-star" aria-hidden="true">★</span><span class="fd-sr-only">4 / 5</span>' in html
    assert '<span class="fd-rating-value">10</span><span class="fd-sr-only">10</span>' in html
    assert '<span>很不满意</span><span>非常满意</span>' in html


def test_the_answer_is_an_integer_and_required_stars_are_required(rated):
    form = form_for(rated, {"satisfaction": "4", "recommend": "9"})
    assert form.is_valid(), form.errors
    assert form.answers == {"satisfaction": 4, "recommend": 9}
    missing = form_for(rated, {"recommend": "9"})
    assert not missing.is_valid() and "总体满意度" in str(missing.errors["satisfaction"])


def test_a_value_outside_the_scale_is_refused_naming_the_question(rated):
    result = rated.validate({"satisfaction": 6, "recommend": 11}, RuleContext())
    assert sorted(i.fields for i in result.errors) == [("recommend",), ("satisfaction",)]
    assert all(("总体满意度" in i.message) or ("向同行推荐" in i.message) for i in result.errors)
    assert rated.validate({"satisfaction": 5, "recommend": 0}, RuleContext()).errors == []


def test_display_text_reads_as_a_score_out_of_the_scale():
    assert display_text(STARS, 4, {}) == "4 / 5"
    assert display_text(NPS, 8, {}) == "8 / 10"
    assert display_text(STARS, None, {}) == ""


def test_the_excel_cell_is_an_integer_from_a_list():
    assert field_cell_offered(STARS)
    assert field_choices(STARS) == [(1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")]
    assert field_type(STARS).cell_number_format(STARS) == "integer" and field_cell_value(STARS, 4) == 4
    assert field_cell_read(STARS, "4") == 4 and field_cell_read(STARS, 3.0) == 3 and field_cell_read(STARS, None) is None
    for bad in (6, "4.5", "很好"):
        with pytest.raises((NotAChoice, ValueError)):
            field_cell_read(STARS, bad)


def test_the_facts_table_gets_the_number():
    assert field_type(STARS).numbers(STARS, 4) == [("", "", 4, "")]


def test_statistics_count_per_value_with_the_mean_and_the_nps_score():
    from survey_builder.analysis import CHART_OF, _labels

    assert CHART_OF["rating"] == "bar"
    assert list(_labels(STARS).items()) == [("1", "1（很不满意）"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5（非常满意）")]
    assert list(_labels(NPS)) == [str(v) for v in range(11)]
    rating = field_type("rating")
    assert rating.chart_summary(STARS, {"4": 1, "5": 1, "1": 0}) == {"平均分": 4.5}
    counts = {str(v): 0 for v in range(11)} | {"10": 2, "9": 1, "7": 1, "3": 1}  # 3 promoters, 1 detractor of 5
    assert rating.chart_summary(NPS, counts) == {"平均分": 7.8, "净推荐值": 40}


def test_the_questionnaire_designer_maps_its_rating_question_to_the_type_and_back():
    from survey_builder.design.document import DocumentMeta, design_from_document, document_build

    design = {"questions": [{"id": "q1", "type": "rating", "text": "总体满意度", "scale": "nps", "validation": {"required": True}}]}
    document = document_build(design, DocumentMeta(key="q_rating", title="评分问卷", description=""))
    field = document["steps"][0]["sections"][0]["fields"][0]
    assert field == {"id": "q1", "label": "总体满意度", "type": "rating", "scale": "nps", "required": True}
    assert definition_check(document) == []
    question = design_from_document(document)["questions"][0]
    assert question["type"] == "rating" and question["scale"] == "nps" and question["validation"] == {"required": True}


def test_every_registered_type_has_its_meta_schema_entry_and_every_listed_type_a_class():
    schema = json.loads(META_SCHEMA_PATH.read_text(encoding="utf-8"))
    listed = schema["$defs"]["field"]["properties"]["type"]["enum"]
    dispatched = {rule["if"]["properties"]["type"]["const"]: rule["then"]["$ref"] for rule in schema["$defs"]["field"]["allOf"]}
    assert sorted(listed) == sorted(FIELD_TYPES)
    for name, kind in FIELD_TYPES.items():
        assert dispatched[name] == f"#/$defs/{kind.meta_schema}" and kind.meta_schema in schema["$defs"], name


def test_the_engine_does_not_import_the_forms_layer():
    import subprocess
    import sys

    code = ("import sys; sys.path.insert(0, 'platform'); import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'config.settings'); from formdefs.engine import compile_document; "
            "import formdefs.engine.compiler, formdefs.engine.checks; print(any(m.startswith('formdefs.forms') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
