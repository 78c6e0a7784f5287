"""Pagination for list pages: a bad page number gets the nearest real page, not an error."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.utils.functional import SimpleLazyObject, cached_property

# Deep pages seek from a kept position: the sort key of every SEEK_STRIDE-th row.
SEEK_STRIDE = 1000


class DeferredJoinPaginator(Paginator):
    """Finds a page's ids first, then loads only those rows.

    `?page=5000` skips 50,000 rows: walking an index for their ids (an index-only scan
    where the ordering index holds them) is cheap; fetching and discarding 50,000 full
    rows with their annotations is not.

    Counting every matching row is the other cost that grows with the table. With
    `count_key` (a page-cache key: it changes with every edit, see core.page_cache) the
    count is kept in the cache until `valid_until()` (a timestamp, or None for no limit
    but the page cache's), the next moment the rows change by the clock alone.

    Deep pages seek (with `count_key`, and an ordering of plain fields ending in a unique one):
    the sort key of every SEEK_STRIDE-th row is read once, in one pass over the ordering index,
    and kept like the count; `?page=5000` then starts from the kept row before it (a keyset
    condition the index answers directly) and skips fewer than SEEK_STRIDE rows, not 50,000.
    The page's numbers and links stay as they are.

    With `rows` (a function of a queryset), the page's rows are `rows(queryset)`: what a list shows
    of each row (annotations, prefetches) is added for the rows of the page only. A page's rows are
    fetched when first used: a page whose rendered rows are kept (core.fragments) fetches none.
    """

    def __init__(self, *args, count_key=None, valid_until=None, rows=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key, self.valid_until, self.rows = count_key, valid_until, rows

    @cached_property
    def count(self):
        if self.count_key is None:
            return self.object_list.count()
        return self._kept(self.count_key, self.object_list.count)

    def _kept(self, key, compute):
        """compute()'s answer, kept under `key` until content changes or `valid_until()`."""
        kept = cache.get(key)
        if kept is not None and (kept[1] is None or kept[1] > time.time()):
            return kept[0]
        return self._keep(key, compute())

    def _keep(self, key, value):
        now = time.time()
        until = self.valid_until() if self.valid_until else None
        timeout = settings.PAGE_CACHE_SECONDS if until is None else min(settings.PAGE_CACHE_SECONDS, until - now)
        if timeout > 0:
            cache.set(key, (value, until), timeout)
        return value

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        object_list, rows = self._seek(bottom), self.rows or (lambda queryset: queryset)
        skip = bottom % SEEK_STRIDE if object_list is not None else bottom
        if object_list is None:
            object_list = self.object_list

        def fetch():
            ids = object_list.values("pk")[skip : skip + top - bottom]
            return list(rows(self.object_list.filter(pk__in=ids)))

        return self._get_page(SimpleLazyObject(fetch), number, self)

    def _ordering(self):
        """[(field, descending)] when the list can seek: plain fields, the last one the primary key."""
        ordering = list(self.object_list.query.order_by)
        fields = [(name.lstrip("-"), name.startswith("-")) for name in ordering if isinstance(name, str)]
        if not fields or len(fields) != len(ordering) or fields[-1][0] not in ("pk", "id"):
            return None
        return fields

    def _seek(self, bottom):
        """The rows from the kept position at or before `bottom` on, or None (start from the top)."""
        fields = self._ordering()
        stride = bottom // SEEK_STRIDE
        if self.count_key is None or fields is None or stride < 1:
            return None
        # Kept as far as pages have been asked for: read again, deeper, when a deeper page is.
        positions = self._kept(f"{self.count_key}:seek", lambda: self._positions(fields, stride))
        if stride > len(positions):
            positions = self._positions(fields, stride)
            self._keep(f"{self.count_key}:seek", positions)
        if stride > len(positions) or None in positions[stride - 1]:
            return None
        # Rows strictly after the kept row, in the list's order. The first field's bound lets
        # the database start its index walk at that row.
        values = positions[stride - 1]
        after, equal = Q(), Q()
        for (name, descending), value in zip(fields, values, strict=True):
            after |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            equal &= Q(**{name: value})
        first, descending = fields[0]
        return self.object_list.filter(Q(**{f"{first}__{'lte' if descending else 'gte'}": values[0]}), after)

    def _positions(self, fields, strides):
        """The sort key of rows SEEK_STRIDE, 2 × SEEK_STRIDE, … (1-based), the first `strides` of
        them: the database walks the ordering index that far and no further."""
        order = [F(name).desc() if descending else F(name).asc() for name, descending in fields]
        numbered = self.object_list.order_by().annotate(_position=Window(RowNumber(), order_by=order))
        rows = numbered.annotate(_stride=F("_position") % SEEK_STRIDE).filter(
            _stride=0, _position__lte=strides * SEEK_STRIDE
        )
        return [tuple(row) for row in rows.order_by("_position").values_list(*[name for name, _ in fields])]


class SafePaginationMixin:
    """For FilterViews: page links keep the filter's parameters and nothing else."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, orphans=0, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        for name in list(query):
            if name not in self.filterset.filters:
                del query[name]
        context["query_without_page"] = query.urlencode()
        page = context.get("page_obj")
        if page is not None:
            context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        return context
