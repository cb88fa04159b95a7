"""Every upload the Excel checks accept has a bounded cost (issue 18 §2): the worst case, measured.

Builds adversarial files just under each limit of the settings (shared strings of many short or a
few long texts, batch rows, product rows, many columns, long cell strings, deep styles) and the real
templates, runs each through the real check + parse path in a child process of its own (上报导入:
`workbook_read`; 企业上报导入: `batch_read` read and written out as the task's row spool), and prints
the CPU time (the verdict: the machine is shared, so wall time, printed too, varies with the load)
and the memory the case added (peak RSS over the child's start), PASS/FAIL against 5 s / 100 MB,
then the worst case. Files the checks refuse are listed as refused (their cost is the
check's, milliseconds). SQLite in memory; nothing is saved.
Run: python bench/uploads.py [--rows N]   (N: batch rows, default the IMPORT_BATCH_MAX_ROWS setting)
"""
import io
import json
import multiprocessing
import os
import random
import re
import resource
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.pop("CELERY_BROKER_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

SECONDS, MEGABYTES = 5.0, 100.0
#: Random content keeps each part below the 100:1 compression ratio the checks refuse (as an attacker must).
RANDOM = random.Random(18)
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def rezip(data: bytes, parts: dict) -> bytes:
    """`data` with parts replaced or added (name → bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(head: bytes, rows) -> bytes:
    """A worksheet part: the template's first rows (`head`, its <row> elements) then `rows` (bytes each)."""
    body = b"".join(rows)
    last = len(re.findall(rb"<row ", head + body))
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b'><dimension ref="A1:A%d"/><sheetData>'
            % last + head + body + b"</sheetData></worksheet>")


def head_rows(data: bytes, part: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part)
    return b"".join(re.findall(rb"<row .*?</row>", xml, flags=re.S))


def inline(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def batch_rows(first: int, count: int, width: int, *, text=None):
    letters = [get_column_letter(c).encode() for c in range(1, width + 1)]
    for n in range(first, first + count):
        cells = [inline(f"A{n}", f"91330203MA{n:08d}"), inline(f"B{n}", text() if text else f"企业{n}")]
        cells += [b'<c r="%s%d"><v>%d.%d</v></c>' % (letter, n, RANDOM.randrange(10 ** 6), RANDOM.randrange(10))
                  for letter in letters[2:]]
        yield b'<row r="%d">' % n + b"".join(cells) + b"</row>"


def random_text(length: int) -> str:
    return "".join(RANDOM.choices("中小企业运行监测产值收入成本利润", k=length))


def shared_strings(total: int, length: int) -> bytes:
    items, size = [], 200
    while size < total - length - 40:
        item = b"<si><t>" + random_text(length // 3 or 1).encode() + b"</t></si>"
        items.append(item)
        size += len(item)
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS + b' count="%d" uniqueCount="%d">'
            % (len(items), len(items)) + b"".join(items) + b"</sst>")


def deep_styles(total: int) -> bytes:
    xfs, size = [], 600
    while size < total - 200:
        xf = b'<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="%d"/>' % (
            RANDOM.randrange(200), RANDOM.randrange(2))
        xfs.append(xf)
        size += len(xf)
    return (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet ' + NS + b'><fonts count="1"><font><sz val="11"/>'
            b'</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1">'
            b'<border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="%d">' % len(xfs)
            + b"".join(xfs) + b"</cellXfs></styleSheet>")


def run_case(kind: str, data: bytes, version_pk: int, queue) -> None:
    """In the child: the check and the parse of one file; reports (wall s, CPU s, added MB, peak MB, outcome)."""
    from formdefs import excel
    from formdefs.models import FormVersion

    version = FormVersion.objects.get(pk=version_pk)
    start_rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576
    start, cpu = time.perf_counter(), time.process_time()
    outcome = "accepted"
    try:
        if kind == "template":
            result = excel.workbook_read(file=data, version=version)
            outcome += f", {len(result.errors)} cell errors"
        else:
            rows, spool = 0, io.StringIO()
            for row in excel.batch_read(file=data, version=version):
                spool.write(json.dumps(row.as_dict(), ensure_ascii=False) + "\n")
                rows += 1
                if spool.tell() > 8 * 1024 * 1024:  # the task writes its spool to a file, not to memory
                    spool = io.StringIO()
            outcome += f", {rows} rows"
    except excel.ExcelRefused as exc:
        outcome = f"refused: {exc.message}"
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, cpu, max(0.0, peak - start_rss), peak, outcome))


