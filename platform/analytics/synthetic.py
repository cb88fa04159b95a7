"""Synthetic enterprises and reports for load tests (`manage.py gen_synthetic`) and for tests.

Everything is consistent: an enterprise's monthly values follow one formula per indicator, so 本年1-本月
is the sum of the year's months, 上年本月 / 上年1-本月 equal last year's reports, and the facts rows are
exactly what `reporting.services.facts.facts_of` would derive from the answers. Rows go in with bulk
inserts (PostgreSQL: COPY for the facts).
"""
import datetime
import random
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from regions.enums import INDUSTRIAL_SECTIONS, EnterpriseSize
from reporting.periods import month_add, period_due
from workflow.enums import SubmissionStatus as S

SYNTHETIC_PREFIX = "syn"
GRID_COLUMNS = ("month", "ytd", "ly_month", "ly_ytd")
#: Per month, thousand yuan (people for employees, kWh for electricity); scaled per enterprise.
BASE = {
    "gross_output": 5200, "export_value": 800, "electricity": 61000, "capacity_utilization": 78, "revenue": 4800,
    "cost": 3900, "loan_balance": 2600, "finance_expense": 40, "receivables": 3100, "finished_goods": 900,
    "profit": 420, "taxes_payable": 130, "employees": 120, "overdue_receivables": 300, "payroll_payable": 260,
    "total_assets": 26000, "total_liabilities": 14000, "fixed_investment": 500,
}
FLOWS = {"gross_output", "export_value", "electricity", "revenue", "cost", "profit", "finance_expense"}
INDUSTRIAL_ONLY = {"gross_output", "export_value", "electricity", "capacity_utilization", "finished_goods"}
QUARTERLY = {"overdue_receivables", "payroll_payable", "total_assets", "total_liabilities", "fixed_investment"}
QUARTER_MONTHS = {2, 5, 8, 11, 12}
SIZE_WEIGHTS = ((EnterpriseSize.LARGE, 2), (EnterpriseSize.MEDIUM, 12), (EnterpriseSize.SMALL, 40),
                (EnterpriseSize.MICRO, 46))
#: Status mix of the latest month and of older months (None: 未填报, no report).
LATEST_MIX = ((S.APPROVED, 45), (S.PENDING, 25), (S.EDITING, 7), (S.RETURNED, 5), (S.FROZEN, 1), (S.UNFROZEN, 2),
              (None, 15))
OLDER_MIX = ((S.APPROVED, 88), (S.PENDING, 3), (S.EDITING, 2), (S.RETURNED, 2), (S.FROZEN, 1), (S.UNFROZEN, 1),
             (None, 3))


@dataclass(frozen=True)
class Profile:
    """What decides one enterprise's numbers: a scale, a yearly growth and a profit margin."""

    scale: float
    growth: float
    margin: float
    industrial: bool


def value(profile: Profile, row: str, year: int, month: int) -> float:
    """The enterprise's 本月 value of `row` in year/month (deterministic)."""
    base = BASE[row] * profile.scale
    if row == "profit":
        base = BASE["revenue"] * profile.scale * profile.margin
    if row == "employees":
        return float(max(1, round(base * (1 + profile.growth) ** (year - 2020))))
    if row == "capacity_utilization":
        return round(min(100.0, BASE[row] * (1 + 0.01 * month)), 2)
    return round(base * (1 + 0.02 * month) * (1 + profile.growth) ** (year - 2020), 2)


def _series(profile: Profile, row: str, year: int, cache: dict | None) -> tuple[list[float], list[float]]:
    """The twelve 本月 values of a year and their running totals (memoised per enterprise)."""
    key = (row, year)
    if cache is not None and key in cache:
        return cache[key]
    months = [value(profile, row, year, k) for k in range(1, 13)]
    running, total = [], 0.0
    for v in months:
        total += v
        running.append(round(total, 2))
    if cache is not None:
        cache[key] = (months, running)
    return months, running


