"""Conditional GET for views whose output follows the content: feed, sitemaps.

A view wrapped with `conditional_on(state)` sends `ETag` and `Last-Modified`
from `state()` and answers 304 when the client's copy is current, without
running the view. `state()` returns (newest change or None, version): the
newest change gives Last-Modified, and the version, which must also change
when something disappears (a count does), goes into the ETag with it.
"""

import functools
import hashlib

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag


def conditional_on(state):
    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in {"GET", "HEAD"}:
                return view(request, *args, **kwargs)
            newest, version = state()
            last_modified = int(newest.timestamp()) if newest else None
            # The ETag keeps the full precision: two changes within a second differ.
            moment = newest.isoformat() if newest else ""
            etag = quote_etag(hashlib.sha256(f"{moment}:{version}".encode()).hexdigest()[:32])
            response = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    response["ETag"] = etag
                    if last_modified is not None:
                        response["Last-Modified"] = http_date(last_modified)
            return response

        return wrapper

    return decorate
