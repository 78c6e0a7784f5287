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

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .logging import request_id
from .models import CountedRequest

KEEP = timedelta(minutes=10)


def count_once(request, what, statement, params):
    """Run `statement` (an UPDATE ... RETURNING or not) unless this request already counted
    `what`; returns the first row it returned, True if it returned none, or None if the
    request had been counted already (on any instance)."""
    rid = request_id(request) if request is not None else None
    if rid is None and connection.vendor != "postgresql":
        with connection.cursor() as cursor:  # one statement: nothing to hold together
            cursor.execute(statement, params)
            row = cursor.fetchone() if cursor.description else None
        return row if row is not None else True
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Its commit does not wait for the disk: what it risks is the last fraction of a
            # second of counts if the database server crashes, never one on a worker restart.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if rid is not None:
            cursor.execute(
                f"INSERT INTO {CountedRequest._meta.db_table} (key, created) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [f"{what}:{rid}", timezone.now()],
            )
            if cursor.rowcount != 1:
                return None
        cursor.execute(statement, params)
        row = cursor.fetchone() if cursor.description else None
    return row if row is not None else True


def forget_old():
    return CountedRequest.objects.filter(created__lt=timezone.now() - KEEP).delete()[0]