def grid(profile: Profile, period: datetime.date, cache: dict | None = None) -> dict:
    """The 经济指标 grid of one report: consistent months, year to date and last year."""
    year, month = period.year, period.month
    out = {}
    for row in BASE:
        if row in INDUSTRIAL_ONLY and not profile.industrial:
            continue
        if row in QUARTERLY and month not in QUARTER_MONTHS:
            continue
        this, this_running = _series(profile, row, year, cache)
        last, last_running = _series(profile, row, year - 1, cache)
        if row in FLOWS:
            ytd, ly_ytd = this_running[month - 1], last_running[month - 1]
        else:
            ytd, ly_ytd = this[month - 1], last[month - 1]
        out[row] = {"month": this[month - 1], "ytd": ytd, "ly_month": last[month - 1], "ly_ytd": ly_ytd}
    return out


def answers(enterprise, profile: Profile, period: datetime.date, cache: dict | None = None) -> dict:
    revenue_last_year = _series(profile, "revenue", period.year - 1, cache)[1][-1]
    return {
        "name": enterprise.name, "credit_code": enterprise.credit_code, "industry": enterprise.industry_code_full,
        "region": enterprise.region_code, "size": enterprise.size, "is_listed": enterprise.is_listed,
        "revenue_last_year": revenue_last_year, "employees_last_year": int(value(profile, "employees", period.year - 1, 12)),
        "ind": grid(profile, period, cache),
    }


def scalar_facts(data: dict):
    """(field, value) of the numeric scalar answers that become facts."""
    for key in ("revenue_last_year", "employees_last_year"):
        if data.get(key) is not None:
            yield key, data[key]


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights)[0]


def _uscc(index: int) -> str:
    from enterprises.validators import USCC_CHARSET, uscc_check_char

    digits = f"{index:09d}"
    first17 = "91" + "330000" + digits
    assert all(ch in USCC_CHARSET for ch in first17)
    return first17 + uscc_check_char(first17)


class _References:
    def __init__(self, report_type):
        from accounts.models import AdministratorProfile
        from regions.models import HoldingType, Industry, Region, RegistrationType
        from reporting.selectors import report_version

        self.report_type = report_type
        self.version = report_version(report_type)
        self.counties = list(Region.objects.filter(level=3).values_list("pk", "code"))
        self.industries = [(pk, section, code) for pk, section, code in
                           Industry.objects.filter(level=4).values_list("pk", "section", "code")]
        self.registration_types = list(RegistrationType.objects.filter(children__isnull=True).values_list("pk", flat=True))
        self.holding_types = list(HoldingType.objects.values_list("pk", flat=True))
        admins = list(AdministratorProfile.objects.select_related("region").filter(can_review_report=True))
        self.admins = sorted(((a.region.prefix if a.region else "", a.pk) for a in admins), key=lambda x: -len(x[0]))

    def reviewer(self, region_code: str):
        return next((pk for prefix, pk in self.admins if region_code.startswith(prefix)), None)


