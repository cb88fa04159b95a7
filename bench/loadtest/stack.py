"""The production-shaped stack on loopback for the bench scripts (surge.py, faults.py).

PostgreSQL (port 5436) and Redis (port 6392) in a work directory under /tmp, gunicorn (gthread,
deploy/gunicorn.conf.py) and a Celery worker, all started and stopped here. Runs as root (as .ci/run
does: PostgreSQL is started as the postgres user) or as any user that can run initdb.
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5436"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6392"))
WEB_PORT = int(os.environ.get("BENCH_WEB_PORT", "8796"))


def pg_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not found:
        raise SystemExit("PostgreSQL is not installed: apt-get install -y postgresql redis-server")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(f"'{c}'" if " " in c else c for c in command)]
    return command


class Stack:
    """One bench environment in `work` (default /tmp/sme-bench): data, logs, static files, media."""

    def __init__(self, work: str = "/tmp/sme-bench", *, workers: int = 2, threads: int = 8):
        self.work = Path(work)
        self.pgdata = self.work / "pg"
        self.workers, self.threads = workers, threads
        self.web: subprocess.Popen | None = None
        self.celery: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{WEB_PORT}"

    # -- environment ---------------------------------------------------------------------------
    def env(self, **extra) -> dict:
        env = dict(os.environ)
        for key in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "REDIS_URL", "DATABASE_URL"):
            env.pop(key, None)
        env.update({
            "PYTHONPATH": f"{ROOT}:{ROOT / 'platform'}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_VAR_DIR": str(self.work / "var"),
            "DJANGO_STATIC_ROOT": str(self.work / "static"),
            "DJANGO_MEDIA_ROOT": str(self.work / "media"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/sme",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
            "CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{REDIS_PORT}/2",
            # Every simulated user logs in from 127.0.0.1: lift the per-IP SMS limit for the bench.
            "SMS_IP_HOURLY_LIMIT": "100000000",
            "SMS_MOBILE_INTERVAL_SECONDS": "0",
            "AXES_FAILURE_LIMIT": "1000",
            "GUNICORN_BIND": f"127.0.0.1:{WEB_PORT}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_THREADS": str(self.threads),
            "GUNICORN_MAX_REQUESTS": "0",
        })
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def manage(self, *args, check=True, **extra) -> subprocess.CompletedProcess:
        return subprocess.run([PY, str(ROOT / "manage.py"), *args], env=self.env(**extra), cwd=ROOT, check=check,
                              capture_output=True, text=True)

    def python(self, code: str, **extra) -> str:
        """Run `code` in a Django-configured interpreter of the bench; returns its stdout."""
        prelude = "import django; django.setup()\n"
        done = subprocess.run([PY, "-c", prelude + code], env=self.env(**extra), cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        return done.stdout

    # -- PostgreSQL ----------------------------------------------------------------------------
    def pg_start(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        os.chmod(self.work, 0o755)
        if not (self.pgdata / "PG_VERSION").exists():
            self.pgdata.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(self.pgdata, "postgres")
            subprocess.run(_as_postgres([f"{pg_bin()}/initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust"]),
                           check=True, capture_output=True)
        if self.pg_running():
            return
        options = (f"-p {PG_PORT} -k {self.pgdata} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c max_connections=200 -c shared_buffers=256MB")
        subprocess.run(_as_postgres([f"{pg_bin()}/pg_ctl", "-D", str(self.pgdata), "-w", "-l", str(self.pgdata / "log"),
                                     "-o", options, "start"]), check=True, capture_output=True)
        created = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-tAc",
                                  "SELECT 1 FROM pg_database WHERE datname='sme'"], capture_output=True, text=True)
        if created.stdout.strip() != "1":
            self.psql("CREATE DATABASE sme", db="postgres")

    def pg_running(self) -> bool:
        return subprocess.run(_as_postgres([f"{pg_bin()}/pg_ctl", "-D", str(self.pgdata), "status"]),
                              capture_output=True).returncode == 0

    def pg_stop(self, mode: str = "fast") -> None:
        if self.pgdata.exists() and self.pg_running():
            subprocess.run(_as_postgres([f"{pg_bin()}/pg_ctl", "-D", str(self.pgdata), "-m", mode, "-w", "stop"]),
                           capture_output=True)

    def pg_restart(self, down_seconds: float = 0.0) -> None:
        """Stop PostgreSQL (immediate: connections are cut as in a crash), wait, start again."""
        self.pg_stop("immediate")
        time.sleep(down_seconds)
        self.pg_start()

    def psql(self, sql: str, db: str = "sme") -> str:
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", db, "-v",
                               "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(done.stderr)
        return done.stdout.strip()

    # -- Redis ---------------------------------------------------------------------------------
    def redis_start(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        if self.redis_running():
            return
        subprocess.run(["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                        "no", "--daemonize", "yes", "--dir", str(self.work), "--pidfile", str(self.work / "redis.pid"),
                        "--logfile", str(self.work / "redis.log")], check=True)
        for _ in range(50):
            if self.redis_running():
                return
            time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def redis_running(self) -> bool:
        return subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True).stdout.strip() == "PONG"

    def redis_stop(self) -> None:
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"], capture_output=True)
        for _ in range(50):
            if not self.redis_running():
                return
            time.sleep(0.1)

    # -- Django --------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Migrate, collect static files, reference data, demo administrators and the report types."""
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.python("from bench.loadtest.seed import base_seed; base_seed()")

    def web_start(self, **extra) -> None:
        log = open(self.work / "gunicorn.log", "ab")
        self.web = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                     "--access-logfile", str(self.work / "access.log"),
                                     # longer than any think time: gunicorn closing an idle keep-alive
                                     # connection as the client reuses it would count as a client error
                                     "--keep-alive", "75"],
                                    env=self.env(**extra), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        self.wait_http("/accounts/login/")

    def wait_http(self, path: str, timeout: float = 60) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + path, timeout=2):
                    return
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return
                time.sleep(0.3)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer {path}; see {self.work / 'gunicorn.log'}")

    def web_workers(self) -> list[int]:
        """The gunicorn worker processes (children of the master)."""
        if self.web is None:
            return []
        out = subprocess.run(["pgrep", "-P", str(self.web.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def celery_start(self, concurrency: int = 1, **extra) -> None:
        log = open(self.work / "celery.log", "ab")
        self.celery = subprocess.Popen([str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "worker", "--loglevel=INFO",
                                        f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
                                        "--without-heartbeat", "-n", f"bench{os.getpid()}@%h"],
                                       env=self.env(**extra), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            if "ready." in (self.work / "celery.log").read_text(errors="replace").split("celery@")[-1]:
                return
            time.sleep(0.3)
        raise RuntimeError(f"the Celery worker did not start; see {self.work / 'celery.log'}")

    def celery_children(self) -> list[int]:
        if self.celery is None:
            return []
        out = subprocess.run(["pgrep", "-P", str(self.celery.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    @staticmethod
    def _stop(process: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 20) -> None:
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def web_stop(self) -> None:
        self._stop(self.web)
        self.web = None

    def celery_stop(self, sig=signal.SIGTERM) -> None:
        self._stop(self.celery, sig)
        self.celery = None

    def stop(self, *, keep: bool = False) -> None:
        """Stop gunicorn and Celery, and PostgreSQL and Redis too unless `keep` (a bench's --keep)."""
        self.web_stop()
        self.celery_stop()
        if not keep:
            self.redis_stop()
            self.pg_stop()

    def seed(self, enterprises: int):
        """Seed `enterprises` with fillers (bench.loadtest.seed) for a Locust run: (plan, ledger, seeded)."""
        plan, ledger = self.work / "plan.json", self.work / "ledger.csv"
        ledger.unlink(missing_ok=True)
        seeded = json.loads(self.python(
            f"import json; from bench.loadtest.seed import seed_enterprises; "
            f"print(json.dumps(seed_enterprises({enterprises}, {str(plan)!r})))"))
        return plan, ledger, seeded

    def start(self, *, celery: bool = True) -> None:
        self.pg_start()
        self.redis_start()
        self.prepare()
        self.web_start()
        if celery:
            self.celery_start()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
