"""Pagination for list pages: a bad page number gets the nearest real page, not an error."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property


class DeferredJoinPaginator(Paginator):
    """Finds a page's ids first, then loads only those rows.

    `?page=5000` skips 50,000 rows: walking an index for their ids (an index-only scan
    where the ordering index holds them) is cheap; fetching and discarding 50,000 full
    rows with their annotations is not.

    Counting every matching row is the other cost that grows with the table. With
    `count_key` (a page-cache key: it changes with every edit, see core.page_cache) the
    count is kept in the cache until `valid_until()` (a timestamp, or None for no limit
    but the page cache's), the next moment the rows change by the clock alone.

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
        kept = cache.get(self.count_key)
        now = time.time()
        if kept is not None and (kept[1] is None or kept[1] > now):
            return kept[0]
        count, until = self.object_list.count(), self.valid_until() if self.valid_until else None
        timeout = settings.PAGE_CACHE_SECONDS if until is None else min(settings.PAGE_CACHE_SECONDS, until - now)
        if timeout > 0:
            cache.set(self.count_key, (count, until), timeout)
        return count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        object_list, rows = self.object_list, self.rows or (lambda queryset: queryset)

        def fetch():
            return list(rows(object_list.filter(pk__in=object_list.values("pk")[bottom:top])))

        return self._get_page(SimpleLazyObject(fetch), number, self)


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
