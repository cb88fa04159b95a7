"""A deterministic race of two first saves on a real database server (PostgreSQL).

The winner runs in a thread inside a transaction that stays open; the loser runs in a second thread
and is released only once PostgreSQL reports its backend waiting on a lock (its insert of the same
unique key waits for the winner). The winner then commits, and the loser meets the committed row:
exactly the interleaving that gave a 500 (IntegrityError) before saves were race-safe.
"""
import threading
import time

import pytest
from django.db import connection, transaction

#: SQLite takes one lock for the whole database, so a second writer never interleaves with an open
#: one the way PostgreSQL's row and index locks let it; the race is only meaningful on a server.
needs_server_database = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers on one database lock (no concurrent insert waits on a unique index); "
           "this race runs on PostgreSQL (CI sets DATABASE_URL)")


def _waiting_on_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


def race(winner, loser, *, timeout: float = 20.0) -> tuple:
    """Run `winner()` and `loser()` as described above; return their results (or the exceptions they raised)."""
    from django.db import connections

    results, done, release = {}, threading.Event(), threading.Event()

    def run_winner():
        try:
            with transaction.atomic():
                results["winner"] = winner()
                done.set()
                release.wait(timeout)
        except Exception as exc:  # the test asserts on it
            results["winner"] = exc
        finally:
            done.set()
            connections.close_all()

    def run_loser():
        try:
            results["loser"] = loser()
        except Exception as exc:  # the test asserts on it
            results["loser"] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=run_winner)
    first.start()
    assert done.wait(timeout), "the winner did not finish its save"
    second = threading.Thread(target=run_loser)
    second.start()
    deadline = time.monotonic() + timeout
    while not _waiting_on_lock():
        assert time.monotonic() < deadline and second.is_alive(), f"the loser never waited on the winner: {results}"
        time.sleep(0.05)
    release.set()
    first.join(timeout)
    second.join(timeout)
    return results.get("winner"), results.get("loser")
