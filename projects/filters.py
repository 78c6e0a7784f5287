import django_filters

from core.widgets import FastSelect

from .models import Project


class ProjectFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, empty_label="Any status", widget=FastSelect)
    objective = django_filters.NumberFilter(field_name="objectives__number", label="Key objective")

    class Meta:
        model = Project
        fields = ["status", "objective"]
