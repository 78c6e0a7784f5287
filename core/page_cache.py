"""Rendered public pages, kept in the shared cache until content changes.

Every save or delete of content bumps one generation number (now, and again after
commit); a cached page belongs to a generation, so no stale page outlives an edit.
Entries also expire after PAGE_CACHE_SECONDS, which bounds how late a scheduled
clip appears in lists (its publication is a moment, not a save).

Only anonymous GET/HEAD requests are served from the cache: anyone with a session
may be staff, and staff see previews and draft banners.

A page's cache key is made of the query parameters that page reads, in a fixed
order: `?utm_source=x` or a reordered query shares the entry of the plain page,
so nobody can fill the cache by inventing parameters. The view, and so its template,
is given a `request.GET` holding only those parameters: what it cannot read cannot
change the page stored for everyone.

A cached page carries a weak ETag (the hash of the cached copy) and answers
If-None-Match with 304.

Live values (view and download counts) are not cached: a page is stored with
holes, and `fill` puts the current values in on every request.

PageCacheMiddleware serves cached pages before sessions, CSRF, authentication and the
view run: a view marked with `cached_page` offers its rendered page (`offer`), the
middleware stores it with its headers, and answers the next anonymous reader itself.
"""

import functools
import hashlib
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response

from . import metrics

GENERATION_KEY = "pages:generation"


def generation():
    """The current generation; None while Redis is unavailable (every page is then a miss)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), None)
        value = cache.get(GENERATION_KEY)
    return value


def bump_generation():
    """Forget every cached page (a new generation). Also run when Redis answers again after
    an outage, and by `deploy/prod.sh up` and a restore."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet, or Redis unavailable (then there is nothing cached to forget)
        cache.set(GENERATION_KEY, time.time_ns(), None)


def content_changed(*args, **kwargs):
    """Forget every cached page now, and again once the change is committed
    (a page rendered in between may hold the old content). A signal receiver."""
    bump_generation()
    transaction.on_commit(bump_generation)


def invalidate_on_change(*senders, shown=None):
    """Connect models (and many-to-many `through` models) whose changes show on public pages.

    `shown(instance)`, if given, says whether a row can show on a public page at all: the save
    or delete of a row it rejects (a draft's row, say) leaves the cached pages alone."""
    receiver = content_changed
    if shown is not None:

        def receiver(sender, instance, **kwargs):
            if shown(instance):
                content_changed()

    for sender in senders:
        label = sender._meta.label
        if sender._meta.auto_created:
            m2m_changed.connect(content_changed, sender=sender, dispatch_uid=f"page-cache-m2m-{label}")
        else:
            post_save.connect(receiver, sender=sender, weak=False, dispatch_uid=f"page-cache-save-{label}")
            post_delete.connect(receiver, sender=sender, weak=False, dispatch_uid=f"page-cache-delete-{label}")


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
    current = generation()
    if current is None:  # Redis unavailable: no page is looked up or stored
        return None
    digest = hashlib.sha256(urlencode(query).encode()).hexdigest()[:32]
    return f"page:{current}:{name}:{digest}"


def offer(response, fill=None, meta=None, expires=None):
    """Offer the page a view rendered to the page cache (PageCacheMiddleware stores it if the
    request and response allow), then fill its holes for this request.

    `fill(html)` puts live values (counts) into the holes; the cache keeps the page with
    holes and the cached page's `hit` hook fills them again on every hit. `meta` is what
    that hook needs (say, the clip's id). `expires` (a datetime) is when the page must
    stop being served, such as a clip's expiry: the entry never outlives it.
    """
    if callable(getattr(response, "render", None)):
        response = response.render()
    if response.status_code == 200 and not response.streaming:
        response.page_cache_entry = {"content": response.content, "meta": meta, "expires": expires}
        if fill is not None:
            response.content = fill(response.content.decode()).encode()
    return response


def offer_facts(response, meta, expires=None):
    """Offer what it takes to answer the same request again without the view — `meta`, for
    the cached view's `serve(request, meta)` — rather than the page (a file download)."""
    if response.status_code == 200:
        response.page_cache_entry = {"content": None, "meta": meta, "expires": expires}
    return response


class CachedPage:
    """What PageCacheMiddleware needs to know of a view: its name, the query parameters it
    reads, and either `hit(request, meta)`, run on every hit of a cached page and returning
    a `fill` for its holes, or `serve(request, meta)`, answering from the facts a view
    offered (`offer_facts`)."""

    def __init__(self, name, params=(), hit=None, serve=None):
        self.name, self.params, self.hit, self.serve = name, tuple(params), hit, serve

    def key(self, request, match):
        return page_key(self.name, request, self.params, args=[*match.args, *sorted(match.kwargs.items())])


