"""Document library: every action, through the services and the admin views, and who may do what."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cms import selectors as sel
from cms import services
from cms.enums import LibrarySpace
from cms.models import LibraryFile, LibraryFileVersion, LibraryFolder, ShareGroup

from .cms_testutils import PDF, PNG, make_upload, read_response, text_upload

ORG, PERSONAL = LibrarySpace.ORGANISATION, LibrarySpace.PERSONAL
BULK = "/admin/bulk/cms/libraryfile/"


@pytest.fixture
def ningbo(admins):
    return admins["sme_ningbo"]


@pytest.fixture
def mine(ningbo):
    return services.library_root_ensure(actor=ningbo, space=PERSONAL)


@pytest.fixture
def org(ningbo):
    return services.library_root_ensure(actor=ningbo, space=ORG)


def upload(actor, folder, name="notes.txt", text="第一版\n"):
    return services.file_upload(actor=actor, folder=folder, upload=text_upload(name, text))


def refused(response) -> bool:
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def content_of(version: LibraryFileVersion) -> bytes:
    with version.blob.open("rb") as fh:
        return fh.read()


# ---------------------------------------------------------------- services


def test_roots_are_created_once_per_space_and_owner(admins, mine, org):
    assert services.library_root_ensure(actor=admins["sme_ningbo"], space=PERSONAL) == mine
    assert services.library_root_ensure(actor=admins["sme_haishu"], space=ORG) == org
    assert services.library_root_ensure(actor=admins["sme_haishu"], space=PERSONAL) != mine


def test_upload_stores_privately_with_metadata(ningbo, mine, private_root):
    file = upload(ningbo, mine)
    version = file.versions.get()
    assert version.number == 1 and version.size == len("第一版\n".encode()) and len(version.sha256) == 64
    assert str(private_root) in version.blob.path and "notes" not in version.blob.name
    with pytest.raises(ValueError):
        version.blob.url


def test_upload_refuses_large_wrong_and_disguised_files(ningbo, mine, settings):
    for name, data in [("page.html", b"<script>alert(1)</script>"), ("tool.exe", b"MZ\x90\x00"),
                       ("drawing.svg", b"<svg/>"), ("fake.pdf", b"<html>not a pdf"), ("bin.txt", b"a\x00b")]:
        with pytest.raises(ValidationError):
            services.file_upload(actor=ningbo, folder=mine, upload=make_upload(name, data))
    settings.CMS_LIBRARY_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        upload(ningbo, mine, text="more than ten bytes")
    assert error.value.code == "too_large"
    assert not LibraryFile.objects.exists()


def test_multiple_upload_checks_all_before_storing(ningbo, mine):
    with pytest.raises(ValidationError):
        services.files_upload(actor=ningbo, folder=mine, uploads=[text_upload("a.txt"), make_upload("b.exe", b"MZ")])
    assert not LibraryFile.objects.exists()
    files = services.files_upload(actor=ningbo, folder=mine, uploads=[text_upload("a.txt"), make_upload("b.pdf", PDF)])
    assert sorted(f.name for f in files) == ["a.txt", "b.pdf"]


def test_folder_upload_recreates_sub_folders(ningbo, mine):
    files = services.files_upload(
        actor=ningbo, folder=mine, uploads=[text_upload("a.txt"), text_upload("b.txt")],
        relative_paths=["报告/2026/a.txt", "报告/b.txt"],
    )
    report = mine.get_children().get(name="报告")
    assert files[0].folder.name == "2026" and files[0].folder.get_parent() == report
    assert files[1].folder == report


def test_versions_and_baseline(ningbo, mine):
    file = upload(ningbo, mine, text="v1")
    services.file_version_add(actor=ningbo, file=file, upload=text_upload("notes.txt", "v2"))
    again = upload(ningbo, mine, text="v3")  # the same name in the same folder adds a version
    assert again == file
    assert list(file.versions.values_list("number", flat=True)) == [3, 2, 1]
    assert content_of(sel.file_version(file, 1)) == b"v1" and content_of(sel.file_version(file)) == b"v3"
    services.file_baseline_set(actor=ningbo, version=sel.file_version(file, 2))
    file.refresh_from_db()
    assert file.baseline.number == 2
    services.file_version_add(actor=ningbo, file=file, upload=text_upload("notes.txt", "v4"))
    file.refresh_from_db()
    assert file.baseline.number == 2 and sel.file_version(file).number == 4
    with pytest.raises(ValidationError):
        services.file_version_add(actor=ningbo, file=file, upload=make_upload("notes.pdf", PDF))


def test_folder_create_rename_and_duplicates(ningbo, mine):
    folder = services.folder_create(actor=ningbo, parent=mine, name="工作文档")
    with pytest.raises(ValidationError):
        services.folder_create(actor=ningbo, parent=mine, name="工作文档")
    services.folder_rename(actor=ningbo, folder=folder, name="项目文档")
    assert LibraryFolder.objects.get(pk=folder.pk).name == "项目文档"
    with pytest.raises(PermissionDenied):
        services.folder_rename(actor=ningbo, folder=mine, name="root")


def test_file_rename_copy_move_delete(ningbo, mine, private_root):
    a = services.folder_create(actor=ningbo, parent=mine, name="A")
    b = services.folder_create(actor=ningbo, parent=mine, name="B")
    file = upload(ningbo, a, "plan.txt", "plan")
    services.file_rename(actor=ningbo, file=file, name="计划.txt")
    copy = services.file_copy(actor=ningbo, file=file, target=a)
    assert copy.name == "计划 (2).txt" and content_of(copy.versions.get()) == b"plan"
    assert copy.versions.get().blob.name != file.versions.get().blob.name
    services.file_move(actor=ningbo, file=copy, target=b)
    assert LibraryFile.objects.get(pk=copy.pk).folder == b
    services.file_delete(actor=ningbo, file=file)
    assert not LibraryFile.objects.filter(pk=file.pk).exists()
    assert LibraryFileVersion.objects.filter(file=copy).exists()


def test_delete_removes_stored_files(ningbo, mine, private_root, django_capture_on_commit_callbacks):
    file = upload(ningbo, mine)
    path = file.versions.get().blob.path
    with django_capture_on_commit_callbacks(execute=True):
        services.file_delete(actor=ningbo, file=file)
    import os

    assert not os.path.exists(path)


def test_folder_copy_move_delete(ningbo, mine, org):
    a = services.folder_create(actor=ningbo, parent=mine, name="A")
    sub = services.folder_create(actor=ningbo, parent=a, name="sub")
    upload(ningbo, sub, "x.txt", "x")
    b = services.folder_create(actor=ningbo, parent=mine, name="B")
    copy = services.folder_copy(actor=ningbo, folder=a, target=b)
    copy.refresh_from_db()
    assert copy.get_children().get().name == "sub"
    assert LibraryFile.objects.filter(folder__path__startswith=copy.path, name="x.txt").count() == 1
    with pytest.raises(ValidationError):
        services.folder_move(actor=ningbo, folder=LibraryFolder.objects.get(pk=a.pk), target=LibraryFolder.objects.get(pk=sub.pk))
    moved = services.folder_move(actor=ningbo, folder=LibraryFolder.objects.get(pk=a.pk), target=LibraryFolder.objects.get(pk=org.pk))
    assert moved.get_parent() == org
    assert set(LibraryFolder.objects.filter(path__startswith=moved.path).values_list("space", "owner")) == {(ORG, None)}
    services.folder_delete(actor=ningbo, folder=LibraryFolder.objects.get(pk=b.pk))
    assert not LibraryFolder.objects.filter(pk__in=[b.pk, copy.pk]).exists()
    assert not LibraryFile.objects.filter(folder__path__startswith=copy.path).exists()


def test_search_by_name(ningbo, admins, mine, org):
    upload(ningbo, mine, "季度总结.txt")
    upload(ningbo, org, "季度计划.txt")
    upload(admins["sme_haishu"], services.library_root_ensure(actor=admins["sme_haishu"], space=PERSONAL), "季度私有.txt")
    _folders, files = sel.library_search(ningbo, space=PERSONAL, query="季度")
    assert [f.name for f in files] == ["季度总结.txt"]
    _folders, files = sel.library_search(admins["sme_haishu"], space=ORG, query="季度")
    assert [f.name for f in files] == ["季度计划.txt"]


# ---------------------------------------------------------------- permissions and sharing


def test_personal_documents_are_private_until_shared(admins, ningbo, mine):
    zhejiang, haishu = admins["sme_zhejiang"], admins["sme_haishu"]
    file = upload(ningbo, mine)
    for other in (zhejiang, haishu):
        assert not sel.file_can_view(other, file)
        with pytest.raises(PermissionDenied):
            sel.file_get_for_view(other, file.pk)
        with pytest.raises(PermissionDenied):
            services.file_rename(actor=other, file=file, name="x.txt")
        with pytest.raises(PermissionDenied):
            services.file_copy(actor=other, file=file, target=services.library_root_ensure(actor=other, space=PERSONAL))
    group = services.share_group_create(actor=ningbo, name="信息共享组")
    services.share_group_member_add(actor=ningbo, group=group, user=zhejiang)
    services.item_share(actor=ningbo, group=group, file=file)
    assert sel.file_can_view(zhejiang, file) and not sel.file_can_view(haishu, file)
    assert not sel.file_can_change(zhejiang, file)  # shared read-only
    with pytest.raises(PermissionDenied):
        services.file_delete(actor=zhejiang, file=file)
    services.share_group_member_remove(actor=ningbo, group=group, user=zhejiang)
    assert not sel.file_can_view(zhejiang, file)


def test_sharing_a_folder_shares_everything_below(admins, ningbo, mine):
    zhejiang = admins["sme_zhejiang"]
    folder = services.folder_create(actor=ningbo, parent=mine, name="共享")
    sub = services.folder_create(actor=ningbo, parent=folder, name="子类别")
    inner = upload(ningbo, sub, "inner.txt")
    outside = upload(ningbo, mine, "outside.txt")
    group = services.share_group_create(actor=ningbo, name="组")
    services.share_group_member_add(actor=ningbo, group=group, user=zhejiang)
    share = services.item_share(actor=ningbo, group=group, folder=folder)
    assert sel.file_can_view(zhejiang, inner) and sel.folder_can_view(zhejiang, sub)
    assert not sel.file_can_view(zhejiang, outside) and not sel.folder_can_view(zhejiang, mine)
    assert list(sel.shares_with_me(zhejiang)) == [share]
    services.share_remove(actor=ningbo, share=share)
    assert not sel.file_can_view(zhejiang, inner)


def test_organisation_documents_follow_the_administrator_tree(admins, org):
    zhejiang, ningbo, haishu = admins["sme_zhejiang"], admins["sme_ningbo"], admins["sme_haishu"]
    by_haishu = upload(haishu, org, "haishu.txt")
    by_ningbo = upload(ningbo, org, "ningbo.txt")
    assert all(sel.file_can_view(u, by_ningbo) for u in (zhejiang, ningbo, haishu))
    assert sel.file_can_change(ningbo, by_haishu) and sel.file_can_change(zhejiang, by_ningbo)
    assert not sel.file_can_change(haishu, by_ningbo)
    with pytest.raises(PermissionDenied):
        services.file_delete(actor=haishu, file=by_ningbo)
    with pytest.raises(ValidationError):  # someone else's file of that name: no silent new version
        upload(haishu, org, "ningbo.txt")


def test_enterprise_users_and_editors_have_no_library(admins, editor, mine):
    from accounts.models import User

    enterprise = User.objects.get(username="com_demo01")
    for user in (enterprise, editor):
        with pytest.raises(PermissionDenied):
            services.library_root_ensure(actor=user, space=PERSONAL)
        assert not sel.files_visible(user).exists()


def test_share_groups_are_managed_by_their_creator(admins, ningbo):
    from accounts.models import User

    group = services.share_group_create(actor=ningbo, name="测试组")
    assert list(group.members.all()) == [ningbo]
    services.share_group_rename(actor=ningbo, group=group, name="信息共享组")
    with pytest.raises(PermissionDenied):
        services.share_group_rename(actor=admins["sme_haishu"], group=group, name="x")
    with pytest.raises(PermissionDenied):
        services.share_group_member_add(actor=admins["sme_haishu"], group=group, user=admins["sme_haishu"])
    with pytest.raises(ValidationError):
        services.share_group_member_add(actor=ningbo, group=group, user=User.objects.get(username="com_demo01"))
    with pytest.raises(PermissionDenied):  # only groups one created or belongs to
        services.item_share(actor=admins["sme_haishu"], group=group,
                            file=upload(admins["sme_haishu"], services.library_root_ensure(actor=admins["sme_haishu"], space=PERSONAL)))
    services.share_group_delete(actor=ningbo, group=group)
    assert not ShareGroup.objects.exists()


# ---------------------------------------------------------------- admin views


def test_views_upload_browse_download_preview(client, ningbo, mine, django_assert_max_num_queries):
    client.force_login(ningbo)
    response = client.get("/admin/library/space/personal/")
    assert response.status_code == 302 and response["Location"] == f"/admin/library/folder/{mine.pk}/"
    action = f"/admin/library/folder/{mine.pk}/action/"
    client.post(action, {"action": "upload", "files": [text_upload("a.txt", "你好"), make_upload("p.pdf", PDF),
                                                       make_upload("i.png", PNG), make_upload("r.docx", b"PK\x03\x04xx")]})
    client.post(action, {"action": "create_folder", "name": "工作文档"})
    with django_assert_max_num_queries(40):
        html = client.get(f"/admin/library/folder/{mine.pk}/").content.decode()
    assert "a.txt" in html and 'id="library_folder-' in html and "工作文档" in html
    assert "a.txt" in client.get(f"/admin/library/folder/{mine.pk}/?q=a.t").content.decode()
    files = {f.name: f for f in LibraryFile.objects.all()}

    download = client.get(f"/admin/library/file/{files['a.txt'].pk}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert read_response(download) == "你好".encode()

    assert "你好" in client.get(f"/admin/library/file/{files['a.txt'].pk}/preview/").content.decode()
    # PDFs are downloads only (issue 18 §2, tests/cms/test_library_types.py); images are shown inline.
    assert client.get(f"/admin/library/file/{files['p.pdf'].pk}/inline/").status_code == 404
    image = client.get(f"/admin/library/file/{files['i.png'].pk}/inline/")
    assert image["Content-Type"] == "image/png" and "sandbox" in image["Content-Security-Policy"]
    assert client.get(f"/admin/library/file/{files['a.txt'].pk}/inline/").status_code == 404
    assert client.get(f"/admin/library/file/{files['r.docx'].pk}/inline/").status_code == 404
    office = client.get(f"/admin/library/file/{files['r.docx'].pk}/preview/").content.decode()
    assert "r.docx" in office and "DOCX" in office and "download" in office.lower()


def test_views_versions_baseline_rename_copy_move_delete_share(client, admins, ningbo, mine):
    client.force_login(ningbo)
    file = upload(ningbo, mine, text="v1")
    folder = services.folder_create(actor=ningbo, parent=mine, name="归档")
    url = f"/admin/library/file/{file.pk}/action/"
    client.post(url, {"action": "version", "file": text_upload("notes.txt", "v2")})
    client.post(url, {"action": "baseline", "version": "1"})
    file.refresh_from_db()
    assert file.versions.count() == 2 and file.baseline.number == 1
    old = client.get(f"/admin/library/file/{file.pk}/download/?version=1")
    assert read_response(old) == b"v1" and "v1" in old["Content-Disposition"]
    html = client.get(f"/admin/library/file/{file.pk}/").content.decode()
    assert "v2" in html and "v1" in html
    client.post(url, {"action": "rename", "name": "说明.txt"})
    client.post(url, {"action": "copy", "target": folder.pk})
    assert LibraryFile.objects.filter(folder=folder, name="说明.txt").exists()
    group = services.share_group_create(actor=ningbo, name="组")
    client.post(url, {"action": "share", "group": group.pk})
    assert group.shares.get().file == file
    client.post(url, {"action": "move", "target": folder.pk})
    file.refresh_from_db()
    assert file.folder == folder and file.name == "说明 (2).txt"
    client.post(f"{BULK}delete/?id=folder-{folder.pk}", {})
    assert not LibraryFile.objects.exists()


def test_views_bulk_copy_move_and_folder_actions(client, ningbo, mine):
    client.force_login(ningbo)
    a = services.folder_create(actor=ningbo, parent=mine, name="A")
    b = services.folder_create(actor=ningbo, parent=mine, name="B")
    file = upload(ningbo, mine)
    client.post(f"{BULK}copy/?id=file-{file.pk}&id=folder-{a.pk}", {"target": b.pk})
    b.refresh_from_db()
    assert LibraryFile.objects.filter(folder=b).count() == 1 and b.get_children().get().name == "A"
    client.post(f"{BULK}move/?id=file-{file.pk}", {"target": b.pk})
    assert LibraryFile.objects.get(pk=file.pk).folder == b
    client.post(f"/admin/library/folder/{a.pk}/action/", {"action": "rename", "name": "A2"})
    assert LibraryFolder.objects.get(pk=a.pk).name == "A2"
    response = client.post(f"/admin/library/folder/{a.pk}/action/", {"action": "delete"})
    assert response["Location"] == f"/admin/library/folder/{mine.pk}/"
    assert not LibraryFolder.objects.filter(pk=a.pk).exists()
    action = f"/admin/library/folder/{mine.pk}/action/"
    response = client.post(action, {"action": "upload", "files": [make_upload("x.html", b"<b>")]}, follow=True)
    assert "cannot be uploaded" in response.content.decode() or "不能上传" in response.content.decode()


def _listed(response) -> list[str]:
    """The names in a library listing's table, in order."""
    import re

    return re.findall(r'<span id="library_(?:file|folder)-\d+_title">([^<]+)</span>', response.content.decode())


