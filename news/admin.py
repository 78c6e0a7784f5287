from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
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
    fields = ["file", "title", "facts", "position"]
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


class PublicationStateFilter(admin.SimpleListFilter):
    """Scheduled clips are published ones whose time has not come: a state the status field alone hides."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Published and live")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=NewsClip.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=NewsClip.Status.PUBLISHED, publish_at__gt=now)
        if self.value() == "live":
            return queryset.filter(status=NewsClip.Status.PUBLISHED, publish_at__lte=now)
        return queryset


@admin.register(NewsClip)
class NewsClipAdmin(SortableAdminBase, AuditedAdmin):
    list_display = [
        "title",
        "status_display",
        "publish_at",
        "view_count",
        "photo_count",
        "attachment_count",
    ]
    list_filter = [PublicationStateFilter, "publish_at", "projects", "objectives"]
    search_fields = ["title", "subtitle", "highlights", "body", "attachments__title", "attachments__original_name"]
    search_help_text = "Searches titles, text and attachment names."
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["projects", "objectives", "achievements"]
    readonly_fields = [*AuditedAdmin.readonly_fields, "view_count"]
    inlines = [ClipImageInline, AttachmentInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "highlights", "body", "author_name"]}),
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

    @admin.display(description="Files", ordering="num_attachments")
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
