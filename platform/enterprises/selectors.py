"""Enterprise reads: which enterprises a portal user works for and may fill in."""
from django.db.models import Q, QuerySet

from .enums import RegistrationStatus
from .models import Enterprise

SESSION_KEY = "enterprise_id"


def enterprises_for_user(user) -> QuerySet:
    """The enterprises a portal user registered or fills for (associations add more, SPEC §4)."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(Q(user=user) | Q(filler=user)).distinct()


def enterprise_current(request) -> Enterprise | None:
    """The enterprise the portal user is working for: the one chosen in the session, else the first."""
    enterprises = enterprises_for_user(request.user).select_related("industry", "region")
    chosen = request.session.get(SESSION_KEY)
    if chosen:
        enterprise = enterprises.filter(pk=chosen).first()
        if enterprise:
            return enterprise
    return enterprises.order_by("-status", "id").filter(filler=request.user).first() or enterprises.order_by("id").first()


def enterprise_can_fill(user, enterprise: Enterprise) -> bool:
    """Only the filler of an approved, enabled enterprise fills and submits its reports."""
    return (
        enterprise.filler_id == user.pk
        and enterprise.status == RegistrationStatus.APPROVED
        and not enterprise.is_disabled
    )