def test_listing_searches_filters_sorts_and_pages(client, ningbo, mine, org, travel):
    from cms.views.listing import FolderView

    client.force_login(ningbo)
    travel.move_to("2026-11-17T23:30")  # 15:30 UTC: the 17th in Shanghai
    upload(ningbo, mine, "b-old.txt")
    services.folder_create(actor=ningbo, parent=mine, name="Z 类别")
    travel.move_to("2026-11-18T00:30")  # still the 17th in UTC, the 18th in Shanghai
    services.files_upload(actor=ningbo, folder=mine, uploads=[make_upload("a-new.pdf", PDF), text_upload("c.txt")])
    upload(ningbo, org, "b-org.txt")
    url = f"/admin/library/folder/{mine.pk}/"
    page = client.get(url)
    assert _listed(page) == ["Z 类别", "a-new.pdf", "b-old.txt", "c.txt"]  # folders first, then by name
    assert "2026-11-18 00:30" in page.content.decode() and "2026-11-17 23:30" in page.content.decode()
    assert 'name="modified_from"' in page.content.decode() and 'type="date"' not in page.content.decode()
    assert _listed(client.get(url, {"ordering": "-modified"})) == ["Z 类别", "c.txt", "a-new.pdf", "b-old.txt"]
    assert _listed(client.get(url, {"kind": "pdf"})) == ["a-new.pdf"]
    assert _listed(client.get(url, {"kind": "folder"})) == ["Z 类别"]
    assert _listed(client.get(url, {"modified_from": "2026-11-18"})) == ["a-new.pdf", "c.txt"]
    assert _listed(client.get(url, {"modified_to": "20261117"})) == ["Z 类别", "b-old.txt"]
    assert _listed(client.get(url, {"q": "b-"})) == ["b-old.txt"]  # the personal space only
    assert _listed(client.get(url, {"q": "z 类"})) == ["Z 类别"]
    assert _listed(client.get(f"/admin/library/folder/{org.pk}/results/", {"q": "b-"})) == ["b-org.txt"]
    wrong = client.get(url, {"modified_from": "11/18/2026"}).content.decode()
    assert "yyyy-mm-dd" in wrong or "年-月-日" in wrong
    FolderView.paginate_by, before = 2, FolderView.paginate_by
    try:
        assert _listed(client.get(url, {"p": 2})) == ["b-old.txt", "c.txt"]
    finally:
        FolderView.paginate_by = before


