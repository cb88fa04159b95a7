"""Synthetic enterprises and reports for load tests (`manage.py gen_synthetic`) and for tests.

Everything is consistent: an enterprise's monthly values follow one formula per indicator, so 本年1-本月
is the sum of the year's months, 上年本月 / 上年1-本月 equal last year's reports, and the facts rows are
exactly what `reporting.services.facts.facts_of` would derive from the answers. Rows go in with bulk
inserts (PostgreSQL: COPY for the facts).
"""
import concurrent.futures
import contextlib
import datetime
import multiprocessing
import os
import random
from dataclasses import dataclass

from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from regions.enums import INDUSTRIAL_SECTIONS, EnterpriseSize
from reporting.periods import month_add, period_due
from reporting.enums import SubmissionStatus as S

SYNTHETIC_PREFIX = "syn"
#: The roles of the monthly report's indicator grid the generator fills (its `analytics` block names
#: the grid and the column of each role).
GRID_ROLES = ("month", "ytd", "month_ly", "ytd_ly")
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
MONTH_FACTORS = tuple(1 + 0.02 * month for month in range(1, 13))
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
    """The twelve 本月 values of a year and their running totals (memoised per enterprise); the same
    numbers as `value()`, computed once per row and year."""
    key = (row, year)
    if cache is not None and key in cache:
        return cache[key]
    if row in ("employees", "capacity_utilization"):
        months = [value(profile, row, year, k) for k in range(1, 13)]
    else:
        base = BASE["revenue"] * profile.scale * profile.margin if row == "profit" else BASE[row] * profile.scale
        yearly = (1 + profile.growth) ** (year - 2020)
        months = [round(base * factor * yearly, 2) for factor in MONTH_FACTORS]
    running, total = [], 0.0
    for v in months:
        total += v
        running.append(round(total, 2))
    if cache is not None:
        cache[key] = (months, running)
    return months, running


def grid(profile: Profile, period: datetime.date, cache: dict | None = None, columns=None) -> dict:
    """The 经济指标 grid of one report: consistent months, year to date and last year, keyed by the
    `columns` of GRID_ROLES (default: the roles' names)."""
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
        out[row] = dict(zip(columns or GRID_ROLES, (this[month - 1], ytd, last[month - 1], ly_ytd)))
    return out


def grid_spec(version) -> tuple[str, tuple[str, ...]]:
    """(grid id, the column ids of GRID_ROLES) from the version's `analytics` block."""
    from .definition import version_analytics

    analytics = version_analytics(version)
    if analytics is None:
        raise RuntimeError(f"{version} has no analytics block: no indicator grid to fill.")
    return analytics.grid, tuple(analytics.column(role) for role in GRID_ROLES)


def answers(enterprise, profile: Profile, period: datetime.date, cache: dict | None, spec: tuple) -> dict:
    """A report's answers; `spec` is `grid_spec(version)`: where its indicator grid goes."""
    field, columns = spec
    revenue_last_year = _series(profile, "revenue", period.year - 1, cache)[1][-1]
    return {
        "name": enterprise.name, "credit_code": enterprise.credit_code, "industry": enterprise.industry_code_full,
        "region": enterprise.region_code, "size": enterprise.size, "is_listed": enterprise.is_listed,
        "revenue_last_year": revenue_last_year, "employees_last_year": int(value(profile, "employees", period.year - 1, 12)),
        field: grid(profile, period, cache, columns),
    }


SCALAR_FACTS = ("revenue_last_year", "employees_last_year")


def scalar_facts(data: dict):
    """(field, value) of the numeric scalar answers that become facts."""
    for key in SCALAR_FACTS:
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
        self.grid = grid_spec(self.version)
        self.counties = list(Region.objects.filter(level=3).values_list("pk", "code"))
        self.industries = [(pk, section, code) for pk, section, code in
                           Industry.objects.filter(level=4).values_list("pk", "section", "code")]
        self.registration_types = list(RegistrationType.objects.filter(children__isnull=True).values_list("pk", flat=True))
        self.holding_types = list(HoldingType.objects.values_list("pk", flat=True))
        admins = list(AdministratorProfile.objects.select_related("region").filter(can_review_report=True))
        self.admins = sorted(((a.region.prefix if a.region else "", a.pk) for a in admins), key=lambda x: -len(x[0]))

    def reviewer(self, region_code: str):
        return next((pk for prefix, pk in self.admins if region_code.startswith(prefix)), None)


