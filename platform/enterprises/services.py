"""Enterprise services: registration (企业信息注册) and its review, association and the filler,
and the back office's enterprise management (监测企业信息管理).

Each transition checks the table below and the actor's permission, locks the row inside
`transaction.atomic`, saves with `update_fields` and writes an `EnterpriseEvent`.
"""
import datetime

from django.core.exceptions import ImproperlyConfigured, NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AdministratorProfile, User
from accounts.selectors import admin_scope, direct_reviewer_for
from accounts.services import sms_send
from formdefs.selectors import version_current
from formdefs.services import answers_validate
from regions.enums import IndustryLevel, RegionLevel
from regions.models import HoldingType, RegistrationType
from regions.selectors import industry_by_full_code, region_by_code
from statemachine import StateTable
from workflow.services import submissions_reassign

from .enums import REGISTRATION_FORM_KEY, RETURN_REASON_MAX_LENGTH, EnterpriseAction, EnterpriseState, RegistrationStatus
from .models import Enterprise, EnterpriseAssociation, EnterpriseEvent
from .selectors import enterprise_is_associated, enterprise_size_for_answers, enterprise_ties, registration_refusal

S = RegistrationStatus

#: Registration transitions: action → (statuses it starts from, status it ends in).
#: `None` is "no enterprise row yet"; a deleted registration ends in None.
REGISTRATION_TRANSITIONS: dict[str, tuple[frozenset, str | None]] = {
    EnterpriseAction.REGISTRATION_SUBMIT: (frozenset({None, S.DRAFT, S.RETURNED}), S.PENDING),
    EnterpriseAction.REGISTRATION_APPROVE: (frozenset({S.PENDING}), S.APPROVED),
    EnterpriseAction.REGISTRATION_RETURN: (frozenset({S.PENDING}), S.RETURNED),
    EnterpriseAction.REGISTRATION_DELETE: (frozenset({S.PENDING, S.RETURNED}), None),
}

#: Answer ids of the registration definition copied as they are onto `Enterprise`.
PLAIN_FIELDS = ("name", "credit_code", "legal_representative", "stock_code", "address", "postcode", "website",
                "contact", "phone", "fax", "mobile", "email", "main_business")

APPROVED_SMS = "【中小企业运行监测】您的企业“{name}”注册信息已审核通过，现在可以登录平台填报。"


def _event(*, enterprise: Enterprise, action: str, actor, from_status: str | None, to_status: str | None, reason: str = "") -> EnterpriseEvent:
    return EnterpriseEvent.objects.create(
        enterprise=enterprise if enterprise.pk else None, enterprise_name=enterprise.name, action=action,
        actor=actor if getattr(actor, "pk", None) else None, from_status=from_status or "", to_status=to_status or "", reason=reason)


def _refuse(action: str, current: str | None) -> ValidationError:
    return ValidationError(
        _("“%(action)s” is not possible for a registration that is %(status)s.")
        % {"action": EnterpriseAction(action).label, "status": S(current).label if current else _("not registered")},
        code="transition")


#: The table as the shared helper reads it (statemachine.StateTable).
REGISTRATION = StateTable(REGISTRATION_TRANSITIONS, refuse=_refuse)


def _transition_check(action: str, current: str | None) -> str | None:
    return REGISTRATION.check(action, current)


def _record(enterprise: Enterprise, action: str, actor, reason: str = ""):
    """The `record` of a registration move: its EnterpriseEvent."""
    return lambda from_status, to_status: _event(enterprise=enterprise, action=action, actor=actor,
                                                 from_status=from_status, to_status=to_status, reason=reason)


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


# -- registration ------------------------------------------------------------------------------

def _validated_answers(answers: dict) -> dict:
    """Run the registration definition's checks (required, patterns, rules) on `answers`."""
    version = version_current(key=REGISTRATION_FORM_KEY)
    if version is None:
        raise ImproperlyConfigured(f"the form definition {REGISTRATION_FORM_KEY!r} is not published (run seed_demo)")
    result = answers_validate(version=version, answers=answers)
    if result.errors:
        errors: dict[str, list] = {}
        for issue in result.errors:
            targets = [f for f in issue.fields if "." not in f] or [NON_FIELD_ERRORS]
            for target in targets:
                errors.setdefault(target, []).append(issue.message)
        raise ValidationError(errors)
    return result.answers


