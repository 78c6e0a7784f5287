from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableStackedInline,
    SortableTabularInline,
)
from django.contrib import admin, messages
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin.base import METADATA_FIELDSET, AuditedAdmin
from core.filetypes import converter_for
from news.admin.library import DocumentAdmin, LibraryChooserWidget, PhotoAdmin
from news.admin.workflow import WorkflowAdminMixin
from news.files import conversions
from news.files.forms import AttachmentForm, ClipImageForm
from news.files.staging import StagedUploadsAdminMixin
from news.models import Attachment, ClipImage, Conversion, NewsClip

LEAD_PHOTO = gettext_lazy("Lead photo: shown first on the page and as the thumbnail in lists.")


class ClipRowsFormSet(CustomInlineFormSet):
    """The photos or attachments of the clip form. Their previews and links name the clip by its
    live address, and the first photo is the lead: one query for every row, where each row asked
    for its clip and for the clip's first photo (two queries per photo, one per attachment)."""

    def clip_rows(self):
        """The rows the form edits (a draft's, news.admin.workflow.draft_formset)."""
        return super().get_queryset()

    def get_queryset(self):
        if not hasattr(self, "_shown_rows"):
            rows = list(self.clip_rows())
            if rows:
                # The clip as the public addresses it: the form's instance may hold a draft's slug.
                live = NewsClip.objects.only("id", "slug").get(pk=self.instance.pk)
                for index, row in enumerate(rows):
                    row.clip = live
                    row.is_first = index == 0
            self._shown_rows = rows
        return self._shown_rows


