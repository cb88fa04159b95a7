"""Enterprise reads: which enterprises a portal user works for and may fill in, registrations, size."""
from decimal import Decimal, InvalidOperation

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.selectors import admin_scope
from regions.selectors import industry_by_full_code

from .enums import AssociationRole, RegistrationStatus
from .models import Enterprise

SESSION_KEY = "enterprise_id"


def enterprises_for_user(user) -> QuerySet:
    """The enterprises a portal user registered, fills for or is associated with (关联企业, SPEC §4)."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(Q(user=user) | Q(filler=user) | Q(associations__user=user)).distinct()


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


# -- registration ------------------------------------------------------------------------------

def enterprise_registration_of(user) -> Enterprise | None:
    """The enterprise `user` registered (one registration mobile registers one enterprise)."""
    if not user.is_authenticated:
        return None
    return (Enterprise.objects.select_related("industry", "region", "registration_type", "holding_type",
                                              "direct_reviewer__region")
            .filter(user=user).order_by("id").first())


def registration_refusal(user, enterprise: Enterprise | None = None) -> str | None:
    """Why `user` may not fill the registration form now, or None when they may.

    A user registers once; a pending or approved registration is not edited, a returned one is.
    """
    if not getattr(user, "is_enterprise_user", False) or getattr(user, "is_administrator", False):
        return _("Only enterprise users register enterprises.")
    enterprise = enterprise if enterprise is not None else enterprise_registration_of(user)
    if enterprise is None or enterprise.status in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED):
        return None
    if enterprise.status == RegistrationStatus.PENDING:
        return _("Your registration is waiting for review and cannot be changed now.")
    return _("This account has already registered an enterprise: one registration mobile registers one enterprise.")


def enterprise_registration_answers(enterprise: Enterprise | None) -> dict:
    """The enterprise as answers of the registration definition (to correct a returned registration)."""
    if enterprise is None:
        return {}

    def number(value):
        # 25000.00 is shown as 25000, not 25000.0
        return None if value is None else (int(value) if value == value.to_integral_value() else float(value))

    values = {
        "name": enterprise.name, "credit_code": enterprise.credit_code, "legal_representative": enterprise.legal_representative,
        "industry": enterprise.industry.full_code, "region": enterprise.region_code,
        "registration_type": enterprise.registration_type.code, "holding_type": enterprise.holding_type.code,
        "revenue_last_year": number(enterprise.revenue_last_year), "employees_last_year": enterprise.employees_last_year,
        "assets_last_year": number(enterprise.assets_last_year), "size": enterprise.size,
        "is_listed": enterprise.is_listed, "stock_code": enterprise.stock_code if enterprise.is_listed else "",
        "opened_on": enterprise.opened_on.isoformat() if enterprise.opened_on else None, "website": enterprise.website,
        "address": enterprise.address, "postcode": enterprise.postcode, "contact": enterprise.contact,
        "phone": enterprise.phone, "mobile": enterprise.mobile, "fax": enterprise.fax, "email": enterprise.email,
        "main_business": enterprise.main_business,
    }
    return {k: v for k, v in values.items() if v not in (None, "")}


def registration_draft_exists(user) -> bool:
    """Whether `user` has a 暂存 draft of the registration wizard (RegistrationOwner.draft_key)."""
    from formdefs.selectors import wizard_draft_get

    # The wizard keeps drafts under its storage prefix: "wizard_formdefs_" + the owner's draft key.
    return wizard_draft_get(user=user, key=f"wizard_formdefs_registration:{user.pk}") is not None


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def enterprise_size_for_answers(answers: dict) -> str | None:
    """企业规模 computed from 所属行业 and last year's revenue, employees and assets; None while
    the industry or a measure the industry's size standard needs is missing."""
    from regions.services import SizeMeasures, enterprise_size_classify

    industry = industry_by_full_code(str(answers.get("industry") or ""))
    if industry is None:
        return None
    employees = _decimal(answers.get("employees_last_year"))
    measures = SizeMeasures(revenue_thousand=_decimal(answers.get("revenue_last_year")),
                            employees=None if employees is None else int(employees),
                            assets_thousand=_decimal(answers.get("assets_last_year")))
    try:
        return enterprise_size_classify(industry=industry, measures=measures)
    except ValueError:
        return None


def registrations_for_review(actor, *, status: str | None = None) -> QuerySet:
    """Registrations an administrator may review: in the scope of `admin_scope`, flag required."""
    scope = admin_scope(actor)
    if scope.is_empty or not scope.profile.can_review_registration:
        return Enterprise.objects.none()
    statuses = [status] if status else [RegistrationStatus.PENDING, RegistrationStatus.RETURNED]
    return (Enterprise.objects.filter(scope.region_q("region_code"), status__in=statuses)
            .select_related("region", "industry", "user").order_by("submitted_at", "id"))


# -- association and filler (Shanghai variant) ----------------------------------------------------

def enterprise_is_associated(user, enterprise: Enterprise) -> bool:
    return enterprises_for_user(user).filter(pk=enterprise.pk).exists()


def enterprise_role(user, enterprise: Enterprise) -> str:
    if enterprise.filler_id == user.pk:
        return AssociationRole.FILLER
    if enterprise.user_id == user.pk:
        return AssociationRole.REGISTRANT
    return AssociationRole.ASSOCIATED


def enterprise_associated_users(enterprise: Enterprise) -> QuerySet:
    """Everyone associated with `enterprise`: the registrant, the filler and the association rows."""
    from accounts.models import User

    return (User.objects.filter(Q(pk=enterprise.user_id) | Q(pk=enterprise.filler_id) | Q(enterprise_associations__enterprise=enterprise))
            .distinct().order_by("username"))


