"""Rendered public pages, kept in the shared cache until content changes.

Every save or delete of content bumps one generation number (now, and again after
commit); a cached page belongs to a generation, so no stale page outlives an edit.
Entries also expire after PAGE_CACHE_SECONDS, which bounds how late a scheduled
clip appears in lists (its publication is a moment, not a save).

Only anonymous GET/HEAD requests are served from the cache: anyone with a session
may be staff, and staff see previews and draft banners.

A page's cache key is made of the query parameters that page reads, in a fixed
order: `?utm_source=x` or a reordered query shares the entry of the plain page,
so nobody can fill the cache by inventing parameters.

A cached page carries a weak ETag (the hash of the cached copy) and answers
If-None-Match with 304.

Live values (view and download counts) are not cached: a page is stored with
holes, and `fill` puts the current values in on every request.
"""

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

GENERATION_KEY = "pages:generation"


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
    """Forget every cached page now, and again once the change is committed
    (a page rendered in between may hold the old content). A signal receiver."""
    _bump()
    transaction.on_commit(_bump)


def invalidate_on_change(*senders):
    """Connect models (and many-to-many `through` models) whose changes show on public pages."""
    for sender in senders:
        label = sender._meta.label
        if sender._meta.auto_created:
            m2m_changed.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-m2m-{label}")
        else:
            post_save.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-delete-{label}")


def may_use_cache(request):
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_key(name, request=None, params=(), args=()):
    """The cache key of page `name` for the URL arguments `args`: of the query string,
    only the parameters in `params` count, in that order."""
    query = [("", str(arg)) for arg in args]
    if request is not None:
        for param in params:
            values = sorted(request.GET.getlist(param))
            if values:
                query.extend((param, value) for value in values)
    digest = hashlib.sha256(urlencode(query).encode()).hexdigest()[:32]
    return f"page:{generation()}:{name}:{digest}"


def serve_page(request, key, render, fill=None):
    """Answer with the page cached under `key`, rendering and caching it on a miss.

    `render()` returns an HttpResponse (a TemplateResponse is rendered here); only a
    complete 200 is cached. `fill(html)` puts live values into the holes, for cached
    and fresh pages alike. With `key=None`, or for a reader who may not share the
    cache, the page is rendered for this request only.
    """
    cacheable = key is not None and may_use_cache(request)
    content = cache.get(key) if cacheable else None
    if content is not None:
        response = HttpResponse(content)
    else:
        response = render()
        if callable(getattr(response, "render", None)):
            response = response.render()
        if cacheable and response.status_code == 200 and not response.streaming:
            content = response.content
            cache.set(key, content, settings.PAGE_CACHE_SECONDS)
    if content is not None:
        # Weak: the page is the same but for its live counters, which a reader's copy may lag.
        etag = f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'
        response["ETag"] = etag
        not_modified = get_conditional_response(request, etag=etag, response=response)
        if not_modified is not response:
            return not_modified
    if fill is not None and not response.streaming:
        response.content = fill(response.content.decode()).encode()
    return response


def cached_page(name, params=()):
    """Decorator for views whose whole page is the same for every anonymous reader,
    given its URL arguments and the query parameters in `params`."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            key = None
            if may_use_cache(request):
                key = page_key(name, request, params, args=[*args, *sorted(kwargs.items())])
            return serve_page(request, key, lambda: view(request, *args, **kwargs))

        return wrapper

    return decorate
