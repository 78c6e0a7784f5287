"""Word search over model fields, shared by the news list and the site search."""

from django.db.models import Q

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10


def clean_query(value):
    """Search text as we use it: no NUL or control characters, bounded length."""
    value = "".join(ch for ch in (value or "") if ch.isprintable())
    return value.strip()[:MAX_QUERY_LENGTH]


def words_match(fields, text):
    """Every word of `text` (case-insensitive) in at least one of `fields`."""
    condition = Q()
    for word in text.split()[:MAX_WORDS]:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition
