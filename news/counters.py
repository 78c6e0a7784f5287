"""View and download counts on a cached clip page: rendered as holes, filled per request.

The page cache (core.page_cache) keeps the clip page with these holes, so the counts
a reader sees are always the database's, however old the cached page is.
"""

import re

from .models import Attachment

VIEWS_HOLE = "@@views@@"
_DOWNLOADS_HOLE = re.compile(r"@@downloads:(\d+)@@")


def downloads_hole(attachment_id):
    return f"@@downloads:{attachment_id}@@"


def fill_counters(html, view_count, clip):
    """Put the current counts of `clip` into a page rendered with holes (one query, only if needed)."""
    html = html.replace(VIEWS_HOLE, str(view_count))
    if not _DOWNLOADS_HOLE.search(html):
        return html
    counts = dict(Attachment.objects.filter(clip=clip).values_list("id", "download_count"))

    def downloads(match):
        count = counts.get(int(match.group(1)), 0)
        return f"{count} download{'' if count == 1 else 's'}"

    return _DOWNLOADS_HOLE.sub(downloads, html)
