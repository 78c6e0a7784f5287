import django_filters

from core.widgets import FastSelect

from .models import Achievement, Field


class AchievementFilter(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.all(),
        to_field_name="slug",
        label="Field",
        empty_label="All six fields",
        widget=FastSelect,
    )

    class Meta:
        model = Achievement
        fields = ["field"]
