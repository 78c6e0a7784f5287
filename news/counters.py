"""View and download counts on a cached clip page: rendered as holes, filled per request.

The page cache (core.page_cache) keeps the clip page with these holes, so the counts
a reader sees are always current, however old the cached page is.

Counting a view: with a shared cache (Redis), the clip's running total lives in the cache
and a view is one atomic INCR there, not a database write. The total is seeded from the
database the first time (SET NX), so every worker counts on from the same number, and
every FLUSH_EVERY views it is written back with UPDATE ... SET view_count =
GREATEST(view_count, total): writes from several workers in any order leave the largest.
A worker restart loses nothing (the total is in Redis); losing Redis itself loses at most
FLUSH_EVERY - 1 views per clip. Lists read the database column, so they may lag the clip
page by that much. With a per-process cache (local memory) there is nothing shared to
count in, so each view is an atomic UPDATE in the database, as before.
"""

import re

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.db.models import F
from django.db.models.functions import Greatest

from .models import Attachment, NewsClip

VIEWS_HOLE = "@@views@@"
_DOWNLOADS_HOLE = re.compile(r"@@downloads:(\d+)@@")


FLUSH_EVERY = 20

# One round trip where Django's cache.incr takes two (EXISTS, then INCR): a cached page's
# view is counted on every request. Counts are stored as plain integers (Django's Redis
# serializer leaves ints as they are), so INCR works on the values cache.add wrote.
_INCR_IF_EXISTS = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incr', KEYS[1]) end return false"


def _incr_if_counted(key):
    """The key's value plus one, or None if it is not in the cache."""
    full_key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(full_key, write=True)
    return client.eval(_INCR_IF_EXISTS, 1, full_key)


def _views_key(clip_id):
    return f"views:{clip_id}"


def _shared():
    return isinstance(caches["default"], RedisCache)


def count_view(clip_id):
    """Count one reader's view of a clip; returns the count to show, this view included
    (None if the clip is gone)."""
    if not _shared():
        # One statement, no read-modify-write: the count it returns is exact however many
        # workers count at once.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {NewsClip._meta.db_table} SET view_count = view_count + 1 WHERE id = %s RETURNING view_count",
                [clip_id],
            )
            row = cursor.fetchone()
        return row[0] if row else None
    key = _views_key(clip_id)
    total = _incr_if_counted(key)
    if total is None:  # not counted in the cache yet: start from the database's count
        stored = NewsClip.objects.filter(pk=clip_id).values_list("view_count", flat=True).first()
        if stored is None:
            return None
        cache.add(key, stored, None)
        total = cache.incr(key)
    if total % FLUSH_EVERY == 0:
        NewsClip.objects.filter(pk=clip_id).update(view_count=Greatest(F("view_count"), total))
    return total


def current_views(clip_id, stored=None):
    """The count to show without counting a view (a HEAD, a staff preview); `stored` is the
    database's count when the caller has it."""
    if stored is None:
        stored = NewsClip.objects.filter(pk=clip_id).values_list("view_count", flat=True).first()
        if stored is None:
            return None
    if _shared():
        return max(stored, cache.get(_views_key(clip_id)) or 0)
    return stored


def cached_clip_hit(request, meta):
    """The page cache's hook for a clip page served from the cache: count the view (a GET;
    a HEAD only reads) and return the `fill` for its counters, or False if the clip is gone."""
    clip_id = meta["clip"]
    view_count = count_view(clip_id) if request.method == "GET" else current_views(clip_id)
    if view_count is None:
        return False
    return lambda html: fill_counters(html, view_count, clip_id)


def downloads_hole(attachment_id):
    return f"@@downloads:{attachment_id}@@"


def fill_counters(html, view_count, clip_id):
    """Put the current counts of a clip into its page rendered with holes (one query, only if needed)."""
    html = html.replace(VIEWS_HOLE, str(view_count))
    if not _DOWNLOADS_HOLE.search(html):
        return html
    counts = dict(Attachment.objects.filter(clip_id=clip_id).values_list("id", "download_count"))

    def downloads(match):
        count = counts.get(int(match.group(1)), 0)
        return f"{count} download{'' if count == 1 else 's'}"

    return _DOWNLOADS_HOLE.sub(downloads, html)
