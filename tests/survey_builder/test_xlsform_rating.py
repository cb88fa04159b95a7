"""评分题 in XLSForm: a `range` row (stars 1–N with appearance rating, NPS 0–10) becomes a rating question with
the names of its ends (carried in the hint's last line), exports back as the same range, and any other range
is refused naming its row and the `parameters` column."""
import io

import pytest
from django.utils import translation
from pyxform.xls2xform import convert

from formdefs.engine import definition_check
from survey_builder.services.designer import questionnaire_document
from survey_builder.xlsform import XLSFormRefused, questionnaire_export_xlsform, questionnaire_import_xlsform, xlsform_read

from .xlsforms import SURVEY_HEADER, workbook

pytestmark = pytest.mark.django_db

HEADER = SURVEY_HEADER + ["hint::English (en)", "parameters"]


def row(qtype, name, label, label_en=None, hint=None, appearance=None, parameters=None, hint_en=None, required=None):
    return [qtype, name, label, label_en, hint, required, None, None, None, None, appearance, hint_en, parameters]


RATINGS = [
    row("range", "satisfied", "对本次服务的满意度", "Satisfaction", "请打分\n1 = 很不满意 · 5 = 非常满意", "rating",
        "start=1 end=5 step=1", hint_en="1 = Very unhappy · 5 = Very happy", required="yes"),
    row("range", "recommend", "您向同行推荐本平台的可能性", "Would you recommend us", None, None, "start=0 end=10 step=1"),
]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_ranges_become_ratings_and_export_back_as_the_same_ranges(designer):
    first, notices = questionnaire_import_xlsform(actor=designer, content=workbook(RATINGS, survey_header=HEADER),
                                                  filename="评分.xlsx")
    stars, nps = first.design["questions"]
    assert notices == [] and stars["type"] == "rating" and nps["type"] == "rating"
    assert (stars["scale"], stars["low"], stars["high"], stars["low_en"], stars["high_en"], stars["hint"]) == (
        5, "很不满意", "非常满意", "Very unhappy", "Very happy", "请打分")
    assert stars["validation"] == {"required": True} and nps["scale"] == "nps" and "low" not in nps
    document = questionnaire_document(first)
    fields = {f["id"]: f for s in document["steps"] for c in s["sections"] for f in c["fields"]}
    assert (fields["satisfied"]["type"], fields["satisfied"]["scale"], fields["satisfied"]["high"]) == ("rating", 5, "非常满意")
    assert definition_check(document) == []

    exported = questionnaire_export_xlsform(questionnaire=first, actor=designer)
    xform = convert(xlsform=io.BytesIO(exported), file_type=".xlsx", warnings=[]).xform
    assert 'appearance="rating"' in xform and 'start="1"' in xform and 'end="5"' in xform and 'end="10"' in xform
    second, _notices = questionnaire_import_xlsform(actor=designer, content=exported, filename="again.xlsx")
    assert second.design == first.design


def test_a_range_that_is_not_a_rating_is_refused_naming_row_and_column(designer):
    for parameters in ("start=0 end=100 step=5", "start=2 end=5 step=1", "start=1 end=5 step=0.5", "from=1"):
        with pytest.raises(XLSFormRefused) as refused:
            xlsform_read(workbook([row("range", "score", "得分", parameters=parameters)], survey_header=HEADER))
        assert any("第2行，“parameters”列" in message for message in refused.value.messages), parameters


def test_the_statistics_page_shows_the_mean_and_the_nps_score(client, designer, enterprises, period):
    from django.urls import reverse

    from survey_builder import services

    from .test_statistics import answer

    questionnaire, _notices = questionnaire_import_xlsform(actor=designer, content=workbook(RATINGS, survey_header=HEADER),
                                                           filename="评分.xlsx")
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    answer(questionnaire, enterprises["com_demo01"], period, {"satisfied": 5, "recommend": 10})
    answer(questionnaire, enterprises["com_demo02"], period, {"satisfied": 4, "recommend": 3})
    client.force_login(designer)
    page = client.get(reverse("survey_admin:analyse", args=[questionnaire.pk])).content.decode()
    summaries = page.split('data-testid="stat-summary"')[1:]
    assert len(summaries) == 2
    assert "平均分：<strong>4.5</strong>" in summaries[0] and "净推荐值" not in summaries[0].split("</p>")[0]
    # NPS: one promoter (10) and one detractor (3) of two: 50 − 50 = 0; mean 6.5
    assert "平均分：<strong>6.5</strong>" in summaries[1] and "净推荐值：<strong>0</strong>" in summaries[1]