def _fields_from_answers(answers: dict) -> dict:
    """Map answer codes to reference rows and model fields; unknown codes are errors on their field."""
    errors = {}
    industry = industry_by_full_code(answers.get("industry", ""))
    region = region_by_code(answers.get("region", ""))
    registration_type = RegistrationType.objects.filter(code=answers.get("registration_type", "")).first()
    holding_type = HoldingType.objects.filter(code=answers.get("holding_type", "")).first()
    for key, value, label in (("industry", industry, _("Industry")), ("region", region, _("Region")),
                              ("registration_type", registration_type, _("Registration type")),
                              ("holding_type", holding_type, _("Holding type"))):
        if value is None:
            errors[key] = _("%(label)s: choose a value from the list.") % {"label": label}
    if industry is not None and industry.level != IndustryLevel.CLASS:
        errors["industry"] = _("%(label)s: choose down to the last level.") % {"label": _("Industry")}
    if region is not None and region.level != RegionLevel.COUNTY:
        errors["region"] = _("%(label)s: choose down to the last level.") % {"label": _("Region")}
    if errors:
        raise ValidationError(errors)
    fields = {key: answers.get(key) or "" for key in PLAIN_FIELDS}
    fields["credit_code"] = fields["credit_code"].strip().upper()
    fields["name"] = fields["name"].strip()
    is_listed = bool(answers.get("is_listed"))
    fields.update(
        industry=industry, region=region, region_code=region.code, registration_type=registration_type,
        holding_type=holding_type, is_listed=is_listed, stock_code=fields["stock_code"] if is_listed else "",
        revenue_last_year=answers.get("revenue_last_year"), employees_last_year=answers.get("employees_last_year"),
        assets_last_year=answers.get("assets_last_year"),
        opened_on=datetime.date.fromisoformat(answers["opened_on"]) if answers.get("opened_on") else None,
        # 企业规模 is computed whenever the measures the industry's standard needs are given;
        # the chosen radio only stands when they are not.
        size=enterprise_size_for_answers(answers) or answers.get("size") or "",
    )
    return fields


def _uniqueness_check(*, name: str, credit_code: str, exclude_pk: int | None) -> None:
    others = Enterprise.objects.exclude(pk=exclude_pk) if exclude_pk else Enterprise.objects.all()
    errors = {}
    if others.filter(name=name).exists():
        errors["name"] = _("Enterprise name already exists.")  # 企业名称已存在
    if others.filter(credit_code=credit_code).exists():
        errors["credit_code"] = _("Organisation code already exists.")  # 组织机构代码已存在
    if errors:
        raise ValidationError(errors)


def enterprise_register(*, user: User, answers: dict, actor) -> Enterprise:
    """提交审核: create or correct `user`'s enterprise from the registration answers; it becomes 待审核.

    One registration mobile (one account) registers one enterprise: a pending registration cannot
    change, an approved one cannot be registered again, a returned one is corrected in place.
    Nothing is saved when a check fails (ValidationError keyed by answer id).
    """
    if getattr(actor, "pk", None) != user.pk:
        raise PermissionDenied(_("An enterprise is registered by its own account."))
    try:
        with transaction.atomic():
            return _register(user=user, answers=answers, actor=actor)
    except IntegrityError:
        # Two registrations raced for the same name or code: report it as the checks would have.
        own = Enterprise.objects.filter(user=user).values_list("pk", flat=True).first()
        _uniqueness_check(name=(answers.get("name") or "").strip(), credit_code=(answers.get("credit_code") or "").strip().upper(),
                          exclude_pk=own)
        raise


def _register(*, user: User, answers: dict, actor) -> Enterprise:
    User.objects.select_for_update().filter(pk=user.pk).first()  # one registration per account at a time
    enterprise = Enterprise.objects.select_for_update().filter(user=user).order_by("id").first()
    refusal = registration_refusal(user, enterprise)
    if refusal:
        raise ValidationError(refusal, code="registration_refused")
    current = enterprise.status if enterprise else None
    target = _transition_check(EnterpriseAction.REGISTRATION_SUBMIT, current)
    fields = _fields_from_answers(_validated_answers(answers))
    _uniqueness_check(name=fields["name"], credit_code=fields["credit_code"], exclude_pk=enterprise.pk if enterprise else None)
    enterprise = enterprise or Enterprise(user=user)
    for key, value in fields.items():
        setattr(enterprise, key, value)
    enterprise.status, enterprise.return_reason = target, ""
    enterprise.submitted_at = timezone.now()
    enterprise.direct_reviewer = direct_reviewer_for(fields["region"])
    enterprise.filler = user
    enterprise.full_clean(exclude=["region_code"])
    enterprise.save()
    _event(enterprise=enterprise, action=EnterpriseAction.REGISTRATION_SUBMIT, actor=actor, from_status=current, to_status=target)
    return enterprise


