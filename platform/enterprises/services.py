"""Enterprise services."""
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AdministratorProfile
from regions.models import Region

from .enums import RegistrationStatus
from .models import Enterprise


def direct_reviewer_for(region: Region) -> AdministratorProfile | None:
    """直接授权审核员: the lowest (deepest) administrator whose manageable region contains `region`."""
    containing = Region.objects.filter(
        Q(level=1, code=region.code[:2] + "0000") | Q(level=2, code=region.code[:4] + "00") | Q(pk=region.pk)
    )
    profiles = AdministratorProfile.objects.select_related("region").order_by("-region__level", "-depth", "id")
    return profiles.filter(region__in=containing).first() or profiles.filter(region__isnull=True).first()


@transaction.atomic
def enterprise_create_approved(*, user, **fields) -> Enterprise:
    """Create an enterprise that is already approved (demo data and test helpers)."""
    region = fields["region"]
    enterprise = Enterprise(user=user, region_code=region.code, **fields)
    enterprise.status = RegistrationStatus.APPROVED
    enterprise.approved_at = timezone.now()
    enterprise.direct_reviewer = direct_reviewer_for(region)
    enterprise.filler = user
    enterprise.full_clean(exclude=["region_code"])
    enterprise.save()
    return enterprise
