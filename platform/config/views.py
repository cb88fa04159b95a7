"""Operational endpoints: liveness, readiness and metrics."""
import os

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.client_address import client_address, peer_address


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # report, don't raise: these endpoints exist to say what is wrong
        return f"error: {type(exc).__name__}"


@never_cache
@require_GET
def healthz(request):
    """Liveness and database status as JSON; 503 when the database does not answer."""
    database = _database()
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "degraded", "database": database}, status=status)


def _migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not pending else f"pending: {len(pending)}"


def _cache() -> str:
    try:
        cache.set("readyz", "1", 5)
        return "ok" if cache.get("readyz") == "1" else "error: no round trip"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}"


def _static() -> str:
    """Render one small template with `{% static %}` through the configured static storage.

    With DEBUG off the manifest storage resolves every `{% static %}` through staticfiles.json; when
    collectstatic did not write it (or wrote it elsewhere) every page is a 500, so readiness fails
    here with the reason instead of answering 200.
    """
    from django.template.loader import render_to_string

    try:
        render_to_string("ops/readyz.html")
        return "ok"
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}"[:300]


@never_cache
@require_GET
def readyz(request):
    """Readiness for a load balancer: the database answers, its migrations are applied and a template
    with static files renders (the static files manifest is there).

    The cache and the broker are reported but do not make the instance unready: with Redis down the
    portal keeps working (the cache degrades to misses, background work fails visibly), and taking
    every web process out of rotation would turn a degraded service into an outage.
    """
    checks = {"database": _database()}
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    checks["static"] = _static()
    checks["cache"] = _cache()
    checks["broker"] = _broker()
    ready = all(checks.get(k) == "ok" for k in ("database", "migrations", "static"))
    return JsonResponse({"status": "ready" if ready else "not ready", **checks}, status=200 if ready else 503)


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format; answered only to METRICS_ALLOWED_IPS (404 to everyone else)."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

    from ops.metrics import PlatformCollector

    # Both the connecting machine and the client it forwards for must be allowed: a request relayed
    # by a local proxy (REMOTE_ADDR 127.0.0.1) for an outside client is refused, and X-Forwarded-For
    # alone can never open the endpoint because REMOTE_ADDR cannot be forged.
    if not {peer_address(request), client_address(request)} <= settings.METRICS_ALLOWED_IPS:
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_RegistryProxy(REGISTRY))
    registry.register(PlatformCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _RegistryProxy:
    """Exposes the process's default registry (django-prometheus' metrics) inside a per-scrape registry."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()