# -- review (back office) ------------------------------------------------------------------------

def _reviewer_check(*, actor, enterprise: Enterprise) -> None:
    """The actor reviews registrations (flag) and the enterprise lies in its manageable region."""
    scope = admin_scope(actor)
    if scope.is_empty or not scope.profile.can_review_registration:
        raise PermissionDenied(_("You do not have the registration review permission."))
    if not scope.contains_region(enterprise.region):
        raise PermissionDenied(_("This enterprise is outside your manageable region."))


def _locked(enterprise: Enterprise) -> Enterprise:
    return Enterprise.objects.select_for_update().select_related("region", "user").get(pk=enterprise.pk)


@transaction.atomic
def enterprise_registration_approve(*, enterprise: Enterprise, actor) -> Enterprise:
    """通过: the registration is approved and the registrant is told by SMS."""
    enterprise = _locked(enterprise)
    _reviewer_check(actor=actor, enterprise=enterprise)
    REGISTRATION.move(enterprise, action=EnterpriseAction.REGISTRATION_APPROVE,
                      changes={"approved_at": timezone.now(), "return_reason": ""},
                      record=_record(enterprise, EnterpriseAction.REGISTRATION_APPROVE, actor))
    mobile, text = enterprise.user.mobile, APPROVED_SMS.format(name=enterprise.name)
    if mobile:
        transaction.on_commit(lambda: sms_send(mobile=mobile, text=text))
    return enterprise


