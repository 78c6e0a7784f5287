"""Database or disk trouble answers a plain 503 page, never a traceback."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, OSError) and exception.errno in {28, 5, 30}  # ENOSPC, EIO, EROFS
        ):
            logger.error("Service unavailable: %s", exception, exc_info=True)
            response = HttpResponse(render_to_string("503.html"), status=503)
            response["Retry-After"] = "60"
            response["Cache-Control"] = "no-store"
            return response
        return None
