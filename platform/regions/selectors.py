"""Reference-data reads: cascading-select children and lookups."""
from django.db.models import QuerySet

from .models import Industry, Region, RegistrationType


def region_children(*, parent_code: str | None) -> QuerySet[Region]:
    qs = Region.objects.filter(parent__isnull=True) if not parent_code else Region.objects.filter(parent__code=parent_code)
    return qs.only("code", "name", "level").order_by("code")


def industry_children(*, parent_code: str | None) -> QuerySet[Industry]:
    """Children of an industry node; `parent_code` may carry the section letter (C13 → 13)."""
    if not parent_code:
        return Industry.objects.filter(parent__isnull=True).order_by("code")
    code = parent_code[1:] if len(parent_code) > 1 and parent_code[0].isalpha() else parent_code
    return Industry.objects.filter(parent__code=code).order_by("code")


def registration_type_children(*, parent_code: str | None) -> QuerySet[RegistrationType]:
    if not parent_code:
        return RegistrationType.objects.filter(parent__isnull=True)
    return RegistrationType.objects.filter(parent__code=parent_code)


def industry_by_full_code(full_code: str) -> Industry | None:
    """Look up `O8290`, `A0111` or a section letter."""
    if not full_code:
        return None
    code = full_code if len(full_code) == 1 else full_code[1:]
    return Industry.objects.filter(code=code, section=full_code[0]).select_related("parent__parent__parent").first()


def region_by_code(code: str, *, level: int | None = None) -> Region | None:
    """The region with `code`; the deepest one when a city repeats as its own county."""
    qs = Region.objects.filter(code=code)
    if level is not None:
        qs = qs.filter(level=level)
    return qs.order_by("-level").first()


def region_subtree(region: Region | None) -> QuerySet[Region]:
    """Every region in `region`'s subtree (itself included); all regions for None (national)."""
    if region is None:
        return Region.objects.all()
    return Region.objects.filter(code__startswith=region.prefix)
