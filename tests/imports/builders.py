"""Batch files built from the real template (`batch_template_build`) and filled with openpyxl."""
import io

from openpyxl import load_workbook

from formdefs.excel import batch_template_build
from reporting.selectors import report_version


def _spec(document: dict, field_id: str) -> dict:
    for step in document["steps"]:
        for section in step["sections"]:
            for spec in section["fields"]:
                if spec["id"] == field_id:
                    return spec
    raise KeyError(field_id)


def _columns(ws) -> dict:
    """{(row label, column label): column number} read from the two header rows."""
    found, current = {}, None
    for top, below in zip(ws[1], ws[2]):
        if top.value is not None:
            current = top.value.split(" (")[0].rstrip(" *")
        if below.value is not None and top.column > 2:
            found[(current, below.value)] = top.column
    return found


class BatchFile:
    """A batch workbook of the report type's current version; `add` one enterprise row, `data()` the bytes."""

    def __init__(self, report_type):
        version = report_version(report_type)
        self.workbook = load_workbook(io.BytesIO(batch_template_build(version=version)))
        self.grid = _spec(version.document, "ind")
        self.table = _spec(version.document, "products")
        self.ws = self.workbook.worksheets[0]
        self.products = self.workbook.worksheets[1]
        self.columns = _columns(self.ws)
        self.product_columns = {c.value.rstrip(" *"): c.column for c in self.products[1] if c.value}
        self.width = self.ws.max_column

    def values(self, grid: dict) -> list:
        cells = [None] * (self.width - 2)
        for row in self.grid["rows"]:
            for column in self.grid["columns"]:
                value = (grid.get(row["id"]) or {}).get(column["id"])
                if value is not None and not column.get("expr"):
                    cells[self.columns[(row["label"], column["label"])] - 3] = value
        return cells

    def add(self, code, name: str, grid: dict | None = None, *, cells: list | None = None, overrides: dict | None = None):
        values = list(cells) if cells is not None else self.values(grid or {})
        for (row_label, column_label), value in (overrides or {}).items():
            values[self.columns[(row_label, column_label)] - 3] = value
        self.ws.append([code, name, *values])
        return self

    def add_product(self, code, product: dict):
        row = [None] * self.products.max_column
        row[0] = code
        for column in self.table["columns"]:
            if column["id"] in product:
                row[self.product_columns[column["label"]] - 1] = product[column["id"]]
        self.products.append(row)
        return self

    def data(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def approved_before(reports, enterprise, period, months: int = 1):
    """An approved report `months` before `period`, through the real services: a batch row holds only the
    figures, and the 基本信息 it does not hold (专精特新, 上年营业收入…) come from there, as in 上报导入."""
    from reporting.periods import month_add

    return reports.approved(enterprise, month_add(period, -months))


def enterprises_like(template, count: int, *, prefix: str = "MA9", approved=None) -> list:
    """`count` approved enterprises copied from `template` (same region, industry, reviewer), bulk-created
    for speed; each gets its own valid credit code and name. With `approved` (an approved submission of
    `template`, see `approved_before`), each copy gets a copy of it: its 基本信息 for a batch import."""
    from enterprises.models import Enterprise
    from enterprises.validators import uscc_check_char
    from reporting.models import Submission

    rows = []
    for number in range(count):
        code17 = f"91{template.region_code}{prefix}{number:06d}"[:17]
        fields = {f.attname: getattr(template, f.attname) for f in Enterprise._meta.concrete_fields if f.name != "id"}
        fields.update(name=f"批量导入测试企业{number:05d}", credit_code=code17 + uscc_check_char(code17), mobile="")
        rows.append(Enterprise(**fields))
    created = Enterprise.objects.bulk_create(rows, batch_size=500)
    if approved is not None:
        copied = [f for f in Submission._meta.concrete_fields if f.name not in ("id", "enterprise")]
        Submission.objects.bulk_create([Submission(enterprise=enterprise, **{f.attname: getattr(approved, f.attname)
                                                                            for f in copied}) for enterprise in created],
                                       batch_size=500)
    return created
