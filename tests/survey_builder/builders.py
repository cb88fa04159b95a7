"""Questionnaires built the way an administrator builds them: through the designer's services."""
import datetime
from zoneinfo import ZoneInfo

import time_machine

from survey_builder import services
from survey_builder.enums import QuestionType

EVERY_TYPE = [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.FILL, QuestionType.ESSAY, QuestionType.MATRIX_SINGLE,
              QuestionType.MATRIX_MULTIPLE, QuestionType.MATRIX_FILL, QuestionType.SINGLE_OTHER, QuestionType.MULTIPLE_OTHER]


def theme(**overrides) -> services.ThemeData:
    today = datetime.date.today()
    values = dict(title="企业用工情况调查", description="了解企业用工和招工情况。", frequency="monthly", mandatory=True,
                  starts_on=datetime.date(today.year - 2, 1, 1), ends_on=datetime.date(today.year + 2, 12, 31))
    values.update(overrides)
    return services.ThemeData(**values)


def texts_for(design: dict) -> dict:
    """Step 2's posted texts that keep the design as it is."""
    data = {}
    for question in design["questions"]:
        data[f"q-{question['id']}-text"] = question["text"]
        for kind in ("options", "rows"):
            for item in question.get(kind, []):
                data[f"q-{question['id']}-{kind}-{item['id']}"] = item["label"]
        for option in question.get("options", []):
            if option.get("specify"):
                data[f"q-{question['id']}-specify-{option['id']}"] = "on"
    return data


def add_questions(questionnaire, actor, types, texts=None):
    """Add questions of `types` (step 2's type buttons), then name them (`texts`: question text per position)."""
    for qtype in types:
        questionnaire, _dropped = services.questionnaire_questions_edit(questionnaire=questionnaire, actor=actor,
                                                                        data=texts_for(questionnaire.design), op=f"add:{qtype}")
    data = texts_for(questionnaire.design)
    for number, question in enumerate(questionnaire.design["questions"], 1):
        data[f"q-{question['id']}-text"] = (texts or {}).get(number, f"问题{number}")
        for kind, word in (("options", "选项"), ("rows", "行")):  # new options and rows start empty (placeholders)
            for n, item in enumerate(question.get(kind, []), 1):
                data[f"q-{question['id']}-{kind}-{item['id']}"] = item["label"] or f"{word}{n}"
    questionnaire, _dropped = services.questionnaire_questions_edit(questionnaire=questionnaire, actor=actor, data=data)
    return questionnaire


def qid(questionnaire, number: int) -> str:
    return questionnaire.design["questions"][number - 1]["id"]


def option_ids(questionnaire, number: int) -> list[str]:
    return [o["id"] for o in questionnaire.design["questions"][number - 1]["options"]]


def enabled(actor, types=EVERY_TYPE, *, on: datetime.date | datetime.datetime | None = None, **theme_overrides):
    """A questionnaire of `types`, enabled today, or on the day `on` (10:00; a naive datetime is that
    moment), Shanghai time: it applies from the period being reported then on."""
    questionnaire = services.questionnaire_create(actor=actor, theme=theme(**theme_overrides))
    questionnaire = add_questions(questionnaire, actor, types)
    if on is None:
        return services.questionnaire_enable(questionnaire=questionnaire, actor=actor)
    moment = on if isinstance(on, datetime.datetime) else datetime.datetime.combine(on, datetime.time(10))
    with time_machine.travel(moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        return services.questionnaire_enable(questionnaire=questionnaire, actor=actor)
