"""Uploads refused before openpyxl opens them; text written so that no spreadsheet runs it as a formula."""
import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from formdefs.excel import (ExcelRefused, escape_formula, template_build, upload_check, workbook_read, xlsx_row,
                            xlsx_text, xlsx_value)

BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
                  + b"".join(b' <!ENTITY lol%d "%s">\n' % (n, b"&lol%d;" % (n - 1) * 10 if n > 1 else b"&lol;" * 10)
                             for n in range(1, 10))
                  + b']>\n')
DANGEROUS = ["=1+2宁波", "=1+1", "+SUM(A1)", "-2+3", "@SUM(A1)", "\t=1", "\n=1", '=HYPERLINK("http://x")', "#N/A"]


# -- CSV: a field has no type, so a formula is defused with a leading apostrophe ---------------------

@pytest.mark.parametrize("text", [t for t in DANGEROUS if t != "#N/A"] + ["\r=1", "\n\t+1", " =1+2", "\tplain"])
def test_escape_formula_prefixes_dangerous_csv_text(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["营业收入", "a=b", "", "宁波 -1", 12, -5, 3.5, None, True])
def test_escape_formula_keeps_safe_text_and_numbers(value):
    assert escape_formula(value) == value
    assert type(escape_formula(value)) is type(value)


# -- XLSX: a text cell is never evaluated, so the text is written exactly as it is -------------------

def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _formula_texts_workbook(*, write_only: bool) -> bytes:
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet("s") if write_only else workbook.active
    for row, text in enumerate(DANGEROUS, start=1):
        ws.append(xlsx_row(ws, [text, text, 7]))
        if not write_only:
            xlsx_text(ws.cell(row=row, column=1, value=text))  # a cell written in place (as the templates do)
    return _saved(workbook)


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_text_that_looks_like_a_formula_reads_back_as_the_same_text(write_only):
    ws = load_workbook(io.BytesIO(_formula_texts_workbook(write_only=write_only))).active
    for row, text in zip(ws.iter_rows(), DANGEROUS):
        assert [cell.value for cell in row] == [text, text, 7]  # no apostrophe, nothing evaluated
        assert [cell.data_type for cell in row] == ["s", "s", "n"]


def test_xlsx_row_keeps_numbers_typed_and_text_as_text_in_a_plain_sheet():
    workbook = Workbook()
    ws = workbook.active
    ws.append(xlsx_row(ws, ["=1+2宁波", 3, 2.5, None, "营业收入"]))
    ws = load_workbook(io.BytesIO(_saved(workbook))).active
    assert [c.value for c in ws[1]] == ["=1+2宁波", 3, 2.5, None, "营业收入"]
    assert [c.data_type for c in ws[1]][:3] == ["s", "n", "n"]


def test_xlsx_value_writes_an_aware_time_in_shanghai_local_time():
    workbook = Workbook(write_only=True)
    ws = workbook.create_sheet("s")
    ws.append([xlsx_value(ws, datetime.datetime(2026, 11, 30, 20, 30, tzinfo=datetime.timezone.utc))])
    assert load_workbook(io.BytesIO(_saved(workbook))).active["A1"].value == datetime.datetime(2026, 12, 1, 4, 30)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_formula_looking_text_as_text(tmp_path):
    source = tmp_path / "texts.xlsx"
    source.write_bytes(_formula_texts_workbook(write_only=True))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    text = (tmp_path / "texts.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == '=1+2宁波,=1+2宁波,7'
    assert "=1+1,=1+1,7" in text and '"=HYPERLINK(""http://x"")"' in text
    assert "\n2," not in text and "#NAME" not in text and "Err:" not in text  # nothing was evaluated


def _zip(parts: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts[name] = content
    return _zip(parts)


def _refused(file, **kwargs) -> ExcelRefused:
    with pytest.raises(ExcelRefused) as caught:
        upload_check(file, **kwargs)
    return caught.value


@pytest.fixture
def template(small):
    return template_build(version=small)


def test_a_real_template_passes_and_the_stream_is_rewound(template):
    stream = io.BytesIO(template)
    stream.read(10)
    upload_check(stream)
    assert stream.tell() == 0


def test_a_non_zip_file_is_refused():
    error = _refused(b"name,revenue\nACME,100\n")
    assert error.code == "not_xlsx"
    assert "不是Excel工作簿" in error.message


def test_an_old_xls_or_encrypted_file_is_refused():
    ole_header = bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504
    assert _refused(ole_header).code == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    assert _refused(_zip({"readme.txt": b"hello"})).code == "not_xlsx"


def test_an_empty_file_is_refused():
    assert _refused(b"").code == "not_xlsx"


def test_a_file_over_the_size_limit_is_refused(template, settings):
    assert _refused(template, max_bytes=len(template) - 1).code == "too_large"
    settings.EXCEL_UPLOAD_MAX_BYTES = 1000
    error = _refused(template)
    assert error.code == "too_large"
    assert "文件过大" in error.message


def test_the_default_size_limit_is_five_megabytes():
    padding = b"\0" * (5 * 1024 * 1024 + 1)
    assert _refused(padding).code == "too_large"


@pytest.fixture
def no_extraction(monkeypatch):
    """Call it once the bomb is built: from then on, inflating any part fails the test."""
    def forbidden(*args, **kwargs):
        raise AssertionError("a part was opened before the zip directory was checked")

    return lambda: monkeypatch.setattr(zipfile.ZipFile, "open", forbidden)


def test_a_zip_bomb_is_refused_from_the_directory_without_inflating(no_extraction):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    no_extraction()
    error = _refused(bomb)
    assert error.code == "zip_bomb"
    assert "压缩炸弹" in error.message


def test_too_much_inflated_data_is_refused_even_at_a_modest_ratio(no_extraction):
    import random

    noise = random.Random(1).randbytes(2 * 1024 * 1024)
    archive = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>", "xl/media/a.bin": noise})
    no_extraction()
    assert _refused(archive, max_uncompressed=1024 * 1024).code == "zip_bomb"


def test_too_many_parts_are_refused(no_extraction):
    parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    parts.update({f"xl/p{n}.xml": b"<a/>" for n in range(30)})
    archive = _zip(parts)
    no_extraction()
    assert _refused(archive, max_entries=20).code == "zip_bomb"


def test_an_xml_bomb_in_a_sheet_is_refused(template, small):
    sheet = BILLION_LAUGHS + b"<worksheet>&lol9;</worksheet>"
    bomb = _replace_part(template, "xl/worksheets/sheet1.xml", sheet)
    error = _refused(bomb)
    assert error.code == "xml_bomb"
    assert "XML炸弹" in error.message
    with pytest.raises(ExcelRefused) as caught:
        workbook_read(file=bomb, version=small)
    assert caught.value.code == "xml_bomb"


def test_a_dtd_after_a_long_prolog_is_still_found(template):
    sheet = b'<?xml version="1.0"?>\n<!--' + b"x" * 200_000 + b"-->\n" + BILLION_LAUGHS[22:] + b"<worksheet>&lol9;</worksheet>"
    assert _refused(_replace_part(template, "xl/workbook.xml", sheet)).code == "xml_bomb"


def test_an_external_entity_is_refused(template):
    sheet = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
             b"<worksheet>&x;</worksheet>")
    assert _refused(_replace_part(template, "[Content_Types].xml", sheet)).code == "xml_bomb"
