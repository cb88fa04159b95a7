"""Reference-data services: loading the shipped data files and classifying enterprise size."""
import csv
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .enums import EnterpriseSize, IndustryLevel
from .models import HoldingType, Industry, Region, RegistrationType, SizeStandard

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _upsert_tree(model, rows: list[dict], fields: list[str], *, extra=lambda row: {}) -> int:
    """Insert or update a code-keyed tree level by level (parents first); returns rows touched."""
    # Keyed by (code, level): a code can repeat one level down (a city that is its own county).
    existing = {(obj.code, obj.level): obj for obj in model.objects.all()}
    by_level: dict[int, list[dict]] = {}
    for row in rows:
        by_level.setdefault(int(row["level"]), []).append(row)
    for level in sorted(by_level):
        creates, updates = [], []
        for row in by_level[level]:
            values = {f: row[f] for f in fields} | extra(row)
            values["level"] = level
            values["parent"] = existing[(row["parent_code"], level - 1)] if row.get("parent_code") else None
            obj = existing.get((row["code"], level))
            if obj is None:
                creates.append(model(code=row["code"], **values))
            elif any(getattr(obj, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(obj, k, v)
                updates.append(obj)
        model.objects.bulk_create(creates, batch_size=1000)
        if updates:
            model.objects.bulk_update(updates, list(values), batch_size=1000)
        existing.update({(obj.code, obj.level): obj for obj in model.objects.filter(level=level)})
    return len(rows)


@transaction.atomic
def refdata_load() -> dict[str, int]:
    """Load (idempotently) every shipped reference data file; returns the counts in the database."""
    _upsert_tree(Region, _read_csv("regions_gbt2260.csv"), ["name"])

    industry_rows = _read_csv("industries_gbt4754_2017.csv")
    sections: dict[str, str] = {}
    for row in industry_rows:  # the file lists parents before children
        sections[row["code"]] = row["code"] if row["level"] == "1" else sections[row["parent_code"]]
    _upsert_tree(
        Industry, industry_rows, ["name", "note"], extra=lambda row: {"section": sections[row["code"]]}
    )

    reg_rows = _read_csv("registration_types.csv")
    codes = {r["code"]: r for r in reg_rows}
    for row in reg_rows:
        depth, node = 1, row
        while node["parent_code"]:
            depth, node = depth + 1, codes[node["parent_code"]]
        row["level"] = depth
    _upsert_tree(RegistrationType, reg_rows, ["name"])

    for row in _read_csv("holding_types.csv"):
        HoldingType.objects.update_or_create(code=row["code"], defaults={"name": row["name"]})

    standard = json.loads((DATA_DIR / "sme_size_standard_2011.json").read_text(encoding="utf-8"))
    SizeStandard.objects.update_or_create(year=2011, defaults={"name": standard["name"], "data": standard})

    return {
        "regions": Region.objects.count(),
        "industries": Industry.objects.count(),
        "registration_types": RegistrationType.objects.count(),
        "holding_types": HoldingType.objects.count(),
        "size_standards": SizeStandard.objects.count(),
    }


@dataclass(frozen=True)
class SizeMeasures:
    """Last year's figures as entered on the registration form (revenue and assets in 千元)."""

    revenue_thousand: Decimal | int | float | None
    employees: int | None
    assets_thousand: Decimal | int | float | None


def _sector_for(standard: dict, industry: Industry) -> dict:
    # The most specific entry wins: group (3 digits), division (2), section letter, then "*".
    candidates = []
    code = industry.code if industry.level != IndustryLevel.SECTION else ""
    candidates += [code[:3], code[:2]] if len(code) >= 3 else ([code[:2]] if code else [])
    candidates += [industry.section, "*"]
    for key in candidates:
        for sector in standard["sectors"]:
            if key and key in sector["industries"]:
                return sector
    raise ValueError(f"no size sector for industry {industry.full_code}")


def enterprise_size_classify(*, industry: Industry, measures: SizeMeasures, year: int | None = None) -> str:
    """企业规模: classify by the SME size standard in force for `year` (latest when None).

    Raises ValueError naming the missing measure when the sector needs one that is absent.
    """
    qs = SizeStandard.objects.all()
    if year is not None:
        qs = qs.filter(year__lte=year)
    standard_row = qs.order_by("-year").first()
    if standard_row is None:
        raise ValueError("no SME size standard loaded; run load_refdata")
    sector = _sector_for(standard_row.data, industry)
    # The standard counts money in 万元; the form in 千元 (1 万元 = 10 千元).
    values = {
        "revenue": None if measures.revenue_thousand is None else Decimal(str(measures.revenue_thousand)) / 10,
        "employees": None if measures.employees is None else Decimal(measures.employees),
        "assets": None if measures.assets_thousand is None else Decimal(str(measures.assets_thousand)) / 10,
    }
    needed = set(sector["sme_upper"]) | set(sector["medium"]) | set(sector["small"])
    missing = sorted(k for k in needed if values[k] is None)
    if missing:
        raise ValueError("missing measures: " + ", ".join(missing))

    if not any(values[k] < Decimal(str(v)) for k, v in sector["sme_upper"].items()):
        return EnterpriseSize.LARGE
    if all(values[k] >= Decimal(str(v)) for k, v in sector["medium"].items()):
        return EnterpriseSize.MEDIUM
    if all(values[k] >= Decimal(str(v)) for k, v in sector["small"].items()):
        return EnterpriseSize.SMALL
    return EnterpriseSize.MICRO
