"""分析: 回收份数 counts the responses a question was shown to, every question on one page (the per-question
view kept), matrix headers over their counts, numbers exported as numbers."""
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from formdefs.services import wizard_finish
from survey_builder import analysis, services
from survey_builder.enums import QuestionType
from survey_builder.models import QuestionnaireResponse
from survey_builder.owners import QuestionnaireOwner
from survey_builder.selectors import survey_scope
from survey_builder.xlsform import questionnaire_import_xlsform

from .builders import add_questions, enabled, option_ids, qid, theme
from .xlsforms import workbook

pytestmark = pytest.mark.django_db


def answer(questionnaire, enterprise, period, answers):
    owner = QuestionnaireOwner(user=enterprise.filler, enterprise=enterprise, questionnaire=questionnaire, period=period)
    wizard_finish(owner=owner, answers=answers, actor=enterprise.filler)
    return QuestionnaireResponse.objects.get(questionnaire=questionnaire, enterprise=enterprise, period=period)


def by_number(stats):
    return {s.spec["id"]: s for s in stats}


def test_responses_collected_counts_those_a_jump_did_not_skip(designer, enterprises, period):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE, QuestionType.FILL, QuestionType.ESSAY,
                                                            QuestionType.MULTIPLE])
    q1, q2, q3, q4 = (qid(questionnaire, n) for n in range(1, 5))
    o1, o2 = option_ids(questionnaire, 1)
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: "end"}})
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    answer(questionnaire, enterprises["com_demo01"], period, {q1: o1, q3: "理由", q4: ["o1"]})  # Q2 skipped
    answer(questionnaire, enterprises["com_demo02"], period, {q1: o2})  # ends after Q1
    stats = by_number(analysis.questionnaire_statistics(questionnaire=questionnaire, scope=survey_scope(designer), period=period))
    assert [stats[q].responses for q in (q1, q2, q3, q4)] == [2, 0, 1, 1]
    assert [o["share"] for o in stats[q1].option_rows] == [0.5, 0.5]


def test_responses_collected_follow_show_if_conditions_and_hidden_pages(designer, enterprises, period):
    questionnaire, _notices = questionnaire_import_xlsform(actor=designer, content=workbook(), filename="m.xlsx")
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    grid = {"orders": "up", "prices": "same"}
    answer(questionnaire, enterprises["com_demo01"], period, {"q1": "fair", "q2": ["cash"], "staff": 20, "sales": 9, "grid": grid})
    answer(questionnaire, enterprises["com_demo02"], period, {"q1": "good", "staff": 3})  # q2 hidden, page 2 hidden
    stats = by_number(analysis.questionnaire_statistics(questionnaire=questionnaire, scope=survey_scope(designer), period=period))
    # sales shows only when 成本上升 was chosen; the page 经营细节 only for more than 10 employees
    assert {fid: s.responses for fid, s in stats.items()} == {"q1": 2, "q2": 1, "staff": 2, "sales": 0, "advice": 1,
                                                              "contact": 1, "grid": 1}
    assert stats["sales"].texts == [] and [o["percent"] for o in stats["sales"].option_rows] == []


def test_exports_write_numbers_as_numbers(designer, enterprises, period):
    questionnaire, _notices = questionnaire_import_xlsform(actor=designer, content=workbook(), filename="m.xlsx")
    questionnaire = services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    answer(questionnaire, enterprises["com_demo01"], period, {"q1": "bad", "q2": ["cost"], "staff": 50, "sales": 12.5,
                                                              "grid": {"orders": "up", "prices": "up"}})
    answer(questionnaire, enterprises["com_demo02"], period, {"q1": "good", "staff": 3})
    scope = survey_scope(designer)
    raw = load_workbook(io.BytesIO(analysis.raw_export(questionnaire=questionnaire, responses=analysis.responses_scoped(
        questionnaire=questionnaire, scope=scope, period=period)))).active
    header = [c.value for c in raw[1]]
    staff, sales = header.index("Q3. 期末从业人数"), header.index("Q4. 本月营业收入（万元）")
    cells = {r[0].value: r for r in raw.iter_rows(min_row=2)}
    assert cells["com_demo01"][staff].value == 50 and cells["com_demo01"][staff].data_type == "n"
    assert cells["com_demo01"][sales].value == 12.5 and cells["com_demo01"][sales].data_type == "n"
    stats = analysis.questionnaire_statistics(questionnaire=questionnaire, scope=scope, period=period)
    book = load_workbook(io.BytesIO(analysis.statistics_export(questionnaire=questionnaire, period=period, stats=stats)))
    rows = [list(r) for r in book.worksheets[0].iter_rows()]
    good = next(r for r in rows if r[0].value == "良好")
    assert (good[1].value, good[1].data_type) == (1, "n")
    assert (good[2].value, good[2].data_type, good[2].number_format) == (0.5, "n", "0.0%")
    typed = [list(r) for r in book.worksheets[1].iter_rows(min_row=2)]
    assert any(r[2].value == 12.5 and r[2].data_type == "n" for r in typed)


def test_all_questions_on_one_page_and_the_per_question_view(client, designer, enterprises, period):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE, QuestionType.MATRIX_SINGLE, QuestionType.FILL])
    ids = [q["id"] for q in questionnaire.design["questions"]]
    rows = [r["id"] for r in questionnaire.design["questions"][1]["rows"]]
    answer(questionnaire, enterprises["com_demo01"], period, {ids[0]: "o1", ids[1]: {r: "o2" for r in rows}, ids[2]: "说明"})
    client.force_login(designer)
    url = reverse("survey_admin:analyse", args=[questionnaire.pk])
    page = client.get(url).content.decode()
    sections = re.findall(r'data-testid="question-statistics" data-chart="(\w+)"', page)
    assert sections == ["pie", "matrix", "text"]  # every question, in order, on one page
    assert page.count('data-chart-source="sb-chart-') == 2 and 'id="sb-chart-1-data"' in page
    # the matrix table: one header cell over each column of counts, numbers aligned alike
    table = page[page.index('data-chart="matrix"'):]
    table = table[table.index("<table"):table.index("</table>")]
    head = re.findall(r"<th(?:\s[^>]*)?>", table[:table.index("</thead>")])
    first_row = table[table.index("<tbody>"):].split("</tr>")[0]
    assert len(head) == 1 + len(re.findall(r"<td", first_row)) and all('class="sb-num"' in h for h in head[1:])
    # the per-question view is kept: one choice question, previous / next
    single = client.get(url, {"q": 2}).content.decode()
    assert 'data-testid="statistics" data-chart="matrix"' in single and 'data-testid="prev-question"' in single
    assert 'data-testid="all-questions"' in single and 'data-testid="one-question"' in page
