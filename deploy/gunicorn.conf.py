"""gunicorn settings for the web processes (``gunicorn -c deploy/gunicorn.conf.py``).

Sizing: the web work is short requests that wait on PostgreSQL, so threads help. Per machine start
with ``workers = cores`` and ``threads = 4`` (gthread), e.g. 4 workers x 4 threads on a 4-core
machine = 16 requests in flight; each thread holds at most one database connection, so keep
``machines x workers x threads`` under PostgreSQL's ``max_connections`` minus the Celery workers'
share (or put PgBouncer in transaction mode in front). Scale out by adding machines behind the
proxy, not by raising threads past ~8. Override any value with the GUNICORN_* variables below.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # long work goes to Celery, not the request
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Uploads are checked in Django (UPLOAD_MAX_BYTES); this caps header abuse.
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# The proxy's X-Request-ID is the same id Django logs (config.middleware.RequestIdMiddleware); xff= is the
# client chain behind the proxy (%(h)s is the proxy itself; accounts.client_address picks the real client).
access_log_format = '%(h)s xff=%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
pythonpath = "platform"
wsgi_app = "config.wsgi:application"


def child_exit(server, worker):
    """With several workers, /metrics merges their samples through PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
