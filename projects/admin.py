from django.contrib import admin

from core.admin_base import METADATA_FIELDSET, AuditedAdmin

from .models import Milestone, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["position", "date", "date_precision", "title", "done"]


@admin.register(Project)
class ProjectAdmin(AuditedAdmin):
    list_display = ["name", "status", "start_display", "target_display", "budget_display", "featured", "updated"]
    list_filter = ["status", "featured", "objectives"]
    list_editable = ["featured"]
    search_fields = ["name", "summary", "location", "lead_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MilestoneInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "body", "status", "featured"]}),
        (
            "Dates and budget",
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("target_date", "target_precision"),
                    "budget_won",
                    "budget_note",
                ]
            },
        ),
        ("Where and who", {"fields": ["location", "lead_organisation"]}),
        METADATA_FIELDSET,
    ]

    @admin.display(description="Start")
    def start_display(self, obj):
        return obj.start_display

    @admin.display(description="Target")
    def target_display(self, obj):
        return obj.target_display

    @admin.display(description="Budget", ordering="budget_won")
    def budget_display(self, obj):
        return obj.budget_display