def test_bulk_actions_confirm_then_act_on_what_the_user_may_change(client, admins, ningbo, mine, org):
    haishu = admins["sme_haishu"]
    target = services.folder_create(actor=ningbo, parent=mine, name="归档")
    own = upload(ningbo, mine, "own.txt")
    theirs = upload(haishu, services.library_root_ensure(actor=haishu, space=PERSONAL), "theirs.txt")
    by_zhejiang = upload(admins["sme_zhejiang"], org, "above.txt")  # visible to ningbo, not changeable
    client.force_login(ningbo)
    ids = f"id=file-{own.pk}&id=file-{theirs.pk}&id=file-{by_zhejiang.pk}&next=/admin/library/folder/{mine.pk}/"
    confirm = client.get(f"{BULK}move/?{ids}").content.decode()
    assert "own.txt" in confirm and "above.txt" in confirm and "theirs.txt" not in confirm
    assert 'name="target"' in confirm and "归档" in confirm
    assert client.post(f"{BULK}move/?{ids}", {}).status_code == 200  # no target chosen: the form again
    assert LibraryFile.objects.get(pk=own.pk).folder == mine  # no target chosen: nothing moved
    response = client.post(f"{BULK}move/?{ids}", {"target": target.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/library/folder/{mine.pk}/"
    assert "已移动 1 项。" in response.content.decode()
    assert LibraryFile.objects.get(pk=own.pk).folder == target
    assert LibraryFile.objects.get(pk=theirs.pk).folder != target and LibraryFile.objects.get(pk=by_zhejiang.pk).folder == org
    assert client.get(f"{BULK}delete/?id=file-{theirs.pk}").status_code == 404  # not visible: as if it did not exist
    client.post(f"{BULK}delete/?id=file-{own.pk}&id=file-{by_zhejiang.pk}&id=folder-{target.pk}", {})
    assert set(LibraryFile.objects.values_list("name", flat=True)) == {"theirs.txt", "above.txt"}
    assert not LibraryFolder.objects.filter(pk=target.pk).exists()


def test_views_refuse_other_administrators_until_shared(client, admins, ningbo, mine):
    file = upload(ningbo, mine)
    zhejiang = admins["sme_zhejiang"]
    client.force_login(zhejiang)
    for url in (f"/admin/library/file/{file.pk}/", f"/admin/library/file/{file.pk}/download/",
                f"/admin/library/file/{file.pk}/preview/", f"/admin/library/folder/{mine.pk}/"):
        assert refused(client.get(url))
    assert refused(client.post(f"/admin/library/file/{file.pk}/action/", {"action": "delete"}))
    group = services.share_group_create(actor=ningbo, name="组")
    services.share_group_member_add(actor=ningbo, group=group, user=zhejiang)
    services.item_share(actor=ningbo, group=group, file=file)
    assert read_response(client.get(f"/admin/library/file/{file.pk}/download/")) == "第一版\n".encode()
    assert file.name in client.get("/admin/library/shared/").content.decode()
    assert refused(client.post(f"/admin/library/file/{file.pk}/action/", {"action": "delete"}))


def test_views_share_groups(client, admins, ningbo):
    client.force_login(ningbo)
    response = client.post("/admin/library/groups/", {"name": "信息共享组"})
    group = ShareGroup.objects.get()
    assert response["Location"] == f"/admin/library/groups/{group.pk}/"
    action = f"/admin/library/groups/{group.pk}/action/"
    client.post(action, {"action": "member_add", "user": admins["sme_haishu"].pk})
    client.post(action, {"action": "rename", "name": "测试组"})
    assert "测试组" in client.get("/admin/library/groups/").content.decode()
    assert set(group.members.values_list("username", flat=True)) == {"sme_ningbo", "sme_haishu"}
    client.post(action, {"action": "member_remove", "user": admins["sme_haishu"].pk})
    assert list(group.members.values_list("username", flat=True)) == ["sme_ningbo"]
    client.force_login(admins["sme_haishu"])
    assert refused(client.get(f"/admin/library/groups/{group.pk}/"))
    client.force_login(ningbo)
    client.post(action, {"action": "delete"})
    assert not ShareGroup.objects.exists()


def test_admin_menu_shows_library_to_administrators_only(client, ningbo, editor):
    client.force_login(ningbo)
    assert "/admin/library/space/org/" in client.get("/admin/").content.decode()
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "/admin/library/space/org/" not in html
    assert refused(client.get("/admin/library/space/org/"))
