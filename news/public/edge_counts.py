"""Views and downloads the edge cache delivered without the app, into the database.

nginx writes one line per delivery from its cache: `<time> <request id> <X-Edge-Count>`
(core.edge: `view:12`, `download:4,5`). `apply` sums a batch and writes it with one UPDATE
for the clips and one for the attachments; core.edge_log runs it inside the transaction
that records the log position, so each line counts exactly once.

One statement per table, not one per row: the app's own count of a ZIP download updates
several attachments in one statement, and two transactions taking the same rows one by one
in different orders deadlock (seen under load); two single statements over the same rows
take them in the same order.
"""

from collections import Counter

from django.db.models import Case, F, Value, When

from core.edge import parse_count
from news.models import Attachment, NewsClip


def tally(lines):
    """({clip id: views}, {attachment id: downloads}) of log lines; malformed lines are skipped."""
    views, downloads = Counter(), Counter()
    for line in lines:
        parsed = parse_count(line.rsplit(" ", 1)[-1])
        if parsed is None:
            continue
        kind, ids = parsed
        for pk in ids:
            (views if kind == "view" else downloads)[pk] += 1
    return views, downloads


def _add(model, field, counts):
    if counts:
        increment = Case(*(When(pk=pk, then=Value(n)) for pk, n in sorted(counts.items())), default=Value(0))
        model.objects.filter(pk__in=sorted(counts)).update(**{field: F(field) + increment})


def apply(lines):
    views, downloads = tally(lines)
    _add(NewsClip, "view_count", views)
    _add(Attachment, "download_count", downloads)
