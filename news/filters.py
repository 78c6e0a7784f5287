import django_filters
from django import forms
from django.core.cache import cache

from core.search import clean_query, words_match
from policies.models import Objective
from projects.models import Project

from .models import NewsClip

YEARS_CACHE_KEY = "news:publication-years"
SEARCHED_FIELDS = ["title", "subtitle", "highlights", "body"]


def publication_years():
    """Years that have published clips, for the dropdown; cached briefly (a full scan per request is waste)."""
    years = cache.get(YEARS_CACHE_KEY)
    if years is None:
        years = [d.year for d in NewsClip.objects.published().dates("publish_at", "year", order="DESC")]
        cache.set(YEARS_CACHE_KEY, years, 300)
    return years


class ClipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search news",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search news clips"}),
    )
    # Any year is valid input; the dropdown offers the years that have clips.
    year = django_filters.NumberFilter(method="filter_year", label="Year", min_value=1900, max_value=2200)
    project = django_filters.ModelChoiceFilter(
        field_name="projects",
        queryset=Project.objects.only("id", "name").order_by("name"),
        label="Project",
        empty_label="Any project",
    )
    objective = django_filters.ModelChoiceFilter(
        field_name="objectives",
        queryset=Objective.objects.only("id", "number", "title").order_by("number"),
        label="Key objective",
        empty_label="Any objective",
    )

    class Meta:
        model = NewsClip
        fields = ["q", "year", "project", "objective"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Any year")] + [(str(year), str(year)) for year in publication_years()]
        self.filters["year"].extra["widget"] = forms.Select(choices=choices)

    def filter_q(self, queryset, name, value):
        return queryset.filter(words_match(SEARCHED_FIELDS, clean_query(value)))

    def filter_year(self, queryset, name, value):
        return queryset.filter(publish_at__year=int(value))
