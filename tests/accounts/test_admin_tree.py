import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AdministratorProfile, User
from accounts.selectors import admin_scope
from accounts.services import administrator_create
from enterprises.models import Enterprise
from regions.selectors import region_by_code

pytestmark = pytest.mark.django_db
PASSWORD = "Xk9#mQ2pLw"


def _create(parent, username, mobile, code, level, **flags):
    return administrator_create(
        actor=parent.user, parent=parent, username=username, password=PASSWORD, mobile=mobile,
        region=region_by_code(code, level=level), **flags,
    )


def test_demo_chain(demo):
    assert demo["sme_haishu"].get_parent() == demo["sme_ningbo"]
    assert demo["sme_ningbo"].get_parent() == demo["sme_zhejiang"]
    assert demo["sme_zhejiang"].get_parent() == demo["sme_admin"]
    assert demo["sme_admin"].is_national and demo["sme_zhejiang"].can_skip_level
    assert User.objects.get(username="sme_haishu").groups.filter(name="地方管理员").exists()


def test_scope_regions_and_administrators(demo):
    jiangsu = _create(demo["sme_admin"], "sme_jiangsu", "13900000010", "320000", 1)
    zhejiang = admin_scope(demo["sme_zhejiang"].user)
    assert set(zhejiang.administrators().values_list("user__username", flat=True)) == {
        "sme_zhejiang", "sme_ningbo", "sme_haishu"
    }
    assert "sme_zhejiang" not in zhejiang.administrators(include_self=False).values_list("user__username", flat=True)
    assert zhejiang.regions().filter(code="330203").exists()
    assert not zhejiang.regions().filter(code="320102").exists()
    national = admin_scope(demo["sme_admin"].user)
    assert national.administrators().count() == 5 and national.regions().count() == 3351
    haishu = admin_scope(demo["sme_haishu"].user)
    assert list(haishu.administrators().values_list("user__username", flat=True)) == ["sme_haishu"]
    assert list(haishu.regions().values_list("code", flat=True)) == ["330203"]
    assert admin_scope(jiangsu.user).contains_region(region_by_code("320102"))
    assert not admin_scope(jiangsu.user).contains_region(region_by_code("330203"))


def test_scope_filters_enterprises_by_region(demo_core):
    def visible(username):
        scope = admin_scope(User.objects.get(username=username))
        return set(Enterprise.objects.filter(scope.region_q("region_code")).values_list("user__username", flat=True))

    assert visible("sme_admin") == {"com_demo01", "com_demo02", "com_demo03"}
    assert visible("sme_zhejiang") == {"com_demo01", "com_demo02", "com_demo03"}
    assert visible("sme_ningbo") == {"com_demo01", "com_demo02"}
    assert visible("sme_haishu") == {"com_demo01"}
    assert visible("com_demo01") == set()  # not an administrator: nothing


def test_non_administrators_have_an_empty_scope(demo):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), User.objects.get(username="com_demo01")):
        scope = admin_scope(user)
        assert scope.is_empty and not scope.regions().exists() and not scope.administrators().exists()
    inactive = demo["sme_haishu"].user
    inactive.is_active = False
    inactive.save()
    assert admin_scope(inactive).is_empty


def test_direct_reviewer_is_the_lowest_containing_administrator(demo_core):
    reviewers = dict(Enterprise.objects.values_list("user__username", "direct_reviewer__user__username"))
    assert reviewers == {"com_demo01": "sme_haishu", "com_demo02": "sme_ningbo", "com_demo03": "sme_zhejiang"}


def test_create_subordinate_rules(demo):
    ningbo = demo["sme_ningbo"]
    with pytest.raises(ValidationError) as exc:
        _create(ningbo, "sme_xihu", "13900000011", "330106", 3)  # Hangzhou, outside Ningbo
    assert "region" in exc.value.message_dict
    with pytest.raises(ValidationError):
        _create(ningbo, "sme_ningbo2", "13900000011", "330200", 2)  # not strictly inside
    with pytest.raises(ValidationError) as exc:
        _create(ningbo, "sme_jiangbei", "13900000011", "330205", 3, can_skip_level=True)
    assert "can_skip_level" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        administrator_create(
            actor=demo["sme_haishu"].user, parent=ningbo, username="sme_x", password=PASSWORD,
            mobile="13900000012", region=region_by_code("330205"),
        )
    with pytest.raises(ValidationError) as exc:
        _create(ningbo, "sme_jiangbei", "13900000001", "330205", 3)
    assert "mobile" in exc.value.message_dict
    assert not User.objects.filter(username__in=["sme_xihu", "sme_ningbo2", "sme_jiangbei", "sme_x"]).exists()
    created = _create(ningbo, "sme_jiangbei", "13900000011", "330205", 3, can_review_report=True)
    assert created.get_parent() == ningbo and created.created_by == ningbo.user
    assert AdministratorProfile.objects.get(user__username="sme_jiangbei").can_review_report


def test_only_one_national_root(demo):
    with pytest.raises(PermissionDenied):
        administrator_create(actor=demo["sme_admin"].user, parent=None, username="root2", password=PASSWORD, mobile="13900000099")


def test_seed_demo_is_idempotent(demo):
    from accounts.demo import seed_demo

    counts = (User.objects.count(), AdministratorProfile.objects.count(), Enterprise.objects.count())
    seed_demo()
    assert (User.objects.count(), AdministratorProfile.objects.count(), Enterprise.objects.count()) == counts


def test_seed_demo_runs_again_after_a_demo_enterprise_was_renamed(demo):
    """bin/run seeds at every start; a demo information change renames an enterprise in between."""
    from accounts.demo import seed_demo

    Enterprise.objects.filter(user__username="com_demo03").update(name="杭州西湖示范食品股份有限公司")
    counts = (User.objects.count(), Enterprise.objects.count())
    seed_demo()
    assert (User.objects.count(), Enterprise.objects.count()) == counts
