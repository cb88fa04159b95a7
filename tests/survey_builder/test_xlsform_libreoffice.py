"""An XLSForm written by LibreOffice Calc: a flat ODS (.fods) we write, converted by `soffice --headless
--convert-to xlsx`, imports as the same questionnaire as the openpyxl-written workbook (skipped without soffice)."""
import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from survey_builder.xlsform import xlsform_read

from .xlsforms import CHOICES, CHOICES_HEADER, SETTINGS, SURVEY, SURVEY_HEADER, workbook

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                                               "apt-get install libreoffice-calc-nogui")

FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document>"""


def fods(sheets: dict[str, list[list]]) -> str:
    """A flat OpenDocument spreadsheet with one table per sheet, every cell a text cell."""
    tables = []
    for name, rows in sheets.items():
        body = []
        for row in rows:
            cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
                            if v not in (None, "") else "<table:table-cell/>" for v in row)
            body.append(f"<table:table-row>{cells}</table:table-row>")
        tables.append(f'<table:table table:name="{escape(name)}">{"".join(body)}</table:table>')
    return FODS.format(tables="".join(tables))


def libreoffice_xlsx(text: str, workdir: Path) -> bytes:
    profile = Path(tempfile.mkdtemp(prefix="lo-"))
    try:
        source = workdir / "xlsform.fods"
        source.write_text(text, encoding="utf-8")
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(workdir / "out"), str(source)], check=True, capture_output=True, timeout=180)
        return (workdir / "out" / "xlsform.xlsx").read_bytes()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@needs_libreoffice
def test_an_xlsform_written_by_libreoffice_imports_as_the_openpyxl_one(tmp_path):
    content = libreoffice_xlsx(fods({"survey": [SURVEY_HEADER] + SURVEY, "choices": [CHOICES_HEADER] + CHOICES,
                                     "settings": SETTINGS}), tmp_path)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")  # written by LibreOffice, not by openpyxl
    read = xlsform_read(content)
    assert read.design == xlsform_read(workbook()).design and read.title == "中小企业月度经营调查"
