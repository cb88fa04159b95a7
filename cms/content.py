"""Writes for the public content: the page structure under the home page and the editors' permissions."""
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from accounts.enums import EDITOR_GROUP_NAME

from .models import AnnouncementIndexPage, GlossaryPage, HomePage, NoticeIndexPage

# (model, title, slug) of the pages every installation has below the home page
STRUCTURE = [
    (NoticeIndexPage, "通知公告", "notices"),
    (AnnouncementIndexPage, "平台公告", "announcements"),
    (GlossaryPage, "指标解释", "glossary"),
]


@transaction.atomic
def content_structure_ensure() -> dict[str, object]:
    """Create (idempotently) the notice and announcement lists and the glossary below the home page."""
    home = HomePage.objects.first()
    if home is None:
        raise RuntimeError("The content home page is missing; run the migrations first.")
    if Collection.get_first_root_node() is None:  # a flushed test database loses it with the pages
        Collection.add_root(name="Root")
    pages = {}
    for model, title, slug in STRUCTURE:
        page = model.objects.first()
        if page is None:
            page = home.add_child(instance=model(title=title, slug=slug))
            page.save_revision().publish()
            home.refresh_from_db()
        pages[slug] = page
    return pages


@transaction.atomic
def editor_permissions_ensure() -> Group:
    """内容编辑: add, edit and publish pages below the home page; manage documents; edit service support."""
    group, _created = Group.objects.get_or_create(name=EDITOR_GROUP_NAME)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    group.permissions.add(Permission.objects.get(content_type__app_label="cms", codename="change_servicesupportsettings"))
    home = HomePage.objects.first()
    if home is not None:
        for codename in ("add_page", "change_page", "publish_page"):
            permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
    root = Collection.get_first_root_node()
    if root is not None:
        for codename in ("add_document", "change_document", "choose_document"):
            permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
    return group
