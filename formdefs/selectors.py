"""Reads: versions, compiled forms, drafts, stored answers, the rule context of an enterprise, preview access."""
from django.db.models import Prefetch

from accounts.selectors import admin_scope

from .engine import CompiledForm, compile_document
from .engine.definition import localized
from .engine.localize import unit_label
from .enums import FormKind, VersionStatus
from .models import FormAnswer, FormDefinition, FormVersion, WizardDraft


def version_current(*, key: str) -> FormVersion | None:
    """The published version of a definition (the newest one if several were published)."""
    return (FormVersion.objects.select_related("definition")
            .filter(definition__key=key, status=VersionStatus.PUBLISHED).order_by("-number").first())


def version_get(*, pk: int) -> FormVersion:
    return FormVersion.objects.select_related("definition").get(pk=pk)


def version_compiled(version: FormVersion) -> CompiledForm:
    """The compiled form of a version; compiled once per process and checksum."""
    return compile_document(version.document, version.checksum)


def wizard_draft_get(*, user, key: str) -> WizardDraft | None:
    return WizardDraft.objects.filter(user=user, key=key).first()


def wizard_draft_unsaved_steps(*, user, key: str, version: FormVersion) -> list[dict]:
    """The steps whose typed values a user's wizard draft (`WizardDraft.key`) keeps without them being
    in the owner's answers: left with errors through 上一步 or a tab. `[{"id", "title"}]` in step order."""
    draft = wizard_draft_get(user=user, key=key)
    unsaved = set(((draft.data or {}).get("extra_data") or {}).get("unsaved") or []) if draft else set()
    if not unsaved:
        return []
    return [{"id": step["id"], "title": localized(step, "title")}
            for step in version_compiled(version).index.steps if step["id"] in unsaved]


def form_answer_latest(*, key: str) -> FormAnswer | None:
    return FormAnswer.objects.filter(key=key).order_by("-submitted_at", "-pk").first()


def enterprise_profile(enterprise) -> dict | None:
    """The `enterprise` variable of rules and conditions (see formdefs/README.md)."""
    if enterprise is None:
        return None
    industry = enterprise.industry
    return {
        "industrial": industry.is_industrial,
        "manufacturing": industry.is_manufacturing,
        "section": industry.section,
        "industry": industry.full_code,
        "region": enterprise.region_code,
        "size": enterprise.size,
        "listed": enterprise.is_listed,
    }


def enterprise_initial_answers(enterprise) -> dict:
    """Answers of the registration-profile fields, prefilled from the enterprise (基本信息)."""
    if enterprise is None:
        return {}
    values = {
        "name": enterprise.name, "credit_code": enterprise.credit_code, "legal_representative": enterprise.legal_representative,
        "industry": enterprise.industry.full_code, "region": enterprise.region_code,
        "registration_type": enterprise.registration_type.code, "holding_type": enterprise.holding_type.code,
        "size": enterprise.size, "is_listed": enterprise.is_listed, "stock_code": enterprise.stock_code,
        "address": enterprise.address, "postcode": enterprise.postcode, "contact": enterprise.contact,
        "phone": enterprise.phone, "mobile": enterprise.mobile, "email": enterprise.email, "fax": enterprise.fax,
        "website": enterprise.website, "main_business": enterprise.main_business,
    }
    return {k: v for k, v in values.items() if v not in (None, "")}


# -- preview access -----------------------------------------------------------------------------

#: Rules of the apps built on formdefs that own definitions, see `version_preview_rule_register`.
_PREVIEW_RULES: list = []


def version_preview_rule_register(rule) -> None:
    """Let an app that owns definitions decide who previews their versions.

    `rule(*, user, version)` returns True or False for a version of its own, None for any other.
    The owning app registers its rule in `AppConfig.ready()` (survey_builder does, for questionnaires):
    formdefs never imports the apps built on it, so the dependency keeps pointing one way.
    """
    if rule not in _PREVIEW_RULES:
        _PREVIEW_RULES.append(rule)


def version_previewable(*, user, version: FormVersion) -> bool:
    """Whether `user` may run `version`, draft or published, in preview mode.

    Superusers and the national administrator: every version. Other administrators: what the owning
    app's rule says (a questionnaire's: those who see it in the designer list); a version no app claims
    (the monthly report, the other report types, registration) is a national form, open to every
    administrator. Enterprises and anonymous users: never. Callers answer 404 either way, so a refusal
    does not reveal that the version exists.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = admin_scope(user)
    if scope.is_empty:
        return False
    if scope.profile.is_national:
        return True
    for rule in _PREVIEW_RULES:
        decision = rule(user=user, version=version)
        if decision is not None:
            return decision
    return True


# -- 报表定义 in the admin ------------------------------------------------------------------------

def formdef_manage_allowed(user) -> bool:
    """Who may upload and enable (启用) definitions in the admin (报表定义): superusers and the national
    administrator. Questionnaires stay with their designer (问卷发布和统计)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    profile = admin_scope(user).profile
    return profile is not None and profile.is_national


def definitions_for_admin():
    """The definitions the admin lists (every kind but questionnaires), each with its versions newest first."""
    versions = FormVersion.objects.only("id", "definition_id", "number", "status", "created_at", "published_at",
                                        "retired_at").order_by("-number")
    return (FormDefinition.objects.exclude(kind=FormKind.QUESTIONNAIRE).order_by("key")
            .prefetch_related(Prefetch("versions", queryset=versions)))


def version_for_admin(*, pk: int) -> FormVersion:
    """One version the admin shows (FormVersion.DoesNotExist for a questionnaire's: those are the designer's)."""
    return FormVersion.objects.select_related("definition").exclude(definition__kind=FormKind.QUESTIONNAIRE).get(pk=pk)


def version_outline(version: FormVersion) -> list[dict]:
    """What a version asks, for its admin page: steps → fields (label, type) → grid rows with the columns
    each row has (all the grid's unless the row names its own `columns`), in the user's language."""
    outline = []
    for step in version.document.get("steps", []):
        fields = []
        for section in step.get("sections", []):
            for field in section.get("fields", []):
                item = {"id": field["id"], "type": field.get("type", ""), "label": localized(field, "label")}
                if field.get("type") == "indicator_grid":
                    columns = {c["id"]: localized(c, "label") for c in field.get("columns", [])}
                    item["rows"] = [{"id": row["id"], "label": localized(row, "label"), "unit": unit_label(row),
                                     "columns": [columns.get(c, c) for c in row.get("columns") or columns]}
                                    for row in field.get("rows", [])]
                fields.append(item)
        outline.append({"id": step["id"], "title": localized(step, "title"), "fields": fields})
    return outline