def enterprise_memberships(user) -> list[dict]:
    """One row per enterprise of `user` for the association page: role and what they may do."""
    from accounts.models import User

    enterprises = list(enterprises_for_user(user).select_related("region", "filler").order_by("name"))
    others: dict[int, list] = {e.pk: [] for e in enterprises}
    filled = [e for e in enterprises if e.filler_id == user.pk]
    if filled:
        ids = [e.pk for e in filled]
        candidates = (User.objects.filter(Q(enterprises__in=ids) | Q(enterprise_associations__enterprise__in=ids))
                      .exclude(pk=user.pk).distinct().order_by("username"))
        for candidate in candidates.prefetch_related("enterprise_associations"):
            linked = {a.enterprise_id for a in candidate.enterprise_associations.all()}
            linked |= {e.pk for e in filled if e.user_id == candidate.pk}
            for enterprise_id in linked & set(ids):
                others[enterprise_id].append(candidate)
    rows = []
    for enterprise in enterprises:
        role = enterprise_role(user, enterprise)
        rows.append({
            "enterprise": enterprise, "role": role, "role_label": AssociationRole(role).label,
            "approved": enterprise.status == RegistrationStatus.APPROVED,
            "can_apply": enterprise.status == RegistrationStatus.APPROVED and enterprise.filler_id is None,
            "handover_to": others[enterprise.pk] if role == AssociationRole.FILLER else [],
            "can_fill": enterprise_can_fill(user, enterprise),
        })
    return rows


# -- back office: registration review and enterprise management (SPEC §4, §6) -------------------

def registration_for_review_get(actor, pk: int) -> Enterprise:
    """A pending or returned registration the actor may review (Enterprise.DoesNotExist otherwise)."""
    return (registrations_for_review(actor)
            .select_related("registration_type", "holding_type", "region__parent__parent", "direct_reviewer__user")
            .get(pk=pk))


def enterprises_for_management(actor) -> QuerySet:
    """监测企业: the approved enterprises in the actor's manageable region (none for non-administrators)."""
    scope = admin_scope(actor)
    if scope.is_empty or not getattr(actor, "is_administrator", False):
        return Enterprise.objects.none()
    return (Enterprise.objects.filter(scope.region_q("region_code"), status=RegistrationStatus.APPROVED)
            .select_related("region", "industry", "user", "filler", "direct_reviewer__user").order_by("name", "id"))


def enterprise_for_management_get(actor, pk: int) -> Enterprise:
    """A monitored enterprise of the actor's region (Enterprise.DoesNotExist otherwise)."""
    return (enterprises_for_management(actor)
            .select_related("registration_type", "holding_type", "region__parent__parent").get(pk=pk))


def region_filter_choices(actor) -> list[tuple[str, str]]:
    """Regions to filter a list by: the actor's region and two levels below it, as (code prefix, name)."""
    scope = admin_scope(actor)
    if scope.is_empty:
        return []
    own = scope.profile.region
    top = own.level if own else 1
    regions = scope.regions().filter(level__lte=(own.level if own else 0) + 2).order_by("code", "level")
    choices, seen = [], set()
    for region in regions:
        if region.prefix not in seen:
            seen.add(region.prefix)
            choices.append((region.prefix, "\u3000" * (region.level - top) + region.name))
    return choices


def enterprise_ties(enterprise: Enterprise) -> list[str]:
    """What keeps an enterprise from being deleted (translated phrases): its reports and questionnaire answers."""
    from django.utils.translation import ngettext

    ties = []
    reports = enterprise.submissions.count()
    if reports:
        ties.append(ngettext("has %(n)d report", "has %(n)d reports", reports) % {"n": reports})
    answers = enterprise.questionnaire_responses.count()
    if answers:
        ties.append(ngettext("has %(n)d questionnaire answer", "has %(n)d questionnaire answers", answers) % {"n": answers})
    return ties


def enterprise_events(enterprise: Enterprise) -> QuerySet:
    """The audit trail of an enterprise, newest first."""
    return enterprise.events.select_related("actor")


def reviewer_choices(actor) -> QuerySet:
    """Administrators of the actor's subtree who review reports: who may be chosen as a direct reviewer."""
    return admin_scope(actor).administrators().filter(can_review_report=True).order_by("path")


def registration_reviewing_office(enterprise: Enterprise) -> str:
    """The office that reviews this registration: the organisation (e.g. 海曙区经济和信息化局) of its
    direct reviewer (chosen at registration), else of the nearest administrator with the registration
    review permission whose region holds the enterprise's; that administrator's region when it names no
    organisation; "" when there is none."""
    from accounts.models import AdministratorProfile

    reviewer = enterprise.direct_reviewer
    if reviewer is not None:
        return reviewer.organisation or (reviewer.region.full_name if reviewer.region else "")
    regions, node = [], enterprise.region
    while node is not None:
        regions.append(node)
        node = node.parent
    reviewers = {p.region_id: p for p in AdministratorProfile.objects.filter(
        can_review_registration=True, region__in=regions).order_by("path")}
    for region in regions:  # the enterprise's own region first, then up the tree
        profile = reviewers.get(region.pk)
        if profile is not None:
            return profile.organisation or region.full_name
    national = AdministratorProfile.objects.filter(can_review_registration=True, region__isnull=True).first()
    return (national.organisation if national else "") or ""
