"""What every content admin shares: audit fields shown read-only, the creator recorded."""

from django.contrib import admin

from .admin_widgets import RelatedFieldsAdminMixin

METADATA_FIELDSET = ("Metadata", {"classes": ["collapse"], "fields": ["created", "updated", "created_by"]})


class AuditedAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    readonly_fields = ["created", "updated", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
