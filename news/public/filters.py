import time

import django_filters
from django.core.cache import cache

from core.page_cache import generation
from core.search import clean_query, parse_query
from core.widgets import FastSelect, FastTextInput
from news.models import NewsClip
from news.publishing.state import valid_until
from news.search import search_clips
from policies.models import Objective
from projects.models import Project

YEARS_CACHE_KEY = "news:publication-years:{}"


def publication_years():
    """Years that have published clips, for the dropdown. Kept in the cache (a scan of every published
    clip per request is waste) under the page cache's generation, which every edit moves, and only
    until the clock next publishes or expires a clip (news.publishing.state.valid_until)."""
    key = YEARS_CACHE_KEY.format(generation())
    cached = cache.get(key)
    if cached is not None and time.time() < cached[1]:
        return cached[0]
    years = [d.year for d in NewsClip.objects.published().dates("publish_at", "year", order="DESC")]
    until = valid_until()
    cache.set(key, (years, until), max(1, int(until - time.time())))
    return years


class ClipFilter(django_filters.FilterSet):
    # Applied by filter_queryset, after the other filters.
    q = django_filters.CharFilter(
        label="Search news",
        widget=FastTextInput(attrs={"type": "search", "placeholder": "Search news clips"}),
    )
    # Any year is valid input; the dropdown offers the years that have clips.
    year = django_filters.NumberFilter(method="filter_year", label="Year", min_value=1900, max_value=2200)
    project = django_filters.ModelChoiceFilter(
        field_name="projects",
        queryset=Project.objects.only("id", "name").order_by("name"),
        label="Project",
        empty_label="Any project",
        widget=FastSelect,
    )
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives",
        queryset=Objective.objects.only("id", "number", "title").order_by("number"),
        label="Key objective",
        empty_label="Any objective",
        widget=FastSelect,
    )

    searched = nothing_to_search = False
    results = None

    class Meta:
        model = NewsClip
        fields = ["q", "year", "project", "objective"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Any year")] + [(str(year), str(year)) for year in publication_years()]
        self.filters["year"].extra["widget"] = FastSelect(choices=choices)

    def filter_queryset(self, queryset):
        # The search goes last: it ranks the newest matches among the clips the other filters keep.
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        query = clean_query(self.form.cleaned_data.get("q"))
        if not query:
            return queryset
        self.searched = True
        parsed = parse_query(query)
        if not parsed:
            self.nothing_to_search = True
            return queryset.none()
        self.results = search_clips(queryset.cards(), parsed)
        return self.results

    def filter_year(self, queryset, name, value):
        return queryset.filter(publish_at__year=int(value))