class LibraryInlineMixin:
    """The library item's field is a chooser (news.admin.library.LibraryChooserWidget)."""

    library_field = ""

    @property
    def raw_id_fields(self):
        # Not wrapped in the add/change/delete icons of a related field: the chooser is the one way in.
        return [self.library_field]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.library_field:
            kwargs["widget"] = LibraryChooserWidget(db_field.remote_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ClipImageInline(LibraryInlineMixin, SortableStackedInline):
    model = ClipImage
    form = ClipImageForm
    formset = ClipRowsFormSet
    extra = 0
    fields = ["thumbnail", "photo", "image", "alt_text", "caption", "position"]
    readonly_fields = ["thumbnail"]
    library_field = "photo"

    @admin.display(description=gettext_lazy("Preview"))
    def thumbnail(self, obj):
        if not obj.pk:
            return mark_safe('<img class="library-chosen" alt="" width="160" hidden>')
        lead = getattr(obj, "is_first", False)
        return format_html(
            '<img src="{}" alt="" width="160"><br>{} × {} px{}{}{}',
            obj.thumb_url,
            obj.width,
            obj.height,
            format_html('<strong class="lead-photo">{}</strong>', LEAD_PHOTO) if lead else "",
            " " + _("(placeholder image shipped with the seed content)") if obj.is_placeholder else "",
            format_html(
                ' · <a href="{}">{}</a>', reverse("admin:news_photo_change", args=[obj.photo_id]), _("In the library")
            )
            if obj.photo_id
            else "",
        )


class AttachmentInline(LibraryInlineMixin, SortableTabularInline):
    model = Attachment
    form = AttachmentForm
    formset = ClipRowsFormSet
    extra = 0
    fields = ["document", "file", "title", "pdf_version", "facts", "position"]
    readonly_fields = ["facts"]
    library_field = "document"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("conversion")  # for `facts`, one query

    @admin.display(description=gettext_lazy("Type, size, downloads, PDF"))
    def facts(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            "{}, {}<br>{}, {}{}{}",
            obj.type_label,
            filesizeformat(obj.size),
            ngettext("%(count)d download", "%(count)d downloads", obj.download_count) % {"count": obj.download_count},
            ngettext("%(count)d PDF view", "%(count)d PDF views", obj.pdf_view_count) % {"count": obj.pdf_view_count},
            format_html("<br>{}", conversion_state(obj)) if converter_for(obj.content_type) else "",
            format_html(
                '<br><a href="{}">{}</a>',
                reverse("admin:news_document_change", args=[obj.document_id]),
                _("In the library"),
            )
            if obj.document_id
            else "",
        )


def conversion_state(attachment):
    """What happened to the PDF made for reading this attachment in the browser, for its editor."""
    try:
        made = attachment.conversion
    except Conversion.DoesNotExist:
        return _("Browser PDF: not queued")
    status = str(made.get_status_display()).lower()
    if made.is_ready_for(attachment):
        ready = ngettext(
            "Browser PDF: ready, %(pages)d page, %(size)s", "Browser PDF: ready, %(pages)d pages, %(size)s", made.pages
        ) % {"pages": made.pages, "size": filesizeformat(made.pdf_size)}
        if made.status != Conversion.Status.DONE:
            ready += " " + _("(being made again: %(status)s)") % {"status": status}
        return ready
    if made.status == Conversion.Status.FAILED:
        return format_html("<strong>{}</strong> {}", _("Browser PDF failed:"), made.reason)
    if made.reason:
        return _("Browser PDF: %(status)s; the last try failed: %(reason)s") % {"status": status, "reason": made.reason}
    return _("Browser PDF: %(status)s (made in the background within minutes)") % {"status": status}


@admin.register(Conversion)
class ConversionAdmin(admin.ModelAdmin):
    """The conversion queue: what is waiting, what failed and why; "Convert again" re-runs."""

    list_display = ["attachment", "clip", "status", "attempts", "pages", "reason", "available_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["attachment__title", "attachment__original_name", "attachment__clip__title"]
    list_select_related = ["attachment__clip"]
    actions = ["convert_again"]
    fields = [
        "attachment",
        "status",
        "reason",
        "attempts",
        "available_at",
        "started_at",
        "finished_at",
        "title",
        "pages",
        "pdf_size",
        "tagged",
        "language",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Clip"))
    def clip(self, obj):
        return obj.attachment.clip

    @admin.action(description=gettext_lazy("Convert again"), permissions=["view"])
    def convert_again(self, request, queryset):
        count = conversions.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d conversion queued again.", "%(count)d conversions queued again.", count)
            % {"count": count},
        )


@admin.register(NewsClip)
class NewsClipAdmin(StagedUploadsAdminMixin, WorkflowAdminMixin, SortableAdminBase, AuditedAdmin):
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
    search_help_text = gettext_lazy("Searches titles, text and attachment names.")
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["department", "projects", "objectives", "achievements"]
    readonly_fields = [*AuditedAdmin.readonly_fields, "view_count"]
    inlines = [ClipImageInline, AttachmentInline]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "subtitle", "highlights", "body", "author_name"]}),
        (gettext_lazy("Responsibility"), {"fields": ["department", "contact_title"]}),
        (gettext_lazy("Publishing"), {"fields": ["publish_at", "expires_at", "view_count"]}),
        (gettext_lazy("Related"), {"fields": ["projects", "objectives", "achievements"]}),
        METADATA_FIELDSET,
    ]

    class Media:
        js = ["admin-overrides/library-chooser.js"]
        css = {"all": ["admin-overrides/library.css"]}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "library_user": request.user}
        return kwargs

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for row_form in formset.forms:
                if getattr(row_form, "library_note", None):
                    self.message_user(request, row_form.library_note, messages.INFO)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(num_photos=Count("images", distinct=True), num_attachments=Count("attachments", distinct=True))
        )

    @admin.display(description=gettext_lazy("Photos"), ordering="num_photos")
    def photo_count(self, obj):
        return obj.num_photos

    @admin.display(description=gettext_lazy("Files"), ordering="num_attachments")
    def attachment_count(self, obj):
        return obj.num_attachments


from news.admin import link_checks, notices  # noqa: E402, F401  (register LinkCheckAdmin, NoticeAdmin)

__all__ = ["AttachmentInline", "ClipImageInline", "DocumentAdmin", "NewsClipAdmin", "PhotoAdmin"]
