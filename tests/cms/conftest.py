"""Fixtures for the content and document-library tests."""
import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Library files go to a temporary private root; Wagtail documents to a temporary media root."""
    settings.CMS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.CMS_PRIVATE_ROOT


@pytest.fixture
def content(db):
    from cms.content import content_structure_ensure, editor_permissions_ensure

    pages = content_structure_ensure()
    editor_permissions_ensure()
    return pages


@pytest.fixture
def admins(demo):
    return {name: profile.user for name, profile in demo.items()}


@pytest.fixture
def editor(content):
    from django.contrib.auth.models import Group

    from accounts.enums import EDITOR_GROUP_NAME
    from accounts.models import User

    user = User.objects.create_user(
        username="editor01", password="Demo@2026sme", mobile="13700000001", kind="editor", is_staff=True
    )
    user.groups.add(Group.objects.get(name=EDITOR_GROUP_NAME))
    return user


