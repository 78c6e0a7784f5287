from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin.base import METADATA_FIELDSET, AuditedAdmin

from .models import Department, Milestone, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["position", "date", "date_precision", "title", "done"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "phone", "email", "page_url"]
    search_fields = ["name", "email"]
    fieldsets = [(None, {"fields": ["name", "phone", "email", "page_url"]}), METADATA_FIELDSET]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "status", "start_display", "target_display", "budget_display", "featured", "updated"]
    list_filter = ["status", "featured", "department", "objectives"]
    autocomplete_fields = ["department"]
    list_editable = ["featured"]
    search_fields = ["name", "summary", "location", "lead_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "body", "status", "featured"]}),
        (
            _("Dates and budget"),
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("target_date", "target_precision"),
                    "budget_won",
                    "budget_note",
                ]
            },
        ),
        (_("Where and who"), {"fields": ["location", "lead_organisation", "department", "contact_title"]}),
        METADATA_FIELDSET,
    ]

    @admin.display(description=_("Start"))
    def start_display(self, obj):
        return obj.start_display

    @admin.display(description=_("Target"))
    def target_display(self, obj):
        return obj.target_display

    @admin.display(description=_("Budget"), ordering="budget_won")
    def budget_display(self, obj):
        return obj.budget_display
