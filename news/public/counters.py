"""View and download counts on a cached clip page: rendered as holes, filled per request.

The page cache (core.page_cache) keeps the clip page with these holes, so the counts
a reader sees are always current, however old the cached page is.

Counting a view is one statement in the database, `UPDATE ... SET view_count =
view_count + 1 ... RETURNING view_count`: the count is exact in the database at once,
whatever happens to Redis (lost, flushed, unreachable), to a worker or to an instance,
and a backup holds every view. It is the same statement a download has always been
(Attachment.count_downloads): on PostgreSQL its commit does not wait for the disk, so it costs
about as much as the round trip to Redis that counting there used to cost, and what it
risks is the last fraction of a second of counts if the database server itself crashes.
(Counting in Redis and writing totals back every N views lost up to N-1 views per clip
whenever Redis was lost or flushed, and left the database behind the page.)

A request nginx retries on a second instance keeps its request id: it is counted once
(core.counting). A HEAD, a staff preview or a conditional GET answered 304 is not a view.
"""

import re

from core.counting import count_once
from news.models import Attachment, NewsClip

VIEWS_HOLE = "@@views@@"
_DOWNLOADS_HOLE = re.compile(r"@@downloads:(\d+)@@")


def count_view(clip_id, request=None):
    """Count one reader's view of a clip; returns the count to show, this view included
    (None if the clip is gone). A retried request (same nginx request id) is not counted again."""
    # One statement, no read-modify-write: the count it returns is exact however many
    # workers count at once.
    counted, value = count_once(request, "view", NewsClip._meta.db_table, "view_count", [clip_id])
    if not counted:  # counted already, by this request's first attempt
        return current_views(clip_id)
    return value


def current_views(clip_id, stored=None):
    """The count to show without counting a view (a HEAD, a staff preview); `stored` is the
    database's count when the caller has it."""
    if stored is None:
        stored = NewsClip.objects.filter(pk=clip_id).values_list("view_count", flat=True).first()
    return stored


def cached_clip_hit(request, meta):
    """The page cache's hook for a clip page served from the cache: count the view (a GET;
    a HEAD only reads) and return the `fill` for its counters, or False if the clip is gone."""
    clip_id = meta["clip"]
    view_count = count_view(clip_id, request) if request.method == "GET" else current_views(clip_id)
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
