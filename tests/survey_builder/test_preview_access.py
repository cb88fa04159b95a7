"""The engine's preview of a questionnaire's versions: only for those who see it in the designer list."""
import pytest
from django.urls import reverse

from accounts.services import administrator_create
from formdefs.selectors import version_previewable
from formdefs.views.preview import PREVIEW_SESSION_KEY
from regions.selectors import region_by_code
from survey_builder import services
from survey_builder.enums import QuestionType

from .builders import add_questions, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def hangzhou(admins, demo_core):
    """An administrator of another city of the same province (杭州市)."""
    parent = demo_core["sme_zhejiang"]
    return administrator_create(actor=parent.user, parent=parent, username="sme_hangzhou", password="Demo@2026sme",
                                mobile="13900000009", region=region_by_code("330100", level=2)).user


@pytest.fixture
def draft_version(designer):
    """sme_ningbo's draft questionnaire, saved as a draft version by the designer's 预览."""
    questionnaire = services.questionnaire_create(actor=designer, theme=theme(title="宁波草稿问卷"))
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE], texts={1: "本月是否招工"})
    return questionnaire, services.questionnaire_preview_version(questionnaire=questionnaire, actor=designer)


def status_codes(client, user, version) -> tuple[int, int]:
    """GET the preview and its done page (with a preview result in the session, so only access decides)."""
    client.force_login(user)
    session = client.session
    session[PREVIEW_SESSION_KEY] = {"version": version.pk, "answers": {}, "issues": []}
    session.save()
    return (client.get(reverse("formdefs:preview", args=[version.pk])).status_code,
            client.get(reverse("formdefs:preview-done", args=[version.pk])).status_code)


def test_owner_and_national_administrator_preview_a_draft(client, admins, designer, draft_version):
    _questionnaire, version = draft_version
    assert status_codes(client, designer, version) == (200, 200)
    assert status_codes(client, admins["sme_admin"], version) == (200, 200)


def test_other_administrators_get_404_on_a_draft(client, admins, hangzhou, draft_version):
    _questionnaire, version = draft_version
    assert status_codes(client, hangzhou, version) == (404, 404)
    # a draft is its maker's alone, in the designer list and here: the province above does not see it either
    assert status_codes(client, admins["sme_zhejiang"], version) == (404, 404)


def test_enterprise_user_gets_404(client, enterprises, draft_version):
    _questionnaire, version = draft_version
    assert status_codes(client, enterprises["com_demo01"].user, version) == (404, 404)


def test_anonymous_is_sent_to_login(client, draft_version):
    _questionnaire, version = draft_version
    for name in ("formdefs:preview", "formdefs:preview-done"):
        response = client.get(reverse(name, args=[version.pk]))
        assert response.status_code == 302 and "login" in response.url


def test_enabled_questionnaire_follows_the_designer_list(client, admins, designer, hangzhou, draft_version):
    questionnaire, version = draft_version
    services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    published = services.questionnaire_preview_version(questionnaire=questionnaire, actor=designer)
    # enabled: seen by the administrators above the maker, not by another city
    assert version_previewable(user=admins["sme_zhejiang"], version=published)
    assert not version_previewable(user=hangzhou, version=published)
    assert status_codes(client, hangzhou, published) == (404, 404)
