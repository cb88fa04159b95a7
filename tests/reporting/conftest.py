"""Reports built through the real services: the monthly report type, a filler, periods, questionnaires."""
import datetime

import pytest


@pytest.fixture
def monthly_setup(demo_core):
    """The SME monthly report type and questionnaire 001, as seed_demo makes them."""
    from reporting.demo import _ensure_types

    report_type, questionnaire, _lines = _ensure_types()
    return report_type, questionnaire


@pytest.fixture
def report_type(monthly_setup):
    return monthly_setup[0]


@pytest.fixture
def filler(demo_core):
    from accounts.models import User

    return User.objects.get(username="com_demo01")


@pytest.fixture
def enterprise(filler):
    return filler.filled_enterprises.select_related("industry", "region").get()


@pytest.fixture
def period(report_type):
    from reporting.periods import period_current

    return period_current(report_type)


class Builder:
    """Build reports for a test: save (编辑), answer the questionnaire, submit, move along the tree."""

    def __init__(self, report_type, questionnaire):
        self.report_type, self.questionnaire = report_type, questionnaire

    def answers(self, enterprise, period, **kwargs):
        from reporting.demo import monthly_answers

        return monthly_answers(enterprise=enterprise, period=period, **kwargs)

    def save(self, enterprise, period, *, answers=None, actor=None, **kwargs):
        from reporting.services import report_save

        return report_save(report_type=self.report_type, enterprise=enterprise, period=period,
                           answers=answers or self.answers(enterprise, period), actor=actor or enterprise.filler, **kwargs)

    def answer_questionnaire(self, enterprise, period):
        import random

        from formdefs.selectors import version_current
        from reporting.demo import questionnaire_answers
        from survey_builder.services import questionnaire_response_store

        version = version_current(key=self.questionnaire.definition.key)
        return questionnaire_response_store(questionnaire=self.questionnaire, enterprise=enterprise, period=period,
                                            version=version, answers=questionnaire_answers(version, random.Random(1)),
                                            actor=enterprise.filler)

    def submitted(self, enterprise, period, **kwargs):
        from reporting.services import report_submit

        submission = self.save(enterprise, period, **kwargs)
        self.answer_questionnaire(enterprise, period)
        return report_submit(submission=submission, actor=enterprise.filler)

    def approved(self, enterprise, period, **kwargs):
        from workflow.services import submission_receive

        submission = self.submitted(enterprise, period, **kwargs)
        while submission.status == "pending":
            submission = submission_receive(submission=submission, actor=submission.holder.user)
        return submission


@pytest.fixture
def reports(monthly_setup):
    return Builder(*monthly_setup)


@pytest.fixture
def admins(demo_core):
    """{username: User} of the demo administrators."""
    return {name: profile.user for name, profile in demo_core.items()}


def months_back(period: datetime.date, n: int) -> datetime.date:
    from reporting.periods import month_add

    return month_add(period, -n)


@pytest.fixture
def make_report_type(report_type):
    """make_report_type(key, **fields) → a second report type on its own published definition (the monthly
    report's document under another key), as the back office's 报表类型 screen makes one."""
    import copy

    from formdefs.selectors import version_current
    from formdefs.services import formdef_publish_document
    from reporting.models import ReportType

    def make(key="pilot", **fields):
        document = copy.deepcopy(version_current(key=report_type.definition.key).document)
        document.update(id=f"{key}_report", title=fields.get("title", f"{key} 报表"), version=1, kind="report")
        definition = formdef_publish_document(document=document).definition
        return ReportType.objects.create(key=key, title=fields.pop("title", f"{key} 报表"), definition=definition, **fields)

    return make
