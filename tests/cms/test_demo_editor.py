"""The demo's content editor login (issue 21 §5): listed in the README, able to publish content."""
from django.urls import reverse

from accounts.demo import DEMO_PASSWORD


def test_seed_demo_makes_a_content_editor_who_can_add_a_notice(refdata, client):
    from accounts.enums import EDITOR_GROUP_NAME, UserKind
    from accounts.models import User
    from cms.demo import EDITOR_LOGIN, seed_demo
    from cms.models import NoticeIndexPage

    seed_demo()
    seed_demo()  # idempotent
    editor = User.objects.get(username=EDITOR_LOGIN)
    assert editor.kind == UserKind.EDITOR and editor.check_password(DEMO_PASSWORD)
    assert list(editor.groups.values_list("name", flat=True)) == [EDITOR_GROUP_NAME]
    assert not hasattr(editor, "admin_profile")  # no region: not a reviewer

    client.force_login(editor)
    index = NoticeIndexPage.objects.get()
    add = client.get(reverse("wagtailadmin_pages:add", args=("cms", "noticepage", index.pk)))
    assert add.status_code == 200
    # The reviewers' back office is not the editor's.
    assert client.get("/admin/review/").status_code in (302, 403)


def test_readme_and_bin_run_list_the_content_editor():
    from pathlib import Path

    from cms.demo import EDITOR_LOGIN

    root = Path(__file__).resolve().parents[2]
    assert f"`{EDITOR_LOGIN}`" in (root / "README.md").read_text(encoding="utf-8")
    assert EDITOR_LOGIN in (root / "bin" / "run").read_text(encoding="utf-8")
