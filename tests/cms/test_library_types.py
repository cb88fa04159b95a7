"""The document library's types (issue 18 §2): checked on rename too, served as attachments except images."""
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from cms import services
from cms.enums import LibrarySpace
from cms.models import LibraryFile

from .cms_testutils import PDF, PNG, make_upload, text_upload

HTML = "<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def ningbo(admins):
    return admins["sme_ningbo"]


@pytest.fixture
def mine(ningbo):
    return services.library_root_ensure(actor=ningbo, space=LibrarySpace.PERSONAL)


@pytest.mark.parametrize("new_name", ["evil.html", "evil.pdf", "evil.png", "evil"])
def test_renaming_text_to_another_type_is_checked_like_an_upload(ningbo, mine, new_name):
    file = services.file_upload(actor=ningbo, folder=mine, upload=text_upload("evil.txt", HTML))
    with pytest.raises(ValidationError) as refused:
        services.file_rename(actor=ningbo, file=file, name=new_name)
    assert "evil" in refused.value.messages[0]
    assert LibraryFile.objects.get(pk=file.pk).name == "evil.txt"
    services.file_rename(actor=ningbo, file=file, name="evil.csv")  # text is text
    assert LibraryFile.objects.get(pk=file.pk).name == "evil.csv"


def test_every_version_must_match_the_new_name(ningbo, mine):
    file = services.file_upload(actor=ningbo, folder=mine, upload=text_upload("a.txt", "plain"))
    services.file_version_add(actor=ningbo, file=file, upload=make_upload("a.txt", b"binary\x00\xff"[:6]))
    services.file_rename(actor=ningbo, file=file, name="b.csv")
    binary = services.file_upload(actor=ningbo, folder=mine, upload=make_upload("c.pdf", PDF + b"\x00\xff"))
    with pytest.raises(ValidationError, match="不符|does not look like"):
        services.file_rename(actor=ningbo, file=binary, name="c.txt")  # NUL bytes: not text
    assert LibraryFile.objects.get(pk=binary.pk).name == "c.pdf"


def test_text_must_be_text_throughout_and_office_files_hold_no_macros(ningbo, mine):
    with pytest.raises(ValidationError):
        services.file_upload(actor=ningbo, folder=mine, upload=make_upload("a.txt", b"x" * 9000 + b"\x00\x01"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(ValidationError, match="宏|macros"):
        services.file_upload(actor=ningbo, folder=mine, upload=make_upload("book.xlsx", buffer.getvalue()))


def test_only_images_are_inline_and_pdfs_and_images_carry_the_sandbox(client, ningbo, mine):
    client.force_login(ningbo)
    files = {name: services.file_upload(actor=ningbo, folder=mine, upload=upload) for name, upload in (
        ("p.pdf", make_upload("p.pdf", PDF)), ("i.png", make_upload("i.png", PNG)),
        ("t.txt", text_upload("t.txt", HTML)))}
    base = "/admin/library/file/{}/{}/"
    pdf_inline = client.get(base.format(files["p.pdf"].pk, "inline"))
    assert pdf_inline.status_code == 404
    pdf = client.get(base.format(files["p.pdf"].pk, "download"))
    assert pdf["Content-Disposition"].startswith("attachment") and "sandbox" in pdf["Content-Security-Policy"]
    image = client.get(base.format(files["i.png"].pk, "inline"))
    assert image["Content-Disposition"].startswith("inline") and "sandbox" in image["Content-Security-Policy"]
    assert image["Content-Type"] == "image/png"
    text = client.get(base.format(files["t.txt"].pk, "download"))
    assert text["Content-Disposition"].startswith("attachment") and text["Content-Type"] == "application/octet-stream"
    assert client.get(base.format(files["t.txt"].pk, "inline")).status_code == 404
    preview = client.get(base.format(files["p.pdf"].pk, "preview")).content.decode()
    assert "<iframe" not in preview and "download" in preview.lower()
