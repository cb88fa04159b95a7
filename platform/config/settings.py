"""Settings, read from the environment (12-factor).

Embedded default: SQLite file under var/, Celery eager, local-memory cache, SMS outbox.
Production: DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL),
CELERY_BROKER_URL and REDIS_URL (Redis).
"""
import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

PLATFORM_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PLATFORM_DIR.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
_DEV_SECRET = "dev-insecure-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h.strip()]
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    # Project apps first so their templates override Wagtail's where they share a name.
    "accounts",
    "regions",
    "enterprises",
    "reporting",
    "workflow",
    "reminders",
    "imports",
    "analytics",
    "exports",
    "filing",
    "api",
    "ops",
    "formdefs",
    "survey_builder",
    "cms",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django and friends
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "formtools",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from static files (no CDN)
    "axes",
    "django_prometheus",
]

MIDDLEWARE = [
    # Metrics wrap everything; the request id comes next so every later log line carries it.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "config.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (CONTENT_SECURITY_POLICY below) and Permissions-Policy on every response;
    # early, so the 503 outage page and the lockout page get them too.
    "csp.middleware.CSPMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    "config.security.WagtailEditorPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.DefaultLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "ops.middleware.DatabaseUnavailableMiddleware",
    # AxesMiddleware last: it turns a lockout into the response of AXES_LOCKOUT_CALLABLE.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the embedded default take concurrent requests. IMMEDIATE: every
    # transaction.atomic takes the write lock when it begins, so a concurrent writer waits for it
    # (up to the timeout) and then reads what it wrote; with SQLite's DEFERRED default, a transaction
    # that read before another one wrote fails at its own first write with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20,
         "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"}
    )
