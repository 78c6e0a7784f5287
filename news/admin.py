from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django.contrib import admin
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html

from core.admin_base import METADATA_FIELDSET, AuditedAdmin

from .admin_workflow import WorkflowAdminMixin
from .forms import AttachmentForm, ClipImageForm
from .models import Attachment, ClipImage, NewsClip

LEAD_PHOTO = "Lead photo: shown first on the page and as the thumbnail in lists."


class ClipImageInline(SortableStackedInline):
    model = ClipImage
    form = ClipImageForm
    extra = 0
    fields = ["thumbnail", "image", "alt_text", "caption", "position"]
    readonly_fields = ["thumbnail"]

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        lead = obj.clip.images.values_list("pk", flat=True).first() == obj.pk
        return format_html(
            '<img src="{}" alt="" width="160"><br>{} × {} px{}{}',
            obj.thumb_url,
            obj.width,
            obj.height,
            format_html('<strong class="lead-photo">{}</strong>', LEAD_PHOTO) if lead else "",
            " (placeholder image shipped with the seed content)" if obj.is_placeholder else "",
        )


class AttachmentInline(SortableTabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["file", "title", "pdf_version", "facts", "position"]
    readonly_fields = ["facts"]

    @admin.display(description="Type, size, downloads")
    def facts(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            "{}, {}<br>{} download(s)",
            obj.type_label,
            filesizeformat(obj.size),
            obj.download_count,
        )


@admin.register(NewsClip)
class NewsClipAdmin(WorkflowAdminMixin, SortableAdminBase, AuditedAdmin):
    list_display = [
        "title",
        "status_display",
        "publish_at",
        "view_count",
        "photo_count",
        "attachment_count",
    ]
    list_filter = ["publish_at", "department", "projects", "objectives"]  # and the state (WorkflowAdminMixin)
    search_fields = ["title", "subtitle", "highlights", "body", "attachments__title", "attachments__original_name"]
    search_help_text = "Searches titles, text and attachment names."
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["department", "projects", "objectives", "achievements"]
    readonly_fields = [*AuditedAdmin.readonly_fields, "view_count"]
    inlines = [ClipImageInline, AttachmentInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "highlights", "body", "author_name"]}),
        ("Responsibility", {"fields": ["department", "contact_title"]}),
        ("Publishing", {"fields": ["publish_at", "expires_at", "view_count"]}),
        ("Related", {"fields": ["projects", "objectives", "achievements"]}),
        METADATA_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(num_photos=Count("images", distinct=True), num_attachments=Count("attachments", distinct=True))
        )

    @admin.display(description="Photos", ordering="num_photos")
    def photo_count(self, obj):
        return obj.num_photos

    @admin.display(description="Files", ordering="num_attachments")
    def attachment_count(self, obj):
        return obj.num_attachments
