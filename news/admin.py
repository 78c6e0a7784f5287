from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html

from core.admin_base import METADATA_FIELDSET, AuditedAdmin
from core.page_cache import content_changed

from .forms import AttachmentForm, ClipImageForm
from .models import Attachment, ClipImage, NewsClip
from .uploads import files_follow_transaction


class ClipImageInline(admin.StackedInline):
    model = ClipImage
    form = ClipImageForm
    extra = 0
    fields = ["thumbnail", "image", "alt_text", "caption", "position", "size_display"]
    readonly_fields = ["thumbnail", "size_display"]

    @admin.display(description="Preview")
    def thumbnail(self, obj):
        if not obj.pk:
            return "—"
        label = " (placeholder image shipped with the seed content)" if obj.is_placeholder else ""
        return format_html(
            '<img src="{}" alt="" width="160">{}',
            obj.thumb_url,
            label,
        )

    @admin.display(description="Size")
    def size_display(self, obj):
        return f"{obj.width} × {obj.height} px" if obj.pk else "—"


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    fields = ["position", "file", "title", "pdf_version", "facts"]
    readonly_fields = ["facts"]

    @admin.display(description="Stored file")
    def facts(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            "{}<br>{}, {} · {} download(s)",
            obj.original_name,
            obj.type_label,
            filesizeformat(obj.size),
            obj.download_count,
        )


@admin.register(NewsClip)
class NewsClipAdmin(AuditedAdmin):
    list_display = [
        "title",
        "status_display",
        "publish_at",
        "author_name",
        "view_count",
        "photo_count",
        "attachment_count",
    ]
    list_filter = ["status", "publish_at", "department", "projects", "objectives"]
    search_fields = ["title", "subtitle", "highlights", "body"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["department", "projects", "objectives", "achievements"]
    readonly_fields = [*AuditedAdmin.readonly_fields, "view_count"]
    inlines = [ClipImageInline, AttachmentInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "highlights", "body", "author_name"]}),
        ("Responsibility", {"fields": ["department", "contact_title"]}),
        ("Publishing", {"fields": ["status", "publish_at", "view_count"]}),
        ("Related", {"fields": ["projects", "objectives", "achievements"]}),
        METADATA_FIELDSET,
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(num_photos=Count("images", distinct=True), num_attachments=Count("attachments", distinct=True))
        )

    @admin.display(description="Status", ordering="status")
    def status_display(self, obj):
        if obj.is_scheduled():
            return "Scheduled"
        return obj.get_status_display()

    @admin.display(description="Photos", ordering="num_photos")
    def photo_count(self, obj):
        return obj.num_photos

    @admin.display(description="Attachments", ordering="num_attachments")
    def attachment_count(self, obj):
        return obj.num_attachments

    def changeform_view(self, request, *args, **kwargs):
        # A save that fails after files were written leaves no orphan behind.
        with files_follow_transaction():
            return super().changeform_view(request, *args, **kwargs)

    @admin.action(description="Publish selected clips (keeping any scheduled time)")
    def publish(self, request, queryset):
        count = queryset.update(status=NewsClip.Status.PUBLISHED, updated=timezone.now())
        content_changed()  # update() sends no signals
        self.message_user(request, f"{count} clip(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected clips (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.update(status=NewsClip.Status.DRAFT, updated=timezone.now())
        content_changed()
        self.message_user(request, f"{count} clip(s) returned to draft.", messages.SUCCESS)