def main(batch_rows_count: int) -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=False)
    from formdefs import excel
    from regions.services import refdata_load
    from reporting.demo import _ensure_types
    from reporting.selectors import report_version

    refdata_load()
    report_type, _questionnaire, _lines = _ensure_types()
    version = report_version(report_type)
    limits = excel.batch_limits(version=version)
    batch = excel.batch_template_build(version=version)
    template = excel.template_build(version=version)
    template_limits = excel.template_limits(_compiled(version))
    layout = excel.batch_layout(version=version, lang="zh-hans")
    width, title = layout.width, layout.title
    products_width = 2 + len(layout.tables[0].columns)
    head, products_head = head_rows(batch, "xl/worksheets/sheet1.xml"), head_rows(batch, "xl/worksheets/sheet2.xml")
    rows_limit = min(batch_rows_count, limits.rows_of(title) - 2)
    products_rows = limits.rows_of(layout.tables[0].title) - 1
    cells = limits.cells_of(title)
    wide = 400  # columns per row: the cell limit reached in few rows
    long_text = (limits.sheet_bytes - 512 * 1024) // 40 // 3  # 40 rows of one long name fill the sheet part

    def batch_with(rows=(), products=(), **parts):
        files = {"xl/worksheets/sheet1.xml": sheet_xml(head, rows)}
        if products:
            files["xl/worksheets/sheet2.xml"] = sheet_xml(products_head, products)
        files.update(parts)
        return rezip(batch, files)

    def product_rows(count):
        for n in range(2, 2 + count):
            cells = [inline(f"A{n}", f"91330203MA{n:08d}")] + [
                inline(f"{get_column_letter(c)}{n}", f"产品{n}") if c == 3 else
                b'<c r="%s%d"><v>%d</v></c>' % (get_column_letter(c).encode(), n, RANDOM.randrange(10 ** 5))
                for c in range(3, products_width + 1)]
            yield b'<row r="%d">' % n + b"".join(cells) + b"</row>"

    with zipfile.ZipFile(io.BytesIO(batch)) as archive:
        types, rels = archive.read("[Content_Types].xml"), archive.read("xl/_rels/workbook.xml.rels")

    def strings(length):
        """A shared strings part to the limit, declared as openpyxl looks for it (content type, relationship)."""
        return {"xl/sharedStrings.xml": shared_strings(limits.shared_strings_bytes - 4096, length),
                "[Content_Types].xml": types.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                     b'ContentType="application/vnd.openxmlformats-officedocument.'
                                                     b'spreadsheetml.sharedStrings+xml"/></Types>'),
                "xl/_rels/workbook.xml.rels": rels.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://'
                                                           b'schemas.openxmlformats.org/officeDocument/2006/'
                                                           b'relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                                           b'</Relationships>')}

    cases = [
        ("real report template (上报导入)", "template", template),
        ("real batch template, empty", "batch", batch),
        (f"batch: {rows_limit} enterprise rows × {width} columns", "batch", batch_with(batch_rows(3, rows_limit, width))),
        (f"batch: {products_rows} product rows", "batch", batch_with(batch_rows(3, 10, width), product_rows(products_rows))),
        ("shared strings to the limit, short texts", "batch", batch_with(batch_rows(3, 10, width), **strings(6))),
        ("shared strings to the limit, long texts", "batch", batch_with(batch_rows(3, 10, width), **strings(30_000))),
        ("deep styles to the part limit", "batch",
         batch_with(batch_rows(3, 10, width), **{"xl/styles.xml": deep_styles(limits.part_bytes - 4096)})),
        (f"many columns: {cells // wide} rows × {wide} cells (the cell limit)", "batch",
         batch_with(batch_rows(3, cells // wide - 1, wide))),
        ("long cell strings filling the sheet part", "batch",
         batch_with(batch_rows(3, 40, width, text=lambda: random_text(long_text)))),
        ("report template with rows to its row limit", "template",
         rezip(template, {"xl/worksheets/sheet1.xml": sheet_xml(head_rows(template, "xl/worksheets/sheet1.xml"),
                                                                 batch_rows(60, template_limits.sheet_rows - 60, 13))})),
        ("everything at its limit at once: cells, shared strings, styles", "batch",
         batch_with(batch_rows(3, cells // wide - 1, wide), **{**strings(6),
                                                               "xl/styles.xml": deep_styles(limits.part_bytes - 4096)})),
        ("batch: one row over the row limit", "batch", batch_with(batch_rows(3, limits.rows_of(title) - 1, 3))),
        ("batch: 1,000,000 rows", "batch", batch_with(batch_rows(3, 1_000_000, 3))),
    ]
    print(f"limits: shared strings {limits.shared_strings_bytes // 1024} KiB, sheet {limits.sheet_bytes // 1048576} MiB "
          f"and {cells} cells, other parts {limits.part_bytes // 1024} KiB, batch rows {limits.rows_of(title) - 2}, "
          f"product rows {products_rows}, upload {settings.EXCEL_UPLOAD_MAX_BYTES // 1048576} MiB")
    print(f"{'case':56} {'file':>8} {'cpu s':>6} {'wall s':>6} {'+MB':>6}  result")
    worst = None
    context = multiprocessing.get_context("fork")  # the child sees the in-memory database
    for name, kind, data in cases:
        queue = context.Queue()
        child = context.Process(target=run_case, args=(kind, data, version.pk, queue))
        child.start()
        elapsed, cpu, added, _peak, outcome = queue.get()
        child.join()
        accepted = outcome.startswith("accepted")
        verdict = ("PASS" if cpu <= SECONDS and added <= MEGABYTES else "FAIL") if accepted else "refused"
        print(f"{name[:56]:56} {len(data) / 1024:>6.0f}KB {cpu:>6.2f} {elapsed:>6.2f} {added:>6.1f}  {verdict}: "
              f"{outcome[:80]}")
        if accepted and (worst is None or max(cpu / SECONDS, added / MEGABYTES) > worst[0]):
            worst = (max(cpu / SECONDS, added / MEGABYTES), name, cpu, elapsed, added)
    _score, name, cpu, elapsed, added = worst
    status = "PASS" if cpu <= SECONDS and added <= MEGABYTES else "FAIL"
    print(f"worst accepted case: {name}: {cpu:.2f} s CPU ({cpu / SECONDS:.0%} of {SECONDS:.0f} s; {elapsed:.2f} s wall), "
          f"+{added:.1f} MB ({added / MEGABYTES:.0%} of {MEGABYTES:.0f} MB): {status}")


def _compiled(version):
    from formdefs.selectors import version_compiled

    return version_compiled(version)


if __name__ == "__main__":
    args = sys.argv[1:]
    rows = int(args[args.index("--rows") + 1]) if "--rows" in args else None
    main(rows or int(settings.IMPORT_BATCH_MAX_ROWS))
