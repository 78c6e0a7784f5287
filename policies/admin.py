from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin.base import METADATA_FIELDSET, AuditedAdmin
from core.admin.widgets import RelatedFieldsAdminMixin

from .models import Achievement, Field, Objective, Principle


@admin.register(Principle)
class PrincipleAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "position"]
    list_filter = ["kind"]
    list_editable = ["position"]
    search_fields = ["title", "description"]


@admin.register(Field)
class FieldAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name", "achievement_count"]
    list_display_links = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_achievements=Count("achievements"))

    @admin.display(description=_("Achievements"), ordering="num_achievements")
    def achievement_count(self, obj):
        return obj.num_achievements


@admin.register(Achievement)
class AchievementAdmin(AuditedAdmin):
    list_display = ["number", "title", "field", "major_rank", "updated"]
    list_display_links = ["title"]
    list_filter = ["field", ("major_rank", admin.EmptyFieldListFilter)]
    list_select_related = ["field"]
    search_fields = ["title", "summary"]
    autocomplete_fields = ["projects"]
    fieldsets = [
        (None, {"fields": ["field", "number", "title", "summary", "major_rank", "projects"]}),
        METADATA_FIELDSET,
    ]


@admin.register(Objective)
class ObjectiveAdmin(AuditedAdmin):
    list_display = ["number", "title", "updated"]
    list_display_links = ["title"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["projects"]
    fieldsets = [(None, {"fields": ["number", "title", "body", "projects"]}), METADATA_FIELDSET]