@transaction.atomic
def enterprise_registration_return(*, enterprise: Enterprise, actor, reason: str) -> Enterprise:
    """退回: back to the enterprise with a reason (required, at most 150 characters); no SMS."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the registration.")})
    if len(reason) > RETURN_REASON_MAX_LENGTH:
        raise ValidationError({"reason": _("The reason must have at most %(max)s characters.") % {"max": RETURN_REASON_MAX_LENGTH}})
    enterprise = _locked(enterprise)
    _reviewer_check(actor=actor, enterprise=enterprise)
    REGISTRATION.move(enterprise, action=EnterpriseAction.REGISTRATION_RETURN, changes={"return_reason": reason},
                      record=_record(enterprise, EnterpriseAction.REGISTRATION_RETURN, actor, reason))
    return enterprise


@transaction.atomic
def enterprise_registration_delete(*, enterprise: Enterprise, actor) -> None:
    """删除: remove a pending or returned registration (an approved enterprise is never deleted here)."""
    enterprise = _locked(enterprise)
    _reviewer_check(actor=actor, enterprise=enterprise)
    current = enterprise.status
    _transition_check(EnterpriseAction.REGISTRATION_DELETE, current)
    _event(enterprise=enterprise, action=EnterpriseAction.REGISTRATION_DELETE, actor=actor, from_status=current, to_status=None)
    enterprise.delete()


# -- association and filler (Shanghai variant) ----------------------------------------------------

def _enterprise_user_check(user) -> None:
    if not getattr(user, "is_enterprise_user", False) or getattr(user, "is_administrator", False):
        raise PermissionDenied(_("Only enterprise users associate with enterprises."))


@transaction.atomic
def enterprise_associate(*, user: User, name: str, credit_code: str) -> EnterpriseAssociation:
    """关联企业: associate `user` with the approved enterprise of exactly this name and credit code."""
    _enterprise_user_check(user)
    name, credit_code = (name or "").strip(), (credit_code or "").strip().upper()
    errors = {}
    if not name:
        errors["name"] = _("Enter the enterprise name.")
    if not credit_code:
        errors["credit_code"] = _("Enter the unified social credit code.")
    if errors:
        raise ValidationError(errors)
    enterprise = Enterprise.objects.filter(name=name, credit_code=credit_code, status=S.APPROVED).first()
    if enterprise is None:
        raise ValidationError(_("No approved enterprise has this name and credit code."), code="not_found")
    if enterprise_is_associated(user, enterprise):
        raise ValidationError(_("You are already associated with “%(name)s”.") % {"name": enterprise.name}, code="duplicate")
    association = EnterpriseAssociation.objects.create(user=user, enterprise=enterprise)
    _event(enterprise=enterprise, action=EnterpriseAction.ASSOCIATION_CREATE, actor=user, from_status=None, to_status=None)
    return association


@transaction.atomic
def enterprise_filler_apply(*, user: User, enterprise: Enterprise) -> Enterprise:
    """申请填报员: an associated user becomes the filler of an enterprise that has none."""
    _enterprise_user_check(user)
    enterprise = _locked(enterprise)
    if not enterprise_is_associated(user, enterprise):
        raise PermissionDenied(_("Associate with the enterprise before applying to be its filler."))
    if enterprise.status != S.APPROVED:
        raise ValidationError(_("Only an approved enterprise has a filler."), code="not_approved")
    if enterprise.filler_id == user.pk:
        raise ValidationError(_("You are already the filler of “%(name)s”.") % {"name": enterprise.name}, code="already")
    if enterprise.filler_id is not None:
        raise ValidationError(_("“%(name)s” already has a filler; ask them to hand the role over to you.") % {"name": enterprise.name},
                              code="has_filler")
    enterprise.filler = user
    enterprise.save(update_fields=["filler"])
    _event(enterprise=enterprise, action=EnterpriseAction.FILLER_APPLY, actor=user, from_status=None, to_status=None,
           reason=user.username)
    return enterprise


@transaction.atomic
def enterprise_filler_handover(*, enterprise: Enterprise, actor, to_user: User) -> Enterprise:
    """填报人更换: the filler hands the role to another associated user; the old filler can no longer fill."""
    enterprise = _locked(enterprise)
    if enterprise.filler_id is None or enterprise.filler_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the current filler can hand the role over."))
    if to_user.pk == actor.pk:
        raise ValidationError({"to_user": _("Choose another user to hand the role to.")})
    if not getattr(to_user, "is_enterprise_user", False) or not to_user.is_active or not enterprise_is_associated(to_user, enterprise):
        raise ValidationError({"to_user": _("%(user)s is not associated with “%(name)s”.") % {"user": to_user.username, "name": enterprise.name}})
    previous = enterprise.filler.username
    enterprise.filler = to_user
    enterprise.save(update_fields=["filler"])
    _event(enterprise=enterprise, action=EnterpriseAction.FILLER_HANDOVER, actor=actor, from_status=None, to_status=None,
           reason=f"{previous} → {to_user.username}")
    return enterprise


# -- 监测企业信息管理 (back office, SPEC §6) ---------------------------------------------------------

def _manager_check(*, actor, enterprise: Enterprise) -> AdministratorProfile:
    """The actor is an administrator, the enterprise an approved one inside its manageable region."""
    scope = admin_scope(actor)
    if scope.is_empty or not getattr(actor, "is_administrator", False):
        raise PermissionDenied(_("Only administrators manage enterprises."))
    if not scope.contains_region(enterprise.region):
        raise PermissionDenied(_("“%(name)s” is outside your manageable region.") % {"name": enterprise.name})
    if enterprise.status != S.APPROVED:
        raise ValidationError(_("“%(name)s” is not an approved enterprise; review its registration instead.")
                              % {"name": enterprise.name}, code="not_approved")
    return scope.profile


def _locked_many(enterprises) -> list[Enterprise]:
    """Lock the enterprises in primary-key order (two batches never wait on each other in a cycle)."""
    ids = [e.pk for e in enterprises]
    return list(Enterprise.objects.select_for_update(of=("self",)).select_related("region", "direct_reviewer__user")
                .filter(pk__in=ids).order_by("pk"))


def _disable(enterprise: Enterprise, *, actor) -> None:
    enterprise.is_disabled = True
    enterprise.save(update_fields=["is_disabled"])
    _event(enterprise=enterprise, action=EnterpriseAction.ENTERPRISE_DISABLE, actor=actor,
           from_status=EnterpriseState.ENABLED, to_status=EnterpriseState.DISABLED)


@transaction.atomic
def enterprise_disable(*, enterprise: Enterprise, actor) -> Enterprise:
    """停用: the enterprise can no longer report (its data stay)."""
    enterprise = _locked(enterprise)
    _manager_check(actor=actor, enterprise=enterprise)
    if enterprise.is_disabled:
        raise ValidationError(_("“%(name)s” is already disabled.") % {"name": enterprise.name}, code="already")
    _disable(enterprise, actor=actor)
    return enterprise


@transaction.atomic
def enterprises_disable(*, enterprises, actor) -> list[Enterprise]:
    """批量停用: disable the chosen enterprises (all or none); those already disabled are skipped.

    Returns the enterprises this call disabled.
    """
    locked = _locked_many(enterprises)
    for enterprise in locked:
        _manager_check(actor=actor, enterprise=enterprise)
    disabled = [e for e in locked if not e.is_disabled]
    for enterprise in disabled:
        _disable(enterprise, actor=actor)
    return disabled


@transaction.atomic
def enterprise_enable(*, enterprise: Enterprise, actor) -> Enterprise:
    """启用: a disabled enterprise may report again."""
    enterprise = _locked(enterprise)
    _manager_check(actor=actor, enterprise=enterprise)
    if not enterprise.is_disabled:
        raise ValidationError(_("“%(name)s” is already enabled.") % {"name": enterprise.name}, code="already")
    enterprise.is_disabled = False
    enterprise.save(update_fields=["is_disabled"])
    _event(enterprise=enterprise, action=EnterpriseAction.ENTERPRISE_ENABLE, actor=actor,
           from_status=EnterpriseState.DISABLED, to_status=EnterpriseState.ENABLED)
    return enterprise


@transaction.atomic
def enterprise_delete(*, enterprise: Enterprise, actor) -> None:
    """删除: remove a disabled enterprise that has neither reports nor questionnaire answers.

    One that has them stays disabled (its data are kept): the ValidationError (code "kept") says why.
    """
    enterprise = _locked(enterprise)
    _manager_check(actor=actor, enterprise=enterprise)
    if not enterprise.is_disabled:
        raise ValidationError(_("Disable “%(name)s” before deleting it.") % {"name": enterprise.name}, code="enabled")
    ties = enterprise_ties(enterprise)
    if ties:
        raise ValidationError(
            _("“%(name)s” %(ties)s: it stays disabled and is not deleted, so that its data are kept.")
            % {"name": enterprise.name, "ties": _(", ").join(ties)}, code="kept")
    _event(enterprise=enterprise, action=EnterpriseAction.ENTERPRISE_DELETE, actor=actor,
           from_status=EnterpriseState.DISABLED, to_status=None)
    enterprise.delete()


def _reviewer_fits(reviewer: AdministratorProfile, enterprise: Enterprise) -> bool:
    return reviewer.region is None or reviewer.region.contains(enterprise.region)


@transaction.atomic
def enterprises_reviewer_change(*, enterprises, to_reviewer: AdministratorProfile, actor) -> list[Enterprise]:
    """批量更换直接审核员: give the chosen enterprises a new direct reviewer (all or none).

    The new reviewer is an administrator of the actor's subtree with the report review permission
    whose manageable region contains every enterprise's region. Each enterprise's pending reports
    held by its previous reviewer move to the new one (`workflow.services.submissions_reassign`).
    Returns the enterprises whose reviewer changed.
    """
    scope = admin_scope(actor)
    if scope.is_empty or not getattr(actor, "is_administrator", False):
        raise PermissionDenied(_("Only administrators manage enterprises."))
    if not scope.administrators().filter(pk=to_reviewer.pk).exists():
        raise PermissionDenied(_("%(admin)s is not one of your administrators.") % {"admin": to_reviewer})
    to_reviewer = AdministratorProfile.objects.select_related("region", "user").get(pk=to_reviewer.pk)
    if not to_reviewer.can_review_report:
        raise ValidationError({"reviewer": _("%(admin)s does not have the report review permission.")
                                           % {"admin": to_reviewer}})
    locked = _locked_many(enterprises)
    for enterprise in locked:
        _manager_check(actor=actor, enterprise=enterprise)
        if not _reviewer_fits(to_reviewer, enterprise):
            raise ValidationError({"reviewer": _(
                "The manageable region of %(admin)s does not contain the region of “%(name)s” (%(region)s).")
                % {"admin": to_reviewer, "name": enterprise.name, "region": enterprise.region.name}})
    changed = []
    for enterprise in locked:
        if enterprise.direct_reviewer_id == to_reviewer.pk:
            continue
        previous = enterprise.direct_reviewer
        # Before the enterprise changes: the reports to move are those its previous reviewer holds.
        submissions_reassign(enterprise=enterprise, to_holder=to_reviewer, actor=actor)
        enterprise.direct_reviewer = to_reviewer
        enterprise.save(update_fields=["direct_reviewer"])
        _event(enterprise=enterprise, action=EnterpriseAction.REVIEWER_CHANGE, actor=actor, from_status=None,
               to_status=None, reason=f"{previous or '-'} → {to_reviewer}")
        changed.append(enterprise)
    return changed