#: From this many reports on PostgreSQL, the facts table's secondary indexes are dropped for the load and
#: built once at the end (one sort per index instead of tens of millions of index insertions).
BULK_REPORTS = 100_000
#: maintenance_work_mem while the dropped indexes are built again.
BUILD_MEMORY = "512MB"


def generate(*, enterprises: int, months: int, seed: int = 1, end: datetime.date | None = None, batch: int = 1000,
             workers: int = 1, log=None) -> dict:
    """Create `enterprises` approved enterprises with `months` months of reports ending at `end`
    (default: the current period). Returns the counts written.

    Each batch is its own transaction and its own random stream (seeded by `seed` and its first
    index), so the data is the same whatever the number of `workers`: processes, each with its own
    connection, that fill batches side by side on PostgreSQL. A bulk load on PostgreSQL (see
    BULK_REPORTS) drops the facts table's secondary indexes first and builds them again at the end,
    even when interrupted."""
    from reporting.demo import _ensure_types
    from reporting.models import IndicatorFact
    from reporting.periods import period_current

    report_type = _ensure_types()[0]
    refs = _References(report_type)
    if not refs.counties or not refs.industries:
        raise RuntimeError("Load the reference data first (manage.py load_refdata).")
    end = end or period_current(report_type)
    postgresql = connection.vendor == "postgresql"
    run = _Run(refs, seed, [month_add(end, -k) for k in range(months - 1, -1, -1)], end)
    batches = list(run.batches(enterprises, batch))
    counts = {"enterprises": 0, "submissions": 0, "facts": 0}

    def done(batch_counts):
        for key, value in batch_counts.items():
            counts[key] += value
        if log:
            log(f"{counts['enterprises']} enterprises, {counts['submissions']} reports, {counts['facts']} facts")

    with _indexes_dropped(IndicatorFact, log=log) if postgresql and enterprises * months >= BULK_REPORTS else contextlib.nullcontext():
        if postgresql and workers > 1 and len(batches) > 1:
            global _WORKER_RUN
            _WORKER_RUN = run
            connections.close_all()  # each process opens its own
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for batch_counts in pool.imap_unordered(_worker_batch, batches):
                    done(batch_counts)
        else:
            for first, last in batches:
                done(run.transaction(first, last))
    return counts


_WORKER_RUN = None


def _worker_batch(bounds: tuple[int, int]) -> dict:
    return _WORKER_RUN.transaction(*bounds)


