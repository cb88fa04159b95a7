"""The one place that decides what an administrator may see (SPEC §6, ARCHITECTURE "scoping").

Every back-office query that lists regions, administrators or (later) enterprises and their
reports starts from `admin_scope(user)`.
"""
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from regions.models import Region
from regions.selectors import region_subtree

from .models import AdministratorProfile, User


@dataclass(frozen=True)
class AdminScope:
    """What one administrator may see: its region subtree and its descendants in the tree."""

    profile: AdministratorProfile | None

    @property
    def is_empty(self) -> bool:
        return self.profile is None

    @property
    def region_prefix(self) -> str | None:
        """Code prefix of the manageable region ('' for national, None for nobody)."""
        if self.profile is None:
            return None
        return "" if self.profile.region is None else self.profile.region.prefix

    def regions(self) -> QuerySet[Region]:
        if self.profile is None:
            return Region.objects.none()
        return region_subtree(self.profile.region)

    def administrators(self, *, include_self: bool = True) -> QuerySet[AdministratorProfile]:
        if self.profile is None:
            return AdministratorProfile.objects.none()
        qs = AdministratorProfile.objects.filter(path__startswith=self.profile.path, depth__gte=self.profile.depth)
        if not include_self:
            qs = qs.exclude(pk=self.profile.pk)
        return qs.select_related("user", "region")

    def region_q(self, field: str) -> Q:
        """A Q object limiting `field` (a six-digit region code) to this scope; use on any model."""
        prefix = self.region_prefix
        if prefix is None:
            return Q(pk__in=[])
        return Q() if prefix == "" else Q(**{f"{field}__startswith": prefix})

    def contains_region(self, region: Region | None) -> bool:
        prefix = self.region_prefix
        if prefix is None or region is None:
            return prefix == ""
        return region.code.startswith(prefix)


def admin_scope(user: User) -> AdminScope:
    """The scope of `user`: empty for anyone who is not an active administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AdminScope(profile=None)
    profile = AdministratorProfile.objects.select_related("region").filter(user=user).first()
    return AdminScope(profile=profile)
