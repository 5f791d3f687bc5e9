"""Reads that may lag go to a PostgreSQL streaming replica (issue 15, past one machine; docs/deploy.md).

The `replica` database alias exists when REPLICA_DATABASE_URL is set. `ReplicaReads` (middleware) marks a request
whose reads may come from it: a GET or HEAD of an address in `TINHGON_REPLICA_PATHS` (the public portal and API,
the dashboard, exports), unless the visitor wrote something in the last `TINHGON_REPLICA_STICKY_SECONDS`: whoever
has just written reads their own writes from the primary (the `tg_wrote` cookie, set on every successful write;
a visitor who forges it only sends their own reads to the primary). `ReplicaRouter` then answers those reads with
the replica; every write, everything else and every background job use the primary.

An alias that points at the primary's own server (the same host and port: as in the tests, settings_test.py) is not
a replica: reads stay on the default connection."""

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
WROTE_COOKIE = "tg_wrote"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_read_from: ContextVar[str | None] = ContextVar("tinhgon_read_from", default=None)


def replica_alias() -> str | None:
    """`replica` when it is configured and is another server than the primary."""
    if REPLICA not in settings.DATABASES:
        return None
    ours, theirs = connections[DEFAULT_DB_ALIAS].settings_dict, connections[REPLICA].settings_dict
    same = all(ours.get(key) == theirs.get(key) for key in ("HOST", "PORT"))
    return None if same else REPLICA


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _read_from.get()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The same rows on both: an organisation read from the replica may be linked to a row written to the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication


def may_lag(request) -> bool:
    if request.method not in SAFE_METHODS or not request.path.startswith(tuple(settings.TINHGON_REPLICA_PATHS)):
        return False
    try:
        wrote_at = float(request.COOKIES.get(WROTE_COOKIE, 0))
    except ValueError:
        wrote_at = 0
    return time.time() - wrote_at > settings.TINHGON_REPLICA_STICKY_SECONDS


class ReplicaReads:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_from.set(replica_alias() if may_lag(request) else None)
        try:
            response = self.get_response(request)
        finally:
            _read_from.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400 and replica_alias():
            response.set_cookie(
                WROTE_COOKIE,
                str(int(time.time())),
                max_age=settings.TINHGON_REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
