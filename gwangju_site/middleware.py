"""Database or disk trouble answers a plain 503 page, never a traceback."""

import logging

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string

from core import outage

logger = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            used = connection.connection is not None and not connection.errors_occurred
            if used and outage.is_failing("the database"):
                outage.recovered("the database")  # this request used the database and it answered
            if outage.is_failing("the disk") and request.method == "POST":
                outage.recovered("the disk")
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, OSError) and exception.errno in {28, 5, 30}  # ENOSPC, EIO, EROFS
        ):
            # Once per outage, with its cause, not a traceback per request (core.outage).
            what = "the database" if isinstance(exception, (OperationalError, InterfaceError)) else "the disk"
            outage.failed(what, exception, then="answering 503 until it answers again")
            disk_full = isinstance(exception, OSError) and exception.errno == 28
            response = HttpResponse(render_to_string("503.html", {"disk_full": disk_full}), status=503)
            response._has_been_logged = True  # Django would log every one of them again
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        return None
