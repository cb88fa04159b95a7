"""Who am I, report types and their periods, definitions with their JSON Schema."""
from ninja import Query, Router

from formdefs.selectors import version_compiled
from reporting.periods import month_start, period_current
from reporting.selectors import enterprise_periods, report_version

from .. import selectors
from ..presenters import enterprise_dict
from ..schemas import DefinitionOut, MeOut, PeriodOut, ReportTypeOut
from .common import Id, Key, responses

router = Router(tags=["catalog"])


@router.get("/me", response=responses(MeOut), summary="The token's user and what it reaches")
def me(request):
    token = request.auth
    scope = selectors.token_scope(token)
    region = scope.profile.region if scope.profile is not None else None
    return {
        "username": token.user.username,
        "kind": "enterprise" if scope.is_empty else "administrator",
        "token_name": token.name,
        "enterprises": [enterprise_dict(e) for e in selectors.token_fill_enterprises(token).order_by("pk")],
        "region": {"code": region.code, "name": region.name, "level": region.level} if region else None,
        "can_review": bool(scope.profile and scope.profile.can_review_report),
    }


@router.get("/report-types", response=responses(list[ReportTypeOut]), summary="Active report types",
            description="Every report type filed directly; with `enterprise_id`, only those that enterprise files "
                        "(its industry, region and size match the type's).")
def report_types(request, enterprise_id: int | None = Query(None, ge=1, le=2**31 - 1)):
    enterprise = (selectors.enterprise_for_token(token=request.auth, pk=enterprise_id, fill=False)
                  if enterprise_id is not None else None)
    out = []
    for report_type in selectors.report_types_active(enterprise=enterprise):
        version = report_version(report_type)
        out.append({"key": report_type.key, "title": report_type.title, "frequency": report_type.frequency,
                    "definition": report_type.definition.key, "version": version.number if version else None,
                    "due_day": report_type.due_day})
    return out


@router.get("/report-types/{key}/periods", response=responses(list[PeriodOut]),
            summary="An enterprise's periods of a report type, newest first, with their status")
def periods(request, key: Key, enterprise_id: int = Query(..., ge=1, le=2**31 - 1),
            year: int | None = Query(None, ge=2000, le=2100)):
    enterprise = selectors.enterprise_for_token(token=request.auth, pk=enterprise_id, fill=False)
    report_type = selectors.report_type_for_api(key=key, enterprise=enterprise)
    last = period_current(report_type)
    if year is None:
        first = month_start(last.year - report_type.backfill_years, 1)
    else:
        first, last = month_start(year, 1), min(last, month_start(year, 12))
    rows = enterprise_periods(enterprise=enterprise, report_type=report_type, first=first, last=last,
                              user=request.auth.user)
    return [{"period": row.period_key, "due": row.due, "is_open": row.is_open, "status": row.status,
             "status_label": str(row.status_label), "submission_id": row.submission.pk if row.submission else None}
            for row in rows]


def _definition(version) -> dict:
    return {"key": version.definition.key, "title": version.definition.title, "version": version.number,
            "status": version.status, "published_at": version.published_at, "document": version.document,
            "answers_schema": version_compiled(version).schema}


@router.get("/definitions/{key}", response=responses(DefinitionOut),
            summary="The published version of a form definition and the JSON Schema of its answers")
def definition_current(request, key: Key):
    return _definition(selectors.version_for_api(key=key))


@router.get("/definitions/{key}/versions/{number}", response=responses(DefinitionOut),
            summary="One published or retired version of a form definition and its JSON Schema")
def definition_version(request, key: Key, number: Id):
    return _definition(selectors.version_for_api(key=key, number=number))