# An optional streaming replica for the heavy reads (standard queries and their exports).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True)
QUERY_DATABASE = "replica" if "replica" in DATABASES else "default"
# Reads inside config.routers.heavy_reads() (standard queries, exports, charts) go to QUERY_DATABASE.
DATABASE_ROUTERS = ["config.routers.QueryDatabaseRouter"]
# PostgreSQL's JIT compiles the summaries' expressions on every run (60-120 ms each, more than it
# saves on queries of well under a second: bench/summary.py); DATABASE_JIT=1 turns it back on.
if not env_bool("DATABASE_JIT", False):
    for database in DATABASES.values():
        if database["ENGINE"].endswith("postgresql"):
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL")
if REDIS_URL:
    # ops.cache.TolerantRedisCache: a Redis outage logs and degrades to cache misses, pages keep working.
    CACHES = {"default": {"BACKEND": "ops.cache.TolerantRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before they are checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (new passwords, and every older hash re-hashed at its owner's next login); PBKDF2
# after it so hashes made before verify. Parameters in accounts/hashers.py (bench/passwords.py).
PASSWORD_HASHERS = [
    "accounts.hashers.SmeArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NoSpacePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # passwords are reset by the owner with an SMS code only

SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(2 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = True  # sliding expiry: idle sessions end after SESSION_COOKIE_AGE
SESSION_COOKIE_HTTPONLY = True

# Reverse proxies in front of the web processes (deploy/README.md, "Client addresses behind the proxy").
# The client address is read from X-Forwarded-For through this many hops, rightmost first, and only
# through hops listed in TRUSTED_PROXIES when it is set (addresses or networks); 0 ignores the header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]

# django-axes: lock a user name + client address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "accounts.client_address.client_address"  # the one client-address function
# Per login name across all addresses: after LOGIN_SLOWDOWN_AFTER failures within the cool-off time,
# each further attempt waits 2, 4, 8 … seconds after the last failure, at most LOGIN_SLOWDOWN_MAX_SECONDS
# (refused at once with the wait, never slept): slows guessing without locking the owner out.
LOGIN_SLOWDOWN_AFTER = int(os.environ.get("LOGIN_SLOWDOWN_AFTER", "10"))
LOGIN_SLOWDOWN_MAX_SECONDS = int(os.environ.get("LOGIN_SLOWDOWN_MAX_SECONDS", "300"))
LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "30"))  # not slowed where it logged in
# 忘记密码: wrong login name + real name pairs per hour, per login name and address, and per address.
RESET_CHECK_HOURLY_LIMIT = int(os.environ.get("RESET_CHECK_HOURLY_LIMIT", "5"))
RESET_CHECK_IP_HOURLY_LIMIT = int(os.environ.get("RESET_CHECK_IP_HOURLY_LIMIT", "20"))
# 回执核验 (public): codes that did not verify, per client address and clock hour, before it is refused.
RECEIPT_CHECK_HOURLY_FAILURES = int(os.environ.get("RECEIPT_CHECK_HOURLY_FAILURES", "20"))

# SMS
SMS_BACKEND = os.environ.get("SMS_BACKEND", "accounts.sms.OutboxBackend")
SMS_CODE_TTL = timedelta(minutes=5)
SMS_CODE_MAX_ATTEMPTS = 5
SMS_MOBILE_INTERVAL = timedelta(seconds=int(os.environ.get("SMS_MOBILE_INTERVAL_SECONDS", "60")))
# The hourly limits hold separately for login codes and for the other codes (registration, password
# reset, change of mobile), so requests for other codes never use up a mobile's or an address's logins.
SMS_MOBILE_HOURLY_LIMIT = int(os.environ.get("SMS_MOBILE_HOURLY_LIMIT", "10"))
SMS_IP_HOURLY_LIMIT = int(os.environ.get("SMS_IP_HOURLY_LIMIT", "30"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Every time a user sees is Shanghai time: the account page offers no other zone (Wagtail's default,
# every zone the OS lists, includes "localtime", which the browser's Intl API refuses).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# The document library's files (cms.storage) and finished exports (exports.models): private, outside
# MEDIA_ROOT, never URL-served.
CMS_PRIVATE_ROOT = Path(os.environ.get("DJANGO_PRIVATE_ROOT", VAR_DIR / "private"))
EXPORTS_ROOT = Path(os.environ.get("DJANGO_EXPORTS_ROOT", MEDIA_ROOT.parent / "exports"))
# Every directory of stored files, by its name in a backup (ops.backup: manage.py backup / restore /
# backup_verify), as the setting that holds it. A new storage root goes here: `backup` refuses to run
# while a FileField or STORAGES["default"] stores files outside all of them (tests/backup checks it).
BACKUP_FILE_ROOTS = {"media": "MEDIA_ROOT", "library": "CMS_PRIVATE_ROOT", "exports": "EXPORTS_ROOT"}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Excel uploads (formdefs.excel.safety): the file, then what each part may inflate to, checked from the
# zip directory before anything is parsed, and the cells of a sheet (a report template's limits come
# from its layout); rows of a batch file and of its 产品产销存 sheet; the messages kept per batch row
# and per import job (then one summary line). bench/uploads.py shows that the worst file these
# limits accept is parsed within 5 s and 100 MB (openpyxl reads ~10 µs a cell here: raise the row
# limit with care).
EXCEL_UPLOAD_MAX_BYTES = int(os.environ.get("EXCEL_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
EXCEL_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("EXCEL_MAX_UNCOMPRESSED_BYTES", str(200 * 1024 * 1024)))
EXCEL_MAX_SHARED_STRINGS_BYTES = int(os.environ.get("EXCEL_MAX_SHARED_STRINGS_BYTES", str(2 * 1024 * 1024)))
EXCEL_MAX_SHEET_BYTES = int(os.environ.get("EXCEL_MAX_SHEET_BYTES", str(16 * 1024 * 1024)))
EXCEL_MAX_SHEET_CELLS = int(os.environ.get("EXCEL_MAX_SHEET_CELLS", "500000"))
EXCEL_MAX_PART_BYTES = int(os.environ.get("EXCEL_MAX_PART_BYTES", str(1024 * 1024)))
EXCEL_MAX_SHEET_ROWS = int(os.environ.get("EXCEL_MAX_SHEET_ROWS", "20000"))
IMPORT_BATCH_MAX_ROWS = int(os.environ.get("IMPORT_BATCH_MAX_ROWS", "3000"))
IMPORT_PRODUCTS_MAX_ROWS = int(os.environ.get("IMPORT_PRODUCTS_MAX_ROWS", "2000"))
IMPORT_ROW_MAX_MESSAGES = int(os.environ.get("IMPORT_ROW_MAX_MESSAGES", "20"))
IMPORT_JOB_MAX_MESSAGES = int(os.environ.get("IMPORT_JOB_MAX_MESSAGES", "1000"))

# Wagtail
WAGTAIL_SITE_NAME = "中小企业生产经营运行监测平台"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "zip", "png", "jpg", "jpeg"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Celery: no broker configured -> tasks run eagerly in-process (embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = "CELERY_BROKER_URL" not in os.environ
CELERY_TASK_EAGER_PROPAGATES = True
# Queuing with the broker down fails within seconds (ops.queue.task_enqueue marks the task row failed).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
# Tasks with acks_late (imports) take one message at a time; an unacknowledged message of a worker
# killed outright is delivered again after the visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600"))}
CELERY_TIMEZONE = TIME_ZONE
# Periodic work for `celery -A config beat` (production); the embedded default also runs these
# checks when the pages that need them are read.
CELERY_BEAT_SCHEDULE = {
    "information-changes-sweep": {"task": "reporting.tasks.information_changes_sweep", "schedule": 60.0},
    # 催报: daily; both are idempotent per (enterprise, period, kind), so a rerun sends nothing twice.
    # REMINDER_DAYS_BEFORE_DUE (default 3) sets how many days before the due date the reminder goes.
    "reminders-due-soon": {"task": "reminders.tasks.reminders_due_soon", "schedule": crontab(hour=9, minute=0)},
    "reminders-overdue": {"task": "reminders.tasks.reminders_overdue", "schedule": crontab(hour=9, minute=30)},
    # 批量导入: uploads held for an overwrite confirmation that never came (also purged on each new hold).
    "imports-held-purge": {"task": "imports.tasks.import_files_held_purge_task", "schedule": crontab(hour=3, minute=15)},
}
# 企业信息变更: how long after a freeze the automatic check runs.
INFORMATION_CHANGE_CHECK_SECONDS = int(os.environ.get("INFORMATION_CHANGE_CHECK_SECONDS", "120"))

# Data-integration API (api/README.md): requests per token as "<count>/<s|min|h|day>" (429 with
# Retry-After beyond), request body size, active (not revoked) tokens a user may hold.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120/min").strip()
if not re.fullmatch(r"[1-9]\d*/(\d*)(s|sec|m|min|h|hour|d|day)", API_RATE_LIMIT):
    raise RuntimeError(f"API_RATE_LIMIT must look like 120/min (count/s, min, h or day), not {API_RATE_LIMIT!r}")
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(1024 * 1024)))
API_TOKENS_PER_USER = int(os.environ.get("API_TOKENS_PER_USER", "5"))

# Security
SECURE_CONTENT_TYPE_NOSNIFF = True
# SAMEORIGIN, not DENY: Wagtail's page preview frames the site's own pages.
X_FRAME_OPTIONS = "SAMEORIGIN"
# Django's defaults, stated: SecurityMiddleware sends them on every response.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy, enforced (django-csp). Every script is a static file ('self'); an inline
# <script> needs nonce="{{ request.csp_nonce }}" (none does today: handlers are listeners in static JS,
# data goes through json_script). No 'unsafe-eval': htmx (no hx-on / js: attributes), ECharts, the
# wizard's rules (evaluated on the server) and Wagtail's admin run without it. No 'unsafe-inline' styles:
# page CSS is in static files, htmx's indicator styles too (includeIndicatorStyles off), bar widths and
# CSS variables are set from data- attributes by static/js/behaviours.js (the CSSOM is allowed), ECharts
# tooltips render as rich text (its HTML tooltip writes style="" markup). /api/v1/docs: django-ninja serves
# Swagger UI from its static files ("ninja" in INSTALLED_APPS), so the docs need no CDN and no exception.
# Wagtail's own editing views are the one exception (CSP_STRICT_ADMIN_PREFIXES below).
# tests/e2e/test_csp.py visits the main pages of each role and sees no violation.
# A response that sets its own Content-Security-Policy keeps it (the middleware never overwrites one):
# the document library serves images under "default-src 'none'; img-src 'self'; sandbox".
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        # 'self', not 'none': Wagtail's page preview frames the site's own pages (as X_FRAME_OPTIONS).
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Under /admin/, Wagtail's own editing views (pages, snippets, images, documents, users ...) get a policy
# with inline scripts and styles (config.security.WagtailEditorPolicyMiddleware: Wagtail still prints
# inline <script>, issue #1288); the dashboard and these, the platform's own back office, stay strict.
CSP_STRICT_ADMIN_PREFIXES = (
    "/admin/review/", "/admin/analytics/", "/admin/surveys/", "/admin/library/", "/admin/imports/",
    "/admin/exports/", "/admin/filing/", "/admin/enterprises/", "/admin/subordinates/", "/admin/api-tokens/",
    "/admin/reminders/", "/admin/login/", "/admin/formdefs/",
)
# Browser features no page uses, switched off for the site and anything it frames.
PERMISSIONS_POLICY = {
    "accelerometer": [], "camera": [], "display-capture": [], "geolocation": [], "gyroscope": [],
    "magnetometer": [], "microphone": [], "midi": [], "payment": [], "usb": [], "serial": [],
    "hid": [], "xr-spatial-tracking": [], "browsing-topics": [],
}
# models.W040: SQLite has no INCLUDE columns; the facts index keeps its key columns there (PostgreSQL
# uses the included ones for index-only summaries).
SILENCED_SYSTEM_CHECKS = ["security.W019", "models.W040"]
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs: one line per record on stdout. DJANGO_LOG_FORMAT=json (the production default) gives
# structured JSON lines; every record made while serving a request carries its request id.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "django_tasks": {"level": "WARNING"}},
}

# /metrics (Prometheus text format). Open to loopback and METRICS_ALLOWED_IPS only; with several
# gunicorn workers set PROMETHEUS_MULTIPROC_DIR (see deploy/README.md).
METRICS_ALLOWED_IPS = {ip.strip() for ip in os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1,::1").split(",") if ip.strip()}

SITE_TITLE = _("SME Production and Operation Monitoring Platform")