def generate(*, enterprises: int, months: int, seed: int = 1, end: datetime.date | None = None, batch: int = 1000,
             log=None) -> dict:
    """Create `enterprises` approved enterprises with `months` months of reports ending at `end`
    (default: the current period). Returns the counts written."""
    from accounts.enums import UserKind
    from accounts.models import User
    from enterprises.enums import RegistrationStatus
    from enterprises.models import Enterprise
    from reporting.demo import _ensure_types
    from reporting.models import Submission
    from reporting.periods import period_current

    report_type = _ensure_types()[0]
    refs = _References(report_type)
    if not refs.counties or not refs.industries:
        raise RuntimeError("Load the reference data first (manage.py refdata_load).")
    rng = random.Random(seed)
    end = end or period_current(report_type)
    periods = [month_add(end, -k) for k in range(months - 1, -1, -1)]
    start = User.objects.filter(username__startswith=SYNTHETIC_PREFIX).count()
    counts = {"enterprises": 0, "submissions": 0, "facts": 0}
    now = timezone.now()
    for first in range(start, start + enterprises, batch):
        indexes = range(first, min(first + batch, start + enterprises))
        with transaction.atomic():
            users = User.objects.bulk_create([User(username=f"{SYNTHETIC_PREFIX}{i:07d}", kind=UserKind.ENTERPRISE,
                                                   password="!", email="") for i in indexes])
            rows, profiles = [], []
            for i, user in zip(indexes, users):
                region_pk, region_code = rng.choice(refs.counties)
                industry_pk, section, code = rng.choice(refs.industries)
                size = _pick(rng, SIZE_WEIGHTS)
                profile = Profile(scale={"large": 20, "medium": 4, "small": 1, "micro": 0.25}[size] * rng.uniform(0.5, 1.5),
                                  growth=rng.uniform(-0.25, 0.3), margin=rng.uniform(-0.12, 0.18),
                                  industrial=section in INDUSTRIAL_SECTIONS)
                e = Enterprise(
                    user=user, name=f"合成企业{i:07d}", credit_code=_uscc(i), legal_representative="张三",
                    industry_id=industry_pk, region_id=region_pk, region_code=region_code,
                    registration_type_id=rng.choice(refs.registration_types), holding_type_id=rng.choice(refs.holding_types),
                    size=size, revenue_last_year=round(BASE["revenue"] * profile.scale * 12, 2),
                    employees_last_year=int(BASE["employees"] * profile.scale), is_listed=rng.random() < 0.01,
                    address="合成路1号", postcode="100000", opened_on=datetime.date(2010, 1, 1), contact="联系人",
                    mobile=f"139{i:08d}"[:11], main_business="合成产品", status=RegistrationStatus.APPROVED,
                    is_disabled=rng.random() < 0.02, direct_reviewer_id=refs.reviewer(region_code), approved_at=now)
                e.industry_code_full = f"{section}{code}"
                rows.append(e)
                profiles.append(profile)
            Enterprise.objects.bulk_create(rows)
            submissions, payloads = [], []
            for e, profile in zip(rows, profiles):
                cache: dict = {}
                for period in periods:
                    status = _pick(rng, LATEST_MIX if period == end else OLDER_MIX)
                    if status is None:
                        continue
                    due = timezone.make_aware(datetime.datetime.combine(period_due(report_type, period), datetime.time(12)))
                    submitted = due + datetime.timedelta(days=rng.randint(-15, 3)) if status in (S.PENDING, S.APPROVED) else None
                    data = answers(e, profile, period, cache)
                    submissions.append(Submission(
                        report_type=report_type, enterprise=e, period=period, version=refs.version, answers=data,
                        status=status, region_code=e.region_code, submitted_at=submitted,
                        approved_at=submitted + datetime.timedelta(days=1) if status == S.APPROVED else None,
                        holder_id=e.direct_reviewer_id if status == S.PENDING else None,
                        reviewer_acted=status == S.APPROVED))
                    payloads.append((e, data))
            Submission.objects.bulk_create(submissions, batch_size=2000)
            facts = []
            for s, (e, data) in zip(submissions, payloads):
                common = (s.pk, refs.version.definition_id, refs.version.pk, e.pk, s.period, e.region_code,
                          e.industry_code_full, s.status)
                for field, number in scalar_facts(data):
                    facts.append((*common, field, "", "", "", number))
                for row, cells in data["ind"].items():
                    for column in GRID_COLUMNS:
                        facts.append((*common, "ind", row, column, "", cells[column]))
            _facts_insert(facts)
        counts["enterprises"] += len(rows)
        counts["submissions"] += len(submissions)
        counts["facts"] += len(facts)
        if log:
            log(f"{counts['enterprises']} enterprises, {counts['submissions']} reports, {counts['facts']} facts")
    return counts


def _skip_fk_triggers(cursor) -> None:
    """PostgreSQL checks each deferred foreign key of each copied row at commit, which dominates the
    load of tens of millions of facts. The rows are consistent by construction (their submission,
    enterprise and version were just inserted in this transaction), so when the database user may
    (superuser, a scratch load-test database) the triggers are skipped for this transaction only."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:  # not a superuser: keep the checks, only slower
        pass


FACT_COLUMNS = ("submission_id", "definition_id", "version_id", "enterprise_id", "period", "region_code",
                "industry_code", "status", "field", "row", "column", "label", "value")


def _facts_insert(facts: list[tuple]) -> None:
    from reporting.models import IndicatorFact

    table = IndicatorFact._meta.db_table
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(c) for c in FACT_COLUMNS)
        with connection.cursor() as cursor:
            _skip_fk_triggers(cursor)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for fact in facts:
                    copy.write_row(fact)
        return
    IndicatorFact.objects.bulk_create([IndicatorFact(**dict(zip(FACT_COLUMNS, fact))) for fact in facts], batch_size=5000)
