"""Rendered public pages, kept in the shared cache until content changes.

Every save or delete of content bumps one generation number (after commit); a
cached page belongs to a generation, so no stale page outlives an edit. Entries
also expire after PAGE_CACHE_SECONDS, which bounds how late a scheduled clip
appears in lists and prev/next links (its publication is a moment, not a save).

Only anonymous GET/HEAD requests are served from the cache: anyone with a
session may be staff, and staff see previews and draft banners.

Counters stay exact and current: the clip page is cached with holes for the view
and download counts, filled per request from the database.
"""

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

GENERATION_KEY = "pages:generation"
VIEWS_HOLE = "@@views@@"
_DOWNLOADS_HOLE = re.compile(r"@@downloads:(\d+)@@")


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def _bump():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), None)


def content_changed(*args, **kwargs):
    """Signal receiver: forget every cached page now, and again once the change is
    committed (a page rendered in between may hold the old content)."""
    _bump()
    transaction.on_commit(_bump)


def may_use_cache(request):
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_key(prefix, request):
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{prefix}:{generation()}:{digest}"


def cached_page(prefix):
    """Decorator for public views whose whole page is the same for every anonymous reader."""

    def decorate(view):
        def wrapper(request, *args, **kwargs):
            if not may_use_cache(request):
                return view(request, *args, **kwargs)
            key = page_key(prefix, request)
            content = cache.get(key)
            if content is not None:
                return HttpResponse(content)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming:
                cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)
            return response

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


def downloads_hole(attachment_id):
    return f"@@downloads:{attachment_id}@@"


def fill_counters(html, view_count, download_counts):
    """Put the current counts into a clip page rendered with holes."""

    def downloads(match):
        count = download_counts.get(int(match.group(1)), 0)
        return f"{count} download{'' if count == 1 else 's'}"

    html = html.replace(VIEWS_HOLE, str(view_count))
    return _DOWNLOADS_HOLE.sub(downloads, html)
