"""Heavy reads on the query database (settings.QUERY_DATABASE: a streaming replica when
DATABASE_REPLICA_URL is set, else the default database).

The standard queries, their exports and the administrator home's charts scan months of reports and
tens of millions of facts; on a replica they leave the primary to the filing and review traffic.
Code that runs such reads wraps them in `heavy_reads()` (or iterates rows through `heavy_iter()`),
and `QueryDatabaseRouter` sends every read made inside to the query database. Writes never move, and
reads outside stay on the default database, so a page that writes then reads (a job it just
created) never reads a replica that lags behind.
"""
import contextlib
from contextvars import ContextVar

from django.conf import settings

_heavy = ContextVar("heavy_reads", default=False)


@contextlib.contextmanager
def heavy_reads():
    """Reads inside this block go to settings.QUERY_DATABASE."""
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


def heavy_iter(iterable):
    """Iterate `iterable` with its reads on the query database, and only its own: the caller's code
    between two items (an export writing its progress, say) keeps the default database."""
    iterator = iter(iterable)
    while True:
        with heavy_reads():
            try:
                item = next(iterator)
            except StopIteration:
                return
        yield item


class QueryDatabaseRouter:
    def db_for_read(self, model, **hints):
        return settings.QUERY_DATABASE if _heavy.get() else None
