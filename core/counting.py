"""A request is counted once, even when nginx sends it to a second instance.

nginx gives every request an id (`$request_id`, sent as X-Request-ID) and keeps it when
it retries the request on another instance after the first one failed — possibly after
the first one had already counted it and died before answering. `count_once` runs the
counting statement only if it can record the request id in `CountedRequest`, in the same
transaction: an instance killed before its commit leaves neither the count nor the id
(the retry counts it), one killed after leaves both (the retry does not). Exactly once,
whatever Redis does. Ids are kept ten minutes (`forget_old`, run by the scheduler).

Without an id (no nginx in front: `make run`, tests) every request counts.
"""

from contextlib import nullcontext
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .logging import request_id
from .models import CountedRequest

KEEP = timedelta(minutes=10)


def count_once(request, what, table, column, ids):
    """Add one to `column` of the rows `ids` of `table`, unless this request already counted
    `what` (on any instance). Returns (counted, value): counted is False if the request had been
    counted already; value is the new value of one of the rows, or None if none of them exists.

    On PostgreSQL it is one statement, one round trip: recording the request id, the UPDATE and
    `synchronous_commit = off` for its commit (`set_config(…, true)` lasts until the end of the
    statement's own transaction, so the commit does not wait for the disk: what it risks is the
    last fraction of a second of counts if the database server crashes, never one on a worker
    restart). Four to five round trips (BEGIN, SET LOCAL, INSERT, UPDATE, COMMIT) cost a cached
    clip page more than the rest of its answer."""
    rid = request_id(request) if request is not None else None
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    update = f"UPDATE {quote(table)} SET {quote(column)} = {quote(column)} + 1 WHERE id IN ({marks})"
    key = f"{what}:{rid}"
    record = f"INSERT INTO {quote(CountedRequest._meta.db_table)} (key, created)"
    if connection.vendor == "postgresql":
        # Data-modifying CTEs run exactly once; the UPDATE waits for the id's INSERT (it reads its rows).
        once = f", once AS ({record} SELECT %s, %s FROM sync ON CONFLICT DO NOTHING RETURNING 1)" if rid else ""
        gate = "once" if rid else "sync"
        statement = (
            "WITH sync AS MATERIALIZED (SELECT set_config('synchronous_commit', 'off', true))"
            f"{once}, counted AS ({update} AND EXISTS (SELECT 1 FROM {gate}) RETURNING {quote(column)} AS value) "
            f"SELECT EXISTS (SELECT 1 FROM {gate}), (SELECT value FROM counted LIMIT 1)"
        )
        params = [key, timezone.now(), *ids] if rid else list(ids)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            counted, value = cursor.fetchone()
        return counted, value
    # SQLite: the id and the count in one transaction (one statement needs none).
    with transaction.atomic() if rid else nullcontext(), connection.cursor() as cursor:
        if rid is not None:
            cursor.execute(f"{record} VALUES (%s, %s) ON CONFLICT DO NOTHING", [key, timezone.now()])
            if cursor.rowcount != 1:
                return False, None
        cursor.execute(f"{update} RETURNING {quote(column)}", list(ids))
        row = cursor.fetchone()
    return True, row[0] if row else None


def forget_old():
    return CountedRequest.objects.filter(created__lt=timezone.now() - KEEP).delete()[0]