class _Run:
    """One generation: the batches of enterprises with their reports and facts."""

    def __init__(self, refs: _References, seed: int, periods: list, end: datetime.date):
        self.refs, self.seed, self.periods, self.end = refs, seed, periods, end
        self.now = timezone.now()
        due = {p: period_due(refs.report_type, p) for p in periods}
        self.due = {p: timezone.make_aware(datetime.datetime.combine(d, datetime.time(12))) for p, d in due.items()}

    def batches(self, enterprises: int, size: int):
        from accounts.models import User

        start = User.objects.filter(username__startswith=SYNTHETIC_PREFIX).count()
        for first in range(start, start + enterprises, size):
            yield first, min(first + size, start + enterprises)

    def transaction(self, first: int, last: int) -> dict:
        with transaction.atomic():
            _skip_fk_triggers()
            return self.batch(first, last)

    def batch(self, first: int, last: int) -> dict:
        from accounts.enums import UserKind
        from accounts.models import User
        from enterprises.models import Enterprise

        refs, rng = self.refs, random.Random(f"{self.seed}:{first}")
        users = [User(username=f"{SYNTHETIC_PREFIX}{i:07d}", kind=UserKind.ENTERPRISE, password="!", email="")
                 for i in range(first, last)]
        _objects_insert(User, users)
        rows, profiles = [], []
        for i, user in zip(range(first, last), users):
            e, profile = self.enterprise(rng, i, user)
            rows.append(e)
            profiles.append(profile)
        _objects_insert(Enterprise, rows)
        # Reports as plain dicts of field values: a million model instances would cost more than the load.
        submissions = []
        for e, profile in zip(rows, profiles):
            cache: dict = {}
            for period in self.periods:
                status = _pick(rng, LATEST_MIX if period == self.end else OLDER_MIX)
                if status is None:
                    continue
                submitted = (self.due[period] + datetime.timedelta(days=rng.randint(-15, 3))
                             if status in (S.PENDING, S.APPROVED) else None)
                submissions.append({
                    "report_type_id": refs.report_type.pk, "enterprise_id": e.pk, "period": period,
                    "version_id": refs.version.pk, "answers": answers(e, profile, period, cache, refs.grid), "status": status,
                    "region_code": e.region_code, "submitted_at": submitted,
                    "approved_at": submitted + datetime.timedelta(days=1) if status == S.APPROVED else None,
                    "holder_id": e.direct_reviewer_id if status == S.PENDING else None,
                    "reviewer_acted": status == S.APPROVED})
        ids = _submissions_insert(submissions)
        facts = _facts_insert(refs.version, submissions, ids)
        return {"enterprises": len(rows), "submissions": len(submissions), "facts": facts}

    def enterprise(self, rng: random.Random, i: int, user):
        from enterprises.enums import RegistrationStatus
        from enterprises.models import Enterprise

        refs = self.refs
        region_pk, region_code = rng.choice(refs.counties)
        industry_pk, section, code = rng.choice(refs.industries)
        size = _pick(rng, SIZE_WEIGHTS)
        profile = Profile(scale={"large": 20, "medium": 4, "small": 1, "micro": 0.25}[size] * rng.uniform(0.5, 1.5),
                          growth=rng.uniform(-0.25, 0.3), margin=rng.uniform(-0.12, 0.18),
                          industrial=section in INDUSTRIAL_SECTIONS)
        e = Enterprise(
            user=user, name=f"合成企业{i:07d}", credit_code=_uscc(i), legal_representative="张三",
            industry_id=industry_pk, industry_section=section, region_id=region_pk, region_code=region_code,
            registration_type_id=rng.choice(refs.registration_types), holding_type_id=rng.choice(refs.holding_types),
            size=size, revenue_last_year=round(BASE["revenue"] * profile.scale * 12, 2),
            employees_last_year=int(BASE["employees"] * profile.scale), is_listed=rng.random() < 0.01,
            address="合成路1号", postcode="100000", opened_on=datetime.date(2010, 1, 1), contact="联系人",
            mobile=f"139{i:08d}"[:11], main_business="合成产品", status=RegistrationStatus.APPROVED,
            is_disabled=rng.random() < 0.02, direct_reviewer_id=refs.reviewer(region_code), approved_at=self.now)
        e.industry_code_full = f"{section}{code}"
        return e, profile


def _skip_fk_triggers() -> None:
    """PostgreSQL checks each foreign key of each copied row, which dominates a load of tens of
    millions of facts. The rows are consistent by construction (their submission, enterprise and
    version were inserted just before), so when the database user may (superuser, a scratch load-test
    database) the triggers are skipped for this transaction only."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:  # not a superuser: keep the checks, only slower
        pass


@contextlib.contextmanager
def _indexes_dropped(model, log=None):
    """Drop the table's secondary indexes (not the primary key nor the unique constraints), run the
    block, and build them again from their own definitions, whatever happens in the block
    (PostgreSQL). Each step commits; the definitions are logged first."""
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                       "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                       [table, table])
        indexes = cursor.fetchall()
        for name, definition in indexes:
            if log:
                log(f"dropping {name}: {definition}")
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        # Two at a time, each on its own connection, the widest first: a build's last step (merging
        # its sorted runs and writing the index) runs on one core, which the other build then uses.
        indexes.sort(key=lambda item: len(item[1]), reverse=True)
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            builds = [pool.submit(_index_build, name, definition, log) for name, definition in indexes]
        for build in builds:
            build.result()  # the first failure, once every index had its turn
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")


def _index_build(name: str, definition: str, log=None) -> None:
    """Build one index in this thread's own connection (closed after)."""
    if log:
        log(f"building {name}")
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # One sort per index: with the server's default memory for it (64 MB) a sort of tens of
            # millions of rows spills to disk in many runs; this session may use more while it builds.
            cursor.execute("SET LOCAL maintenance_work_mem = %s", [BUILD_MEMORY])
            # PostgreSQL sorts with at most two helper processes by default; use the machine's cores.
            cursor.execute("SET LOCAL max_parallel_maintenance_workers = %s", [max(2, (os.cpu_count() or 1) - 1)])
            cursor.execute(definition)
    finally:
        connection.close()
    if log:
        log(f"built {name}")


