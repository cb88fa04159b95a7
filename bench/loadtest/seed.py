"""Bench data: the demo administrators and report types, then N approved enterprises with fillers, in bulk.

Run inside a configured Django (bench/loadtest/stack.py does). The enterprises copy the demo
enterprise com_demo01's profile with their own name, credit code and login (bench_00001, ...), half in
宁波海曙 (reviewed by sme_haishu) and half in 宁波江北 (sme_ningbo). One password hash is computed
once and shared: the password hasher's cost (Argon2id, accounts/hashers.py) is what each login pays, not
what the seed should pay N times.
"""
import json
from pathlib import Path

BENCH_PREFIX = "bench_"
COUNTIES = ("330203", "330205")


def base_seed() -> None:
    """Reference data, demo administrators and enterprises, published definitions and the report type."""
    from accounts.demo import seed_demo
    from regions.models import Region
    from regions.services import refdata_load
    from reporting.demo import _ensure_types

    if not Region.objects.exists():
        refdata_load()
    seed_demo(with_apps=False)
    _ensure_types()


def _with_check(code17: str) -> str:
    from enterprises.validators import uscc_check_char

    return code17 + uscc_check_char(code17)


def bench_reset() -> None:
    """Remove the bench enterprises, their reports and users (a rerun starts from a clean period)."""
    from django.db import connection

    from accounts.models import User
    from enterprises.models import Enterprise

    ids = list(Enterprise.objects.filter(user__username__startswith=BENCH_PREFIX).values_list("pk", flat=True))
    if ids:
        with connection.cursor() as cursor:
            params = [ids]
            for sql in (
                "DELETE FROM imports_importrow WHERE enterprise_id = ANY(%s)",
                "DELETE FROM reminders_reminderdelivery WHERE enterprise_id = ANY(%s)",
                "DELETE FROM workflow_reviewevent WHERE submission_id IN (SELECT id FROM reporting_submission WHERE enterprise_id = ANY(%s))",
                "DELETE FROM reporting_indicatorfact WHERE enterprise_id = ANY(%s)",
                "DELETE FROM reporting_informationchange WHERE enterprise_id = ANY(%s)",
                "DELETE FROM reporting_submission WHERE enterprise_id = ANY(%s)",
                "DELETE FROM survey_builder_questionnaireresponse WHERE enterprise_id = ANY(%s)",
            ):
                cursor.execute(sql, params)
        Enterprise.objects.filter(pk__in=ids).delete()
    from formdefs.models import WizardDraft

    WizardDraft.objects.filter(user__username__startswith=BENCH_PREFIX).delete()
    User.objects.filter(username__startswith=BENCH_PREFIX).delete()


