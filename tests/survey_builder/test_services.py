"""The designer's services step by step, enabling, immutability, copy, delete, stop, distribute, permissions."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from formdefs.enums import VersionStatus
from formdefs.models import FormDefinition, FormVersion
from formdefs.selectors import version_current
from formdefs.services import DefinitionInvalid, formdef_version_save
from survey_builder import design as d
from survey_builder import selectors, services
from survey_builder.enums import QuestionnaireStatus, QuestionnaireTarget, QuestionType
from survey_builder.models import Questionnaire, QuestionnaireDistribution

from .builders import EVERY_TYPE, add_questions, enabled, option_ids, qid, texts_for, theme

pytestmark = pytest.mark.django_db


# -- step 1 -------------------------------------------------------------------------------------------

def test_create_makes_a_numbered_draft_with_its_own_definition(designer):
    first = services.questionnaire_create(actor=designer, theme=theme())
    second = services.questionnaire_create(actor=designer, theme=theme(title="第二份"))
    assert first.status == QuestionnaireStatus.DRAFT and first.created_by == designer
    assert int(second.code) == int(first.code) + 1
    assert first.definition.key == f"questionnaire_{first.code}" and first.definition.kind == "questionnaire"
    assert not first.definition.versions.exists()


@pytest.mark.parametrize("overrides, field", [
    ({"title": "问" * 51}, "title"),
    ({"description": ""}, "description"),
    ({"description": "述" * 4001}, "description"),
    ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on"),
    ({"target": QuestionnaireTarget.SECTIONS, "sections": []}, "sections"),
    ({"sizes": ["giant"]}, "sizes"),
])
def test_theme_is_checked(designer, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.questionnaire_create(actor=designer, theme=theme(**overrides))
    assert field in exc.value.message_dict


def test_chosen_regions_must_lie_in_the_designers_region(designer):
    from regions.selectors import region_by_code

    hangzhou = region_by_code("330100", level=2)
    with pytest.raises(ValidationError):
        services.questionnaire_create(actor=designer, theme=theme(regions=[hangzhou]))
    haishu = region_by_code("330203", level=3)
    questionnaire = services.questionnaire_create(actor=designer, theme=theme(regions=[haishu]))
    assert list(questionnaire.target_regions.all()) == [haishu]


def test_theme_update_saves_the_draft(designer):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    services.questionnaire_theme_update(questionnaire=questionnaire, actor=designer,
                                        theme=theme(title="改名", frequency="quarterly", mandatory=False,
                                                    target=QuestionnaireTarget.SECTIONS, sections=["C", "I"], sizes=["small"]))
    questionnaire.refresh_from_db()
    assert (questionnaire.title, questionnaire.frequency, questionnaire.mandatory) == ("改名", "quarterly", False)
    assert questionnaire.target_sections == ["C", "I"] and questionnaire.target_sizes == ["small"]
    assert FormDefinition.objects.get(pk=questionnaire.definition_id).title == "改名"


# -- permissions ---------------------------------------------------------------------------------------

def test_only_administrators_with_the_survey_permission_design(designer, enterprises):
    from django.contrib.auth.models import Group

    from accounts.enums import ADMIN_GROUP_NAME

    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=enterprises["com_demo01"].filler, theme=theme())
    assert selectors.survey_allowed(designer)
    designer.groups.remove(Group.objects.get(name=ADMIN_GROUP_NAME))
    designer = type(designer).objects.get(pk=designer.pk)  # drop the permission cache
    assert not selectors.survey_allowed(designer)
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(actor=designer, theme=theme())


def test_only_the_maker_changes_a_draft_and_others_do_not_see_it(designer, admins):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    other = admins["sme_zhejiang"]
    with pytest.raises(PermissionDenied):
        services.questionnaire_questions_edit(questionnaire=questionnaire, actor=other, data={}, op="add:single")
    with pytest.raises(PermissionDenied):
        services.questionnaire_delete(questionnaire=questionnaire, actor=other)
    scope = selectors.survey_scope(other)
    assert not selectors.questionnaires_visible(user=other, scope=scope).filter(pk=questionnaire.pk).exists()


# -- steps 2 to 5 --------------------------------------------------------------------------------------

def test_step_services_edit_and_save_the_design(designer):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.FILL],
                                  texts={1: "本月是否招工", 2: "招工渠道", 3: "招工人数"})
    questionnaire.refresh_from_db()
    assert [q["text"] for q in questionnaire.design["questions"]] == ["本月是否招工", "招工渠道", "招工人数"]
    q1, q3 = qid(questionnaire, 1), qid(questionnaire, 3)
    o1, o2 = option_ids(questionnaire, 1)
    services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: "end"}})
    with pytest.raises(d.DesignError):
        services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: ""}})
    services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={
        q1: {"required": True, "message": "请回答是否招工"}, q3: {"kind": "number", "minimum": "0", "maximum": "10000"}})
    with pytest.raises(d.DesignError):
        services.questionnaire_validation_set(questionnaire=questionnaire, actor=designer, raw={q3: {"kind": "number", "minimum": "9", "maximum": "1"}})
    services.questionnaire_layout_set(questionnaire=questionnaire, actor=designer, numbering=False, per_row={q1: 2})
    questionnaire.refresh_from_db()
    first = questionnaire.design["questions"][0]
    assert first["branches"] == {o1: q3, o2: "end"} and first["validation"]["required"] and first["per_row"] == 2
    assert questionnaire.design["numbering"] is False
    assert questionnaire.design["questions"][2]["validation"] == {"kind": "number", "minimum": 0, "maximum": 10000}


def test_an_edit_that_breaks_a_branch_drops_it_and_says_which(designer):
    questionnaire = add_questions(services.questionnaire_create(actor=designer, theme=theme()), designer,
                                  [QuestionType.SINGLE, QuestionType.FILL, QuestionType.ESSAY])
    q1, q2, q3 = (qid(questionnaire, n) for n in (1, 2, 3))
    o1, o2 = option_ids(questionnaire, 1)
    questionnaire = services.questionnaire_branches_set(questionnaire=questionnaire, actor=designer, chosen={q1: {o1: q3, o2: q2}})
    questionnaire, dropped = services.questionnaire_questions_edit(questionnaire=questionnaire, actor=designer,
                                                                   data=texts_for(questionnaire.design), op=f"delete:{q3}")
    assert questionnaire.design["questions"][0]["branches"] == {o2: q2}
    assert len(dropped) == 1 and "Q1" in dropped[0]
    with pytest.raises(services.QuestionnaireRefused) as exc:
        services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    assert any("Q1" in m for m in exc.value.messages)


# -- enabling and immutability ---------------------------------------------------------------------------

def test_enable_publishes_an_immutable_definition_of_every_type(designer, tmp_path, capsys):
    questionnaire = enabled(designer)
    assert questionnaire.status == QuestionnaireStatus.ACTIVE and questionnaire.enabled_at
    version = version_current(key=questionnaire.definition.key)
    assert version.status == VersionStatus.PUBLISHED
    fields = version.document["steps"][0]["sections"][0]["fields"]
    assert len(fields) == len(EVERY_TYPE)
    # the produced JSON passes `manage.py formdef check`
    path = tmp_path / "questionnaire.json"
    path.write_text(json.dumps(version.document, ensure_ascii=False), encoding="utf-8")
    call_command("formdef", "check", str(path))
    assert "ok" in capsys.readouterr().out
    # nothing changes it any more
    for call in (
        lambda: services.questionnaire_questions_edit(questionnaire=questionnaire, actor=designer, data={}, op="add:single"),
        lambda: services.questionnaire_theme_update(questionnaire=questionnaire, actor=designer, theme=theme(title="改")),
        lambda: services.questionnaire_layout_set(questionnaire=questionnaire, actor=designer, numbering=False, per_row={}),
        lambda: services.questionnaire_delete(questionnaire=questionnaire, actor=designer),
    ):
        with pytest.raises((PermissionDenied, services.QuestionnaireRefused)):
            call()
    changed = dict(version.document, title="改过")
    with pytest.raises(DefinitionInvalid):
        formdef_version_save(document=changed)
    with pytest.raises(services.QuestionnaireRefused):
        services.questionnaire_enable(questionnaire=questionnaire, actor=designer)


def test_enable_refuses_an_empty_or_unfinished_design(designer):
    questionnaire = services.questionnaire_create(actor=designer, theme=theme())
    with pytest.raises(services.QuestionnaireRefused):
        services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    questionnaire = add_questions(questionnaire, designer, [QuestionType.SINGLE_OTHER])
    data = texts_for(questionnaire.design)
    data.pop(next(k for k in data if "-specify-" in k))
    questionnaire, _ = services.questionnaire_questions_edit(questionnaire=questionnaire, actor=designer, data=data)
    with pytest.raises(services.QuestionnaireRefused):
        services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    assert Questionnaire.objects.get(pk=questionnaire.pk).status == QuestionnaireStatus.DRAFT


def test_preview_saves_a_draft_version_that_follows_the_design(designer):
    questionnaire = add_questions(services.questionnaire_create(actor=designer, theme=theme()), designer, [QuestionType.SINGLE])
    version = services.questionnaire_preview_version(questionnaire=questionnaire, actor=designer)
    assert version.status == VersionStatus.DRAFT and len(version.document["steps"][0]["sections"][0]["fields"]) == 1
    questionnaire = add_questions(questionnaire, designer, [QuestionType.FILL])
    again = services.questionnaire_preview_version(questionnaire=questionnaire, actor=designer)
    assert again.pk == version.pk and len(again.document["steps"][0]["sections"][0]["fields"]) == 2
    services.questionnaire_enable(questionnaire=questionnaire, actor=designer)
    published = services.questionnaire_preview_version(questionnaire=Questionnaire.objects.get(pk=questionnaire.pk), actor=designer)
    assert published.pk == version.pk and published.status == VersionStatus.PUBLISHED


# -- copy, delete, stop, distribute ------------------------------------------------------------------------

def test_copy_makes_an_editable_draft_with_the_same_questions(designer, admins):
    original = enabled(designer, types=[QuestionType.SINGLE, QuestionType.MATRIX_FILL])
    twin = services.questionnaire_copy(questionnaire=original, actor=designer)
    assert twin.status == QuestionnaireStatus.DRAFT and twin.code != original.code and twin.definition != original.definition
    assert twin.design["questions"] == original.design["questions"] and twin.title.endswith(original.title)
    services.questionnaire_questions_edit(questionnaire=twin, actor=designer, data=texts_for(twin.design), op="add:essay")
    original.refresh_from_db()
    assert len(original.design["questions"]) == 2  # the original does not change


def test_copy_of_the_shipped_questionnaire_rebuilds_its_questions(designer, monthly):
    shipped = monthly[1]
    twin = services.questionnaire_copy(questionnaire=shipped, actor=designer)
    assert len(twin.design["questions"]) == 11 and twin.design["questions"][0]["type"] == QuestionType.SINGLE
    twin = services.questionnaire_enable(questionnaire=twin, actor=designer)
    assert twin.status == QuestionnaireStatus.ACTIVE


def test_delete_removes_a_draft_and_its_definition(designer):
    questionnaire = add_questions(services.questionnaire_create(actor=designer, theme=theme()), designer, [QuestionType.SINGLE])
    services.questionnaire_preview_version(questionnaire=questionnaire, actor=designer)
    key = questionnaire.definition.key
    services.questionnaire_delete(questionnaire=questionnaire, actor=designer)
    assert not Questionnaire.objects.filter(pk=questionnaire.pk).exists()
    assert not FormDefinition.objects.filter(key=key).exists() and not FormVersion.objects.filter(definition__key=key).exists()


def test_stop_ends_an_active_questionnaire(designer, enterprises, period):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE])
    enterprise = enterprises["com_demo01"]
    assert questionnaire in selectors.questionnaires_applicable(enterprise=enterprise, period=period)
    services.questionnaire_stop(questionnaire=questionnaire, actor=designer)
    assert questionnaire not in selectors.questionnaires_applicable(enterprise=enterprise, period=period)
    with pytest.raises(services.QuestionnaireRefused):
        services.questionnaire_stop(questionnaire=questionnaire, actor=designer)


def test_distribute_makes_it_visible_to_chosen_subordinates_only(designer, admins, demo_core):
    questionnaire = enabled(designer, types=[QuestionType.SINGLE])
    haishu = demo_core["sme_haishu"]
    assert not selectors.questionnaires_visible(user=haishu.user, scope=selectors.survey_scope(haishu.user)).filter(pk=questionnaire.pk).exists()
    assert services.questionnaire_distribute(questionnaire=questionnaire, actor=designer, administrators=[haishu]) == 1
    assert services.questionnaire_distribute(questionnaire=questionnaire, actor=designer, administrators=[haishu]) == 0
    assert selectors.questionnaires_visible(user=haishu.user, scope=selectors.survey_scope(haishu.user)).filter(pk=questionnaire.pk).exists()
    with pytest.raises(PermissionDenied):  # the province is not below Ningbo
        services.questionnaire_distribute(questionnaire=questionnaire, actor=designer, administrators=[demo_core["sme_zhejiang"]])
    # the province, above the maker, sees it anyway; the national administrator too
    for name in ("sme_zhejiang", "sme_admin"):
        user = admins[name]
        assert selectors.questionnaires_visible(user=user, scope=selectors.survey_scope(user)).filter(pk=questionnaire.pk).exists()
    draft = services.questionnaire_create(actor=designer, theme=theme())
    with pytest.raises(services.QuestionnaireRefused):
        services.questionnaire_distribute(questionnaire=draft, actor=designer, administrators=[haishu])
    assert QuestionnaireDistribution.objects.count() == 1


def test_list_filters(designer, admins, monthly):
    active = enabled(designer, types=[QuestionType.SINGLE], title="月度必填")
    optional = services.questionnaire_create(actor=designer, theme=theme(title="季度选填", frequency="quarterly", mandatory=False))

    def titles(**filters):
        return {q.title for q in selectors.questionnaire_list(user=designer, **filters)}

    assert {"月度必填", "季度选填", monthly[1].title} <= titles()
    assert titles(mine=True) == {"月度必填", "季度选填"}
    assert titles(frequency="quarterly") == {"季度选填"}
    assert titles(frequency="optional") == {"季度选填"}
    assert "季度选填" not in titles(frequency="mandatory")
    assert titles(status="draft") == {"季度选填"}
    assert titles(status="active", mine=True) == {active.title}
    far = datetime.date(2099, 1, 1)
    assert titles(date_from=far) == {monthly[1].title} or titles(date_from=far) == set()
    assert titles(title="季度") == {"季度选填"}
    assert optional.pk
