"""The one place that decides what an administrator may see (SPEC §6, ARCHITECTURE "scoping").

Every back-office query that lists regions, administrators or (later) enterprises and their
reports starts from `admin_scope(user)`.
"""
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import ngettext

from regions.models import Region
from regions.selectors import region_subtree

from .enums import AdminFlag
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
    """The scope of `user`: empty for anyone who is not an active administrator.

    A request's user carries the scope `admin_scope_of` read for it, so the menus, permission checks and
    filters of one page read the profile once.
    """
    cached = getattr(user, "_request_admin_scope", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AdminScope(profile=None)
    profile = AdministratorProfile.objects.select_related("region", "user").filter(user=user).first()
    return AdminScope(profile=profile)


def direct_reviewer_for(region: Region) -> AdministratorProfile | None:
    """直接授权审核员: the lowest (deepest) administrator whose manageable region contains `region`."""
    containing = Region.objects.filter(
        Q(level=1, code=region.code[:2] + "0000") | Q(level=2, code=region.code[:4] + "00") | Q(pk=region.pk)
    )
    profiles = AdministratorProfile.objects.select_related("region").order_by("-region__level", "-depth", "id")
    return profiles.filter(region__in=containing).first() or profiles.filter(region__isnull=True).first()


def administrator_office(profile: AdministratorProfile) -> str:
    """How an enterprise names an administrator: their office (海曙区经济和信息化局), else their region's full
    name, else (no region: a national superuser's profile) their login name."""
    return profile.organisation or (profile.region.full_name if profile.region_id else profile.user.username)


def user_office(user: User | None) -> str:
    """An audit trail's actor as an enterprise reads it: an administrator's office, anyone else's login name."""
    if user is None:
        return ""
    profile = getattr(user, "admin_profile", None)
    return administrator_office(profile) if profile is not None else user.username


def admin_scope_of(request) -> AdminScope:
    """`admin_scope(request.user)`, read once per request: the back-office menus of every app ask it."""
    if getattr(request, "_admin_scope", None) is None:
        request._admin_scope = admin_scope(request.user)
        if getattr(request.user, "is_authenticated", False):
            request.user._request_admin_scope = request._admin_scope
    return request._admin_scope


# -- 下级管理员维护 -------------------------------------------------------------------------------

FLAG_FIELDS = ("can_review_registration", "can_review_report", "can_skip_level", "can_one_click", "can_sms_remind")


def administrator_grantable_flags(granter: AdministratorProfile) -> set[str]:
    """The flags `granter` may switch on for a subordinate: those it holds, plus 越级审核权 for the
    national administrator (the only one who creates the province administrators that may hold it)."""
    flags = {f for f in FLAG_FIELDS if getattr(granter, f)}
    if granter.is_national:
        flags.add("can_skip_level")
    else:
        # A regional administrator's subordinates are cities and counties: never skip-level.
        flags.discard("can_skip_level")
    return flags


def administrator_ties(profile: AdministratorProfile) -> list[str]:
    """What keeps `profile` in place (translated phrases); empty when it may be deleted or moved.

    Enterprises and reports are counted through their reverse relations (`reviewed_enterprises`,
    `held_submissions`): accounts sits below the domain apps and imports none of them.
    """
    ties = []
    children = AdministratorProfile.objects.filter(path__startswith=profile.path, depth=profile.depth + 1).count()
    if children:
        ties.append(ngettext("has %(n)d subordinate administrator", "has %(n)d subordinate administrators",
                             children) % {"n": children})
    reviewed = profile.reviewed_enterprises.count()
    if reviewed:
        ties.append(ngettext("is the direct reviewer of %(n)d enterprise", "is the direct reviewer of %(n)d enterprises",
                             reviewed) % {"n": reviewed})
    held = profile.held_submissions.count()
    if held:
        ties.append(ngettext("holds %(n)d report waiting for review", "holds %(n)d reports waiting for review",
                             held) % {"n": held})
    return ties


@dataclass
class AdministratorNode:
    """One administrator of the tree with its subordinates, for the 下级管理员维护 page."""

    profile: AdministratorProfile
    children: list["AdministratorNode"]

    @property
    def flag_labels(self) -> list[str]:
        return [flag.label for flag in AdminFlag if getattr(self.profile, flag.value)]


def administrator_tree(scope: AdminScope) -> AdministratorNode | None:
    """The scope's administrator with every subordinate nested below it (one query)."""
    if scope.is_empty:
        return None
    nodes: dict[str, AdministratorNode] = {}
    root = None
    qs = scope.administrators().select_related("user", "created_by", "region__parent__parent").order_by("path")
    for profile in qs:
        node = AdministratorNode(profile=profile, children=[])
        nodes[profile.path] = node
        parent = nodes.get(profile.path[: -profile.steplen])
        if parent is None:
            root = node
        else:
            parent.children.append(node)
    return root


def subordinate_get(scope: AdminScope, pk: int) -> AdministratorProfile | None:
    """An administrator of the scope's subtree (itself included), or None when outside it."""
    return (scope.administrators().select_related("user", "created_by", "region__parent__parent")
            .filter(pk=pk).first())