def seed_enterprises(n: int, plan_path: str) -> dict:
    """Create `n` approved enterprises with their fillers; write the Locust plan (logins, form data) as JSON."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.demo import DEMO_PASSWORD
    from accounts.models import User
    from enterprises.models import Enterprise
    from accounts.selectors import direct_reviewer_for
    from formdefs.selectors import version_current
    from regions.selectors import region_by_code
    from reporting.demo import monthly_answers, questionnaire_answers
    from reporting.periods import period_current
    from reporting.selectors import report_type_get
    from survey_builder.models import Questionnaire

    bench_reset()
    template = Enterprise.objects.select_related("industry").get(user__username="com_demo01")
    password = make_password(DEMO_PASSWORD)
    regions = [region_by_code(code, level=3) for code in COUNTIES]
    reviewers = [direct_reviewer_for(region) for region in regions]
    now = timezone.now()
    rows = []
    with transaction.atomic():
        users = User.objects.bulk_create([
            User(username=f"{BENCH_PREFIX}{i:05d}", mobile=f"137{i:08d}", real_name=f"压测{i}", password=password,
                 email=f"{BENCH_PREFIX}{i:05d}@example.com") for i in range(1, n + 1)], batch_size=1000)
        enterprises = []
        for i, user in enumerate(users, start=1):
            region, reviewer = regions[i % 2], reviewers[i % 2]
            fields = {f.attname: getattr(template, f.attname) for f in Enterprise._meta.concrete_fields
                      if f.attname not in ("id", "user_id", "filler_id", "name", "credit_code", "region_id", "region_code",
                                           "direct_reviewer_id", "mobile", "created_at", "approved_at")}
            enterprises.append(Enterprise(**fields, user=user, filler=user, name=f"压测企业{i:05d}有限公司",
                                          credit_code=_with_check(f"91330203MA{i:06d}X"), region=region,
                                          region_code=region.code, direct_reviewer=reviewer, mobile=user.mobile,
                                          created_at=now, approved_at=now))
        Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    report_type = report_type_get(key="sme_monthly")
    period = period_current(report_type)
    answers = monthly_answers(enterprise=template, period=period)
    questionnaire = Questionnaire.objects.filter(mandatory=True).order_by("pk").first()
    q_data = {}
    if questionnaire is not None:
        q_version = version_current(key=questionnaire.definition.key)
        import random

        q_data = questionnaire_answers(q_version, random.Random(1))
    for user, enterprise in zip(users, enterprises):
        rows.append({"username": user.username, "mobile": user.mobile, "enterprise": enterprise.pk,
                     "name": enterprise.name, "credit_code": enterprise.credit_code, "region": enterprise.region_code})
    plan = {"password": DEMO_PASSWORD, "report_key": report_type.key, "period": f"{period:%Y-%m}",
            "steps": steps_data(answers), "questionnaire": questionnaire.pk if questionnaire else None,
            "questionnaire_data": q_data, "enterprises": rows,
            "admins": [{"username": p.user.username, "mobile": p.user.mobile} for p in reviewers]}
    Path(plan_path).write_text(json.dumps(plan, ensure_ascii=False))
    return {"enterprises": len(rows), "period": plan["period"]}


BASIC_KEYS = ["name", "credit_code", "legal_representative", "industry", "region", "registration_type", "holding_type",
              "size", "is_listed", "address", "postcode", "contact", "phone", "provincial_specialized",
              "national_little_giant", "revenue_last_year", "profit_last_year", "employees_last_year",
              "rd_staff_last_year", "rd_funds_last_year"]


def steps_data(answers: dict) -> dict:
    """The form data of the monthly report's three wizard steps (the shipped definition's field names)."""
    basic = {k: (str(answers[k]).lower() if isinstance(answers[k], bool) else answers[k]) for k in BASIC_KEYS if k in answers}
    indicators = {f"ind__{row}__{col}": value for row, cells in answers["ind"].items() for col, value in cells.items()}
    products = {"products-TOTAL_FORMS": len(answers["products"])}
    for i, row in enumerate(answers["products"]):
        for key, value in row.items():
            products[f"products-{i}-{key}"] = value
    return {"basic": basic, "indicators": indicators, "product_step": products}


def ledger_check(ledger_path: str) -> dict:
    """Compare what Locust recorded as submitted with what the database holds.

    lost: recorded as submitted, but the database has no submitted report (or no 上报 event) for it.
    duplicated: extra 上报 events on one report, or extra reports for one (enterprise, period).
    unconfirmed: submitted in the database while Locust never saw the confirmation (e.g. a timeout) —
    not an error of the platform, listed for information.
    """
    from django.db.models import Count, Q

    from reporting.models import Submission
    from workflow.enums import Action
    from reporting.enums import SubmissionStatus

    recorded = set()
    path = Path(ledger_path)
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                enterprise, period = line.split(",")
                recorded.add((int(enterprise), period))
    submissions = (Submission.objects.filter(enterprise__user__username__startswith=BENCH_PREFIX)
                   .annotate(submits=Count("events", filter=Q(events__action=Action.SUBMIT))))
    held = {}
    duplicated = 0
    for s in submissions:
        key = (s.enterprise_id, f"{s.period:%Y-%m}")
        if key in held:
            duplicated += 1
        held[key] = s
        duplicated += max(0, s.submits - 1)
    submitted_states = {SubmissionStatus.PENDING, SubmissionStatus.APPROVED}
    lost = sum(1 for key in recorded if key not in held or held[key].status not in submitted_states or held[key].submits < 1)
    unconfirmed = sum(1 for key, s in held.items() if key not in recorded and s.submits >= 1)
    return {"recorded": len(recorded), "lost": lost, "duplicated": duplicated, "unconfirmed": unconfirmed,
            "in_database": sum(1 for s in held.values() if s.submits >= 1)}
