"""Names beside codes in exports (issue 21 §4): 地区名称 beside 地区代码 (GB/T 2260), 行业名称 beside 行业代码
(GB/T 4754-2017), looked up from the reference tables once per batch of rows, never once per row.

    names = code_names(regions=[e.region_code for e in batch], industries=[e.industry.full_code for e in batch])
    names.region("330203")  # 浙江省宁波市海曙区
    names.industry("C3435")  # 电梯、自动扶梯及升降机制造

For Wagtail listings' XLSX / CSV buttons, `CodeNamesExportMixin` adds `region_name` and `industry_name`
to every exported item (list them in `list_export` beside `region_code` and `industry.full_code`).
"""
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from regions.models import Industry, Region

#: Names of the placeholder levels of GB/T 2260 (a municipality's 市辖区, a province's 省直辖县级行政区划),
#: left out of a full region name as people write it (北京市东城区, not 北京市市辖区东城区).
PLACEHOLDER_REGION_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
CHUNK = 2000
#: The column headings, the same in every export.
REGION_CODE, REGION_NAME = gettext_lazy("Region code"), gettext_lazy("Region name")
INDUSTRY_CODE, INDUSTRY_NAME = gettext_lazy("Industry code"), gettext_lazy("Industry name")
#: `export_headings` of a listing that uses `CodeNamesExportMixin` and its four columns.
EXPORT_HEADINGS = {"region_code": REGION_CODE, "region_name": REGION_NAME,
                   "industry.full_code": INDUSTRY_CODE, "industry_name": INDUSTRY_NAME}


@dataclass
class CodeNames:
    regions: dict[str, str] = field(default_factory=dict)
    industries: dict[str, str] = field(default_factory=dict)

    def region(self, code) -> str:
        return self.regions.get(code or "", "")

    def industry(self, full_code) -> str:
        return self.industries.get(full_code or "", "")


def _region_chain(code: str) -> list[tuple[str, int]]:
    """(code, level) of a six-digit region code and the province and city above it (330203: 330000,
    330200, 330203); a province's or a city's own code gives just its levels."""
    chain = [(code[:2] + "0000", 1)]
    if code[2:4] != "00":
        chain.append((code[:4] + "00", 2))
        if code[4:] != "00":
            chain.append((code, 3))
    return chain


def region_names(codes: Iterable[str]) -> dict[str, str]:
    """{six-digit code: 浙江省宁波市海曙区} in one query."""
    codes = {c for c in codes if c and len(c) == 6 and c.isdigit()}
    if not codes:
        return {}
    chains = {code: _region_chain(code) for code in codes}
    wanted = {node for chain in chains.values() for node in chain}
    names = {(r.code, r.level): r.name for r in Region.objects.filter(code__in={c for c, _level in wanted})
             .only("code", "name", "level")}
    out = {}
    for code, chain in chains.items():
        parts = [names.get(node) for node in chain]
        if parts[-1] is None:
            continue  # not a known region: no name rather than a wrong one
        out[code] = "".join(p for p in parts if p and p not in PLACEHOLDER_REGION_NAMES)
    return out


def industry_names(full_codes: Iterable[str]) -> dict[str, str]:
    """{C3435: 电梯、自动扶梯及升降机制造} (a section letter alone: the section's name) in one query."""
    full_codes = {c for c in full_codes if c}
    if not full_codes:
        return {}
    # a section's code is its letter; every other node's code is unique without the letter (3435)
    codes = {c if len(c) == 1 else c[1:] for c in full_codes}
    out = {}
    for industry in Industry.objects.filter(code__in=codes).only("code", "section", "level", "name"):
        if industry.full_code in full_codes:
            out[industry.full_code] = industry.name
    return out


def code_names(*, regions: Iterable[str] = (), industries: Iterable[str] = ()) -> CodeNames:
    """The names of the given region and industry codes: at most one query for each kind."""
    return CodeNames(regions=region_names(regions), industries=industry_names(industries))


def with_code_names(items: Iterable, *, region: Callable, industry: Callable, chunk: int = CHUNK):
    """Yield `items` with `region_name` and `industry_name` set on each, looked up a chunk at a time.

    `region(item)` and `industry(item)` give the item's region code and industry full code ('' for none).
    """
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, chunk)):
        names = code_names(regions=[region(i) for i in batch], industries=[industry(i) for i in batch])
        for item in batch:
            item.region_name = names.region(region(item))
            item.industry_name = names.industry(industry(item))
            yield item


class _NamedRows:
    """A queryset seen by Wagtail's spreadsheet writer: its `model` (for the headings) and its items with names."""

    def __init__(self, queryset, region, industry):
        self.model, self._queryset, self._region, self._industry = queryset.model, queryset, region, industry

    def __iter__(self):
        rows = self._queryset.iterator(chunk_size=CHUNK) if hasattr(self._queryset, "iterator") else self._queryset
        return with_code_names(rows, region=self._region, industry=self._industry)


class CodeNamesExportMixin:
    """For a Wagtail IndexView with `list_export`: every exported item gets `region_name` and
    `industry_name` (one lookup per chunk of rows), to list beside `region_code` and `industry.full_code`.

    Override `export_region_code(item)` / `export_industry_code(item)` for models that keep the codes elsewhere.
    """

    def export_region_code(self, item) -> str:
        return item.region_code or ""

    def export_industry_code(self, item) -> str:
        return item.industry.full_code if getattr(item, "industry_id", None) else ""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(_NamedRows(queryset, self.export_region_code, self.export_industry_code),
                                      spreadsheet_format)
