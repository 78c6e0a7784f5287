import django_filters

from .models import Achievement, Field


class AchievementFilter(django_filters.FilterSet):
    field = django_filters.ModelChoiceFilter(
        queryset=Field.objects.all(), to_field_name="slug", label="Field", empty_label="All six fields"
    )

    class Meta:
        model = Achievement
        fields = ["field"]