def only_params(query, params):
    """A copy of the QueryDict `query` holding only `params`."""
    kept = QueryDict(mutable=True)
    for param in params:
        values = query.getlist(param)
        if values:
            kept.setlist(param, values)
    kept._mutable = False
    return kept


def cached_page(name, params=(), hit=None, serve=None):
    """Mark a view whose page is the same for every anonymous reader, given its URL arguments
    and the query parameters in `params`: PageCacheMiddleware serves it from the cache.

    A view that renders holes, or whose page must not outlive a moment, hands its response
    to `offer()` itself; any other 200 answer is offered as it is."""
    spec = CachedPage(name, params, hit, serve)

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            # The view and its template see only the parameters the cache key is made of: one
            # reading anything else (`?utm_source=x`) would store its page under the plain one's key.
            request.GET = only_params(request.GET, spec.params)
            response = view(request, *args, **kwargs)
            if serve is None and getattr(response, "page_cache_entry", None) is None:
                response = offer(response)
            return response

        wrapper.page_cache = spec
        return wrapper

    return decorate


# Not kept with a cached page: computed again per response, or never shared.
_UNCACHED_HEADERS = {"content-length", "etag", "date", "set-cookie", "expires"}
# Nor, for facts, what `serve` sets itself for the file it answers with.
_SERVED_HEADERS = {
    "content-type",
    "content-disposition",
    "cache-control",
    "last-modified",
    "accept-ranges",
    "content-range",
    "x-content-type-options",
    "x-accel-redirect",
    "x-sendfile",
}


class PageCacheMiddleware:
    """Serve anonymous readers' pages from the cache before the rest of the stack runs.

    Placed right after the response-wide headers (security headers, compression): a hit
    costs a URL resolve, two cache reads and the page's `hit` hook — no session, no CSRF,
    no template, no ORM. The headers the inner middleware add (CSP, X-Frame-Options, Vary)
    are stored with the page from the response that filled the cache, and sent again.

    Stored only: an anonymous GET of a view marked with `cached_page`, answered 200 with a
    page the view offered, setting no cookie and not marked private.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spec = key = None
        if may_use_cache(request):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            spec = getattr(match.func, "page_cache", None) if match else None
            if spec is not None:
                key = spec.key(request, match)
            if key is not None:
                response = self.cached(request, spec, cache.get(key))
                metrics.page_cache(spec.name, hit=response is not None)
                if response is not None:
                    return response
        response = self.get_response(request)
        if key is not None:
            response = self.store(key, request, response)
        return response

    def cached(self, request, spec, entry):
        if entry is None or (entry["expires"] is not None and entry["expires"] <= time.time()):
            return None
        try:
            if entry["content"] is None:
                response = spec.serve(request, entry["meta"])
            else:
                fill = spec.hit(request, entry["meta"]) if spec.hit else None
        except DatabaseError:
            return None  # the view meets the same trouble and answers it (a 503)
        if entry["content"] is None:
            for name, value in entry["headers"].items():
                response.headers.setdefault(name, value)
            return response
        if fill is False:  # the hook found the page's object gone: render it again
            return None
        response = HttpResponse(entry["content"], headers=entry["headers"])
        response["ETag"] = entry["etag"]
        not_modified = get_conditional_response(request, etag=entry["etag"], response=response)
        if not_modified is not response:
            return not_modified
        if fill is not None:
            try:
                response.content = fill(entry["content"].decode()).encode()
            except DatabaseError:
                return None  # as above: the view answers it (a view counted once, by its request id)
        return response

    def store(self, key, request, response):
        entry = getattr(response, "page_cache_entry", None)
        if (
            entry is None
            or response.status_code != 200
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return response
        timeout = settings.PAGE_CACHE_SECONDS
        expires = entry["expires"]
        if expires is not None:
            expires = expires.timestamp()
            timeout = min(timeout, expires - time.time())
            if timeout <= 0:
                return response
        content = entry["content"]
        if content is None:
            headers = {
                name: value
                for name, value in response.items()
                if name.lower() not in _UNCACHED_HEADERS | _SERVED_HEADERS
            }
            cache.set(key, {"content": None, "headers": headers, "meta": entry["meta"], "expires": expires}, timeout)
            return response
        etag = f'W/"{hashlib.sha256(content).hexdigest()[:32]}"'
        cache.set(
            key,
            {
                "content": content,
                # Weak: the page is the same but for its live counters, which a reader's copy may lag.
                "etag": etag,
                "headers": {name: value for name, value in response.items() if name.lower() not in _UNCACHED_HEADERS},
                "meta": entry["meta"],
                "expires": expires,
            },
            timeout,
        )
        response["ETag"] = etag
        return get_conditional_response(request, etag=etag, response=response)
