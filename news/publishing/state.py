"""How many clips the public sees, and the newest publication: exact, and cheap to ask again.

Counting 100,000 published clips is an index-only scan of the whole publication index
(~30 ms on PostgreSQL on two busy cores), and the news list (its "N clips" and last page)
and the feed's conditional GET each asked on every request. The answer only changes when
content is saved or deleted (which moves the page cache's generation, core.page_cache) or
when time reaches the next scheduled publication or expiry; so it is kept in the cache under
the generation, until that next moment. One query on a miss, as before; none on a hit.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from core.page_cache import generation
from news.models import NewsClip
from news.models.clips import live_at

KEY = "news:published-state:{}"
# However far away the next scheduled change is, look again after this long.
LONGEST = timedelta(hours=1)


def published_state(now=None):
    """(number of published clips, newest publish_at among them or None), as `published()` sees it now."""
    return _state(now)[:2]


def valid_until(now=None):
    """The next moment `published()` changes by the clock alone (a scheduled clip comes out,
    one expires; at the latest an hour from now), as a timestamp: anything derived from the
    published clips (a filtered list's count) may be kept until then, or until an edit."""
    return _state(now)[2].timestamp()


def _state(now=None):
    now = now or timezone.now()
    key = KEY.format(generation())
    cached = cache.get(key)
    if cached is not None and now < cached[2]:
        return cached
    visible = live_at(now)  # within the on-site rows: published(), as an aggregate's filter
    row = NewsClip.objects.on_site().aggregate(
        count=Count("pk", filter=visible),
        newest=Max("publish_at", filter=visible),
        next_out=Min("publish_at", filter=Q(publish_at__gt=now)),
        next_expiry=Min("expires_at", filter=Q(expires_at__gt=now)),
    )
    valid_until = min(moment for moment in (row["next_out"], row["next_expiry"], now + LONGEST) if moment)
    state = (row["count"], row["newest"], valid_until)
    cache.set(key, state, int(LONGEST.total_seconds()))
    return state
