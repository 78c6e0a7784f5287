"""Log lines an operator can join and read: UTC timestamps and nginx's request id.

nginx gives every request an id (`$request_id`), logs it and sends it to the app as
X-Request-ID; RequestIdMiddleware keeps it for the duration of the request, and every
line logged meanwhile carries it (`req=...`), so one grep finds the request in nginx's
access log, gunicorn's access log and the app's log. Timestamps are UTC with a "Z",
whatever TIME_ZONE the site displays (Django sets the process's zone to Asia/Seoul).
"""

import contextvars
import logging
import re
import time
import uuid

from django.core.signals import request_finished

_current = contextvars.ContextVar("request_id", default="-")
_REQUEST_ID = re.compile(r"[0-9a-f]{32}")


def request_id(request):
    """nginx's id of this request (32 hex digits, X-Request-ID), or None."""
    value = request.META.get("HTTP_X_REQUEST_ID", "")
    return value if _REQUEST_ID.fullmatch(value) else None


def current_request_id():
    return _current.get()


class RequestIdMiddleware:
    """First in the stack: nginx's request id (or a new one without nginx) for the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Kept until the response is finished (request_finished below), not only while the
        # middleware runs: Django logs a 4xx/5xx answer after the middleware returned it.
        _current.set(request_id(request) or uuid.uuid4().hex)
        return self.get_response(request)


def _finished(**kwargs):
    _current.set("-")


request_finished.connect(_finished, dispatch_uid="core-logging-request-id")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _current.get()
        return True


class UTCFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