def _pks(model, count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (PostgreSQL)."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, count])
        return [pk for (pk,) in cursor.fetchall()]


def _copy(model, fields, rows) -> None:
    """COPY rows of database values (one per field, in order) into the model's table (PostgreSQL)."""
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _db_value(field, value):
    """What an INSERT would send: JSON fields adapt their value; the other fields used here pass theirs."""
    return field.get_db_prep_save(value, connection) if isinstance(field, models.JSONField) else value


def _objects_insert(model, objects: list) -> None:
    """bulk_create, or on PostgreSQL one COPY with primary keys taken from the table's sequence first
    (bulk_create's array parameters cost more than the whole load for JSON answers)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=2000)
        return
    for obj, pk in zip(objects, _pks(model, len(objects))):
        obj.pk = pk
    fields = model._meta.concrete_fields
    _copy(model, fields, ([_db_value(f, f.pre_save(obj, True)) for f in fields] for obj in objects))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def _submissions_insert(rows: list[dict]) -> list[int]:
    """Insert reports given as {attname: value}; the other fields take their defaults. Returns the ids."""
    from reporting.models import Submission

    if not rows:
        return []
    if connection.vendor != "postgresql":
        objects = Submission.objects.bulk_create([Submission(**row) for row in rows], batch_size=2000)
        return [obj.pk for obj in objects]
    now = timezone.now()
    fields = [f for f in Submission._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
                for f in fields}
    ids = _pks(Submission, len(rows))
    pk = Submission._meta.pk
    _copy(Submission, [pk, *fields],
          ([i, *(_db_value(f, row.get(f.attname, defaults[f.attname])) for f in fields)] for i, row in zip(ids, rows)))
    return ids


FACT_COLUMNS = ("submission_id", "definition_id", "version_id", "enterprise_id", "period", "region_code",
                "industry_code", "status", "field", "row", "column", "label", "value")
#: The facts of the synthetic reports, derived by PostgreSQL from their stored answers exactly as
#: `facts_of` derives them: the numeric scalars, then every cell of the 经济指标 grid. Everything comes
#: from the report row itself (its answers carry the enterprise's industry code): no join.
FACTS_SQL = """
INSERT INTO {facts} ({columns})
SELECT s.id, %s, s.version_id, s.enterprise_id, s.period, s.region_code, s.answers ->> 'industry', s.status,
       cell.field, cell.row, cell.col, '', cell.value
FROM {submissions} s
CROSS JOIN LATERAL (
    SELECT k AS field, '' AS row, '' AS col, (s.answers ->> k)::numeric AS value
    FROM unnest(%s::text[]) AS k WHERE jsonb_typeof(s.answers -> k) = 'number'
    UNION ALL
    SELECT %s, r.key, c.col, (r.value ->> c.col)::numeric
    FROM jsonb_each(s.answers -> %s) AS r CROSS JOIN LATERAL unnest(%s::text[]) AS c(col)
    WHERE jsonb_typeof(r.value -> c.col) = 'number'
) cell
WHERE s.id = ANY(%s)
"""


def _facts(version, submissions):
    """The facts of each report (SQLite): the numeric scalars, then every cell of the 经济指标 grid."""
    field_id, columns = grid_spec(version)
    for s in submissions:
        data = s["answers"]
        common = (s["id"], version.definition_id, version.pk, s["enterprise_id"], s["period"], s["region_code"],
                  data["industry"], s["status"])
        for field, number in scalar_facts(data):
            yield common, field, "", "", number
        for row, cells in data[field_id].items():
            for column in columns:
                yield common, field_id, row, column, cells[column]


def _facts_insert(version, submissions: list[dict], ids: list[int]) -> int:
    from reporting.models import IndicatorFact, Submission

    if connection.vendor == "postgresql":
        sql = FACTS_SQL.format(facts=IndicatorFact._meta.db_table, submissions=Submission._meta.db_table,
                               columns=", ".join(connection.ops.quote_name(c) for c in FACT_COLUMNS))
        with connection.cursor() as cursor:
            field_id, columns = grid_spec(version)
            cursor.execute(sql, [version.definition_id, list(SCALAR_FACTS), field_id, field_id, list(columns), ids])
            return cursor.rowcount
    for row, pk in zip(submissions, ids):
        row["id"] = pk
    facts = [IndicatorFact(**dict(zip(FACT_COLUMNS, (*common, field, row, column, "", number))))
             for common, field, row, column, number in _facts(version, submissions)]
    IndicatorFact.objects.bulk_create(facts, batch_size=5000)
    return len(facts)
