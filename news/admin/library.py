"""The media library in the admin: photos and documents uploaded several at once, searched and
filtered, each showing every clip that uses it; replaced in place, taken down everywhere.

Editors add, change and use items; deleting (refused while an item is in use) and taking down
everywhere are for Publishers (news.publish_newsclip), and so is replacing a file the public
sees now. Files are shown to staff through `file_view`, which checks the view permission: no
library file has a public address of its own.
"""

from pathlib import PurePosixPath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.filetypes import KINDS, label_for
from core.http import serving
from news.admin.workflow import state_label
from news.files.checks import check_attachment, check_photo, clean_original_name
from news.files.library import reused_message, store_document, store_photo
from news.files.renditions import ensure_rendition, is_size
from news.library.operations import live_uses, may_change_live, replace_file, take_down, uses_of
from news.models import Document, Photo, ReplacedFile

PRIVATE = "private, no-store"


# --- the chooser on the clip form ---------------------------------------------------------------


class LibraryChooserWidget(ForeignKeyRawIdWidget):
    """The id of the chosen library item, with the admin's lookup link, which opens the library
    (thumbnails and search) in a popup: clicking an item there fills this field. Unlike Django's
    raw-id widget it looks nothing up to label the value, so a clip with 20 photos costs no
    more queries than one with 1 (the row's thumbnail shows the photo)."""

    template_name = "admin/news/library/chooser_widget.html"

    def label_and_url_for_value(self, value):
        return "", ""

    def render(self, name, value, attrs=None, renderer=None):
        # The template lives with the project's admin templates, which the form renderer does not search.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["chooser_label"] = _("Choose from the library") if not value else _("Choose another from the library")
        return context


# --- upload several at once --------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files:
            raise ValidationError(_("Choose one or more files."), code="required")
        return files


class UploadForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("Files"))
    department = forms.ModelChoiceField(
        queryset=None, required=False, label=gettext_lazy("Department"), help_text=gettext_lazy("Optional.")
    )
    credit = forms.CharField(
        max_length=200, required=False, label=gettext_lazy("Credit"), help_text=gettext_lazy("Photos only.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from projects.models import Department

        self.fields["department"].queryset = Department.objects.all()


# --- the shared admin ---------------------------------------------------------------------------


class UseCountFilter(admin.SimpleListFilter):
    title = gettext_lazy("use")
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return [("yes", _("Used by a clip")), ("no", _("Not used"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(num_uses__gt=0)
        if self.value() == "no":
            return queryset.filter(num_uses=0)
        return queryset


class ReplaceFormMixin(forms.ModelForm):
    replacement = forms.FileField(
        label=gettext_lazy("Replace the file"),
        required=False,
        help_text=gettext_lazy(
            "A corrected file: every clip using this item shows it at once, at the same addresses; "
            "download counts are kept and the earlier file stays in the history below (staff only)."
        ),
    )
    user = None

    def clean_replacement(self):
        uploaded = self.cleaned_data.get("replacement")
        if not uploaded:
            return None
        if self.instance.pk and not may_change_live(self.user, self.instance):
            raise ValidationError(_("This file is live on the site: only a publisher may replace it."), code="live")
        self.checked = self.check(uploaded)  # news.files.checks words any refusal for the editor
        return uploaded


class LibraryAdmin(admin.ModelAdmin):
    date_hierarchy = "created"
    list_per_page = 48
    upload_template = "admin/news/library/upload.html"
    readonly_fields = ["preview", "facts", "usage", "history"]

    @staticmethod
    def replaced_note(obj):
        """The note after a file's facts when a corrected file replaced it."""
        if not obj.replaced_at:
            return ""
        return _("; replaced %(when)s KST") % {"when": f"{timezone.localtime(obj.replaced_at):%Y-%m-%d %H:%M}"}

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin-overrides/library.css"]})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department").annotate(num_uses=Count("uses"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    # --- list --------------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("Used by"), ordering="num_uses")
    def use_count(self, obj):
        return _("%(count)s clip(s)") % {"count": obj.num_uses} if obj.num_uses else _("not used")

    # --- change page -------------------------------------------------------------------------

    @admin.display(description=gettext_lazy("Where it is used"))
    def usage(self, obj):
        if not obj.pk:
            return "—"
        rows = list(uses_of(obj))
        if not rows:
            return _("No clip uses it: it can be deleted.")
        now = timezone.now()
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> {}{}</li>',
            (
                (
                    reverse("admin:news_newsclip_change", args=[row.clip_id]),
                    row.clip.title,
                    state_label(row.clip, now),
                    format_html(' <span class="clip-review">{}</span>', _("added by an unpublished draft"))
                    if row.pending
                    else "",
                )
                for row in rows
            ),
        )
        return format_html('<ul class="library-usage">{}</ul>', items)

    @admin.display(description=gettext_lazy("Earlier files"))
    def history(self, obj):
        if not obj.pk:
            return "—"
        versions = list(obj.versions.select_related("replaced_by"))
        if not versions:
            return _("None: this is the file as first uploaded.")
        return format_html(
            '<ul class="library-versions">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({}), {}</li>',
                (
                    (
                        reverse(f"admin:news_{self.opts.model_name}_version", args=[obj.pk, version.pk]),
                        version.original_name or PurePosixPath(version.stored_name).name,
                        filesizeformat(version.size),
                        _("replaced %(when)s KST by %(who)s")
                        % {
                            "when": f"{timezone.localtime(version.replaced_at):%Y-%m-%d %H:%M}",
                            "who": version.replaced_by or "—",
                        },
                    )
                    for version in versions
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked", None)
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        if checked is not None:
            try:
                replace_file(obj, user=request.user, **checked)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                count = obj.uses.count()
                self.message_user(
                    request,
                    _("The file was replaced on %(count)s clip(s), at the same addresses.") % {"count": count},
                    messages.SUCCESS,
                )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(
                may_take_down=request.user.has_perm("news.publish_newsclip"),
                take_down_url=reverse(f"admin:news_{self.opts.model_name}_take_down", args=[obj.pk]),
                library_in_use=obj.uses.exists(),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- extra pages -------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        name = f"news_{self.opts.model_name}"
        return [
            path("upload/", view(self.upload_view), name=f"{name}_upload"),
            path("<int:object_id>/take-down/", view(self.take_down_view), name=f"{name}_take_down"),
            path("<int:object_id>/versions/<int:version_id>/", view(self.version_view), name=f"{name}_version"),
            *self.file_urls(view, name),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        results = []
        if request.method == "POST" and form.is_valid():
            for uploaded in form.cleaned_data["files"]:
                results.append(self._upload_one(request, uploaded, form.cleaned_data))
            stored = sum(1 for outcome, _item, _note in results if outcome == "stored")
            if stored:
                self.message_user(request, _("%(count)s file(s) added to the library.") % {"count": stored})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload to the library: %(what)s") % {"what": self.opts.verbose_name_plural},
            "form": form,
            "results": results,
            "media": self.media + form.media,
            "accept": self.accept,
        }
        return TemplateResponse(request, self.upload_template, context)

    def _upload_one(self, request, uploaded, options):
        try:
            item, created = self.store(uploaded, request.user, options)
        except ValidationError as error:
            return "refused", uploaded.name, " ".join(error.messages)
        if created:
            return "stored", item, ""
        return "reused", item, reused_message(item)

    def take_down_view(self, request, object_id):
        item = get_object_or_404(self.model, pk=object_id)
        if not request.user.has_perm("news.publish_newsclip"):
            raise PermissionDenied(_("Only publishers may take a file down everywhere."))
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            clips = take_down(item, request.user, request.POST.get("reason", ""))
            self.message_user(
                request,
                _("“%(item)s” was taken down from %(count)s clip(s); each clip's history records it.")
                % {"item": item, "count": len(clips)},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse(f"admin:news_{self.opts.model_name}_change", args=[item.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Take “%(item)s” down everywhere") % {"item": item},
            "item": item,
            "uses": list(uses_of(item)),
            "live_count": live_uses(item).count(),
        }
        return TemplateResponse(request, "admin/news/library/take_down.html", context)

    def _serve(self, request, storage, name, filename, content_type, as_attachment=False):
        if not name or not storage.exists(name):
            raise Http404(_("The file is missing."))
        served = serving.ServedFile(
            path=storage.path(name),
            filename=filename,
            content_type=content_type,
            as_attachment=as_attachment,
            internal_name=name,
        )
        return serving.serve_file(request, served, cache_control=PRIVATE)

    def version_view(self, request, object_id, version_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = get_object_or_404(ReplacedFile, pk=version_id, **{self.opts.model_name: object_id})
        suffix = PurePosixPath(version.stored_name).suffix.lower()
        kind = KINDS.get(suffix)
        content_type = version.content_type or (kind.content_type if kind else "application/octet-stream")
        storage = Photo._meta.get_field("image").storage
        return self._serve(
            request,
            storage,
            version.stored_name,
            version.original_name or PurePosixPath(version.stored_name).name,
            content_type,
            as_attachment=True,
        )


@admin.register(Photo)
class PhotoAdmin(LibraryAdmin):
    list_display = ["thumbnail", "title", "credit", "department", "created", "use_count"]
    list_display_links = ["thumbnail", "title"]
    list_filter = [UseCountFilter, "department", "created"]
    search_fields = ["title", "alt_text", "caption", "credit", "original_name"]
    search_help_text = gettext_lazy("Searches titles, alt texts, captions, credits and file names.")
    fields = [
        "preview",
        "title",
        "alt_text",
        "caption",
        "credit",
        "department",
        "replacement",
        "facts",
        "usage",
        "history",
    ]
    change_list_template = "admin/news/library/change_list.html"
    change_form_template = "admin/news/library/change_form.html"
    accept = "image/jpeg,image/png,image/webp,image/gif"

    class PhotoForm(ReplaceFormMixin):
        class Meta:
            model = Photo
            fields = ["title", "alt_text", "caption", "credit", "department"]

        def check(self, uploaded):
            checked = check_photo(uploaded)
            return {"content": checked, "original_name": clean_original_name(uploaded.name)}

    form = PhotoForm

    def add_view(self, request, form_url="", extra_context=None):
        # New photos come through the upload page (checked, never stored twice), not the bare form.
        return self.upload_view(request)

    @admin.display(description=gettext_lazy("Photo"))
    def thumbnail(self, obj):
        return format_html(
            '<img class="library-thumb" src="{}" alt="" loading="lazy" width="160">', obj.file_url("thumb")
        )

    @admin.display(description=gettext_lazy("Photo"))
    def preview(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}"><img class="library-preview" src="{}" alt="{}" width="480"></a>',
            obj.file_url("original"),
            obj.file_url("thumb"),
            obj.alt_text,
        )

    @admin.display(description=gettext_lazy("File"))
    def facts(self, obj):
        if not obj.pk:
            return "—"
        replaced = self.replaced_note(obj)
        return format_html(
            "{} — {} × {} px, {}; uploaded {} KST{}",
            obj.original_name,
            obj.width,
            obj.height,
            filesizeformat(obj.size),
            f"{timezone.localtime(obj.created):%Y-%m-%d %H:%M}",
            replaced,
        )

    def store(self, uploaded, user, options):
        checked = check_photo(uploaded)
        return store_photo(
            checked,
            original_name=clean_original_name(uploaded.name),
            user=user,
            department=options.get("department"),
            credit=options.get("credit", ""),
        )

    def file_urls(self, view, name):
        return [path("<int:object_id>/file/<str:size>/", view(self.file_view), name=f"{name}_file")]

    def file_view(self, request, object_id, size):
        if not self.has_view_permission(request):
            raise PermissionDenied
        photo = get_object_or_404(Photo, pk=object_id)
        name = photo.image.name
        if size != "original":
            if not is_size(size):
                raise Http404(_("Unknown photo size."))
            try:
                name = ensure_rendition(photo, size)
            except (OSError, ValueError):
                raise Http404(_("The photo file is missing.")) from None
        suffix = PurePosixPath(name).suffix.lower()
        kind = KINDS.get(suffix)
        return self._serve(
            request,
            photo.image.storage,
            name,
            f"library-photo-{photo.pk}-{size}{suffix}",
            kind.content_type if kind else "application/octet-stream",
        )


class KindFilter(admin.SimpleListFilter):
    title = gettext_lazy("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        labels = {}
        for kind in KINDS.values():
            labels.setdefault(kind.label, kind.content_type)
        return [(content_type, label) for label, content_type in sorted(labels.items())]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(content_type__startswith=self.value())
        return queryset


@admin.register(Document)
class DocumentAdmin(LibraryAdmin):
    list_display = ["title", "original_name", "kind", "size_display", "department", "created", "use_count"]
    list_filter = [KindFilter, UseCountFilter, "department", "created"]
    search_fields = ["title", "original_name"]
    search_help_text = gettext_lazy("Searches titles and file names.")
    fields = ["title", "department", "replacement", "facts", "usage", "history"]
    readonly_fields = ["facts", "usage", "history"]
    change_form_template = "admin/news/library/change_form.html"
    accept = ""

    class DocumentForm(ReplaceFormMixin):
        class Meta:
            model = Document
            fields = ["title", "department"]

        def check(self, uploaded):
            name, kind, content = check_attachment(uploaded)
            return {"content": content, "original_name": name, "kind": kind}

    form = DocumentForm

    def add_view(self, request, form_url="", extra_context=None):
        return self.upload_view(request)

    @admin.display(description=gettext_lazy("Kind"), ordering="content_type")
    def kind(self, obj):
        return label_for(obj.content_type, obj.original_name)

    @admin.display(description=gettext_lazy("Size"), ordering="size")
    def size_display(self, obj):
        return filesizeformat(obj.size)

    @admin.display(description=gettext_lazy("File"))
    def facts(self, obj):
        if not obj.pk:
            return "—"
        replaced = self.replaced_note(obj)
        return format_html(
            '<a href="{}">{}</a> — {}, {}; uploaded {} KST{}',
            obj.file_url(),
            obj.original_name,
            obj.type_label,
            filesizeformat(obj.size),
            f"{timezone.localtime(obj.created):%Y-%m-%d %H:%M}",
            replaced,
        )

    def store(self, uploaded, user, options):
        name, kind, content = check_attachment(uploaded)
        return store_document(name, kind, content, user=user, department=options.get("department"))

    def file_urls(self, view, name):
        return [path("<int:object_id>/file/", view(self.file_view), name=f"{name}_file")]

    def file_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=object_id)
        return self._serve(
            request,
            document.file.storage,
            document.file.name,
            document.original_name or PurePosixPath(document.file.name).name,
            document.content_type,
            as_attachment=True,
        )
