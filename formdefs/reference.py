"""Reference data behind cascading selects: regions (3 levels), industries (4), registration types (≤3).

A source lists the children of a code (what the /ref/ endpoints return) and the chain of
ancestors of a stored code (to redisplay a chosen value). A new source is one entry in SOURCES.
"""
from dataclasses import dataclass
from typing import Callable

from django.urls import reverse


@dataclass(frozen=True)
class ReferenceSource:
    name: str
    levels: int
    url_name: str
    children: Callable[[str], list]
    chain: Callable[[str], list]

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_complete(self, code: str, levels: int | None = None) -> bool:
        """The code exists and is a leaf: at the required depth or without children."""
        chain = self.chain(code)
        if not chain:
            return False
        return len(chain) >= (levels or self.levels) or not self.children(code)


def _region_children(parent: str) -> list:
    from regions.selectors import region_children

    return [(r.code, r.name) for r in region_children(parent_code=parent or None)]


def _region_chain(code: str) -> list:
    from regions.models import Region

    # Province, city and county in one query (the chain of a county took three).
    node, chain = Region.objects.filter(code=code).select_related("parent__parent").order_by("-level").first(), []
    while node is not None:
        chain.append(node.code)
        node = node.parent
    return list(reversed(chain))


def _industry_children(parent: str) -> list:
    from regions.selectors import industry_children

    return [(i.full_code, i.name) for i in industry_children(parent_code=parent or None)]


def _industry_chain(code: str) -> list:
    from regions.selectors import industry_by_full_code

    node, chain = industry_by_full_code(code), []
    while node is not None:
        chain.append(node.full_code)
        node = node.parent
    return list(reversed(chain))


def _registration_children(parent: str) -> list:
    from regions.selectors import registration_type_children

    return [(t.code, t.name) for t in registration_type_children(parent_code=parent or None)]


def _registration_chain(code: str) -> list:
    from regions.models import RegistrationType

    node, chain = RegistrationType.objects.filter(code=code).select_related("parent").first(), []
    while node is not None:
        chain.append(node.code)
        node = node.parent
    return list(reversed(chain))


SOURCES = {
    "region": ReferenceSource("region", 3, "regions:region-children", _region_children, _region_chain),
    "industry": ReferenceSource("industry", 4, "regions:industry-children", _industry_children, _industry_chain),
    "registration_type": ReferenceSource(
        "registration_type", 3, "regions:registration-type-children", _registration_children, _registration_chain
    ),
}
