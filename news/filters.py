import django_filters
from django import forms
from django.db.models import Q

from policies.models import Objective
from projects.models import Project

from .models import NewsClip

MAX_QUERY_LENGTH = 200


def search_clips(queryset, text):
    """Case-insensitive match of every word over title, subtitle, highlights and body."""
    for word in text.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(subtitle__icontains=word)
            | Q(highlights__icontains=word)
            | Q(body__icontains=word)
        )
    return queryset


def clean_query(value):
    """Search text as we use it: no NUL or control characters, bounded length."""
    value = "".join(ch for ch in (value or "") if ch.isprintable())
    return value.strip()[:MAX_QUERY_LENGTH]


class ClipFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q",
        label="Search news",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search news clips"}),
    )
    year = django_filters.ChoiceFilter(method="filter_year", label="Year", empty_label="Any year")
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
        years = self.queryset.dates("publish_at", "year", order="DESC")
        self.filters["year"].extra["choices"] = [(str(d.year), str(d.year)) for d in years]

    def filter_q(self, queryset, name, value):
        return search_clips(queryset, clean_query(value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(publish_at__year=int(value))
