"""What every content admin shares: audit fields shown read-only, the creator recorded, the rich-text
editor working under the Content-Security-Policy, and the editor told what sanitising removed."""

import hashlib

from django.contrib import admin, messages
from js_asset import Media

from .admin_widgets import RelatedFieldsAdminMixin
from .rich_text import EDITOR_BASE_STYLE_HASH, RichTextFormField, removal_message

METADATA_FIELDSET = ("Metadata", {"classes": ["collapse"], "fields": ["created", "updated", "created_by"]})


def upload_owner(request):
    """Who may claim a file kept across a form error: this user in this login session, nobody else."""
    if not request.session.session_key:
        request.session.save()
    return hashlib.sha256(f"{request.user.pk}:{request.session.session_key}".encode()).hexdigest()


class EditorAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    """Admin pages editors write in: the layout stylesheet, and the rich-text editor's scripts."""

    class Media:
        css = {"all": ["admin-overrides/admin.css"]}
        js = ["admin-overrides/ordering.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor loads its modules through an inline import map; the CSP allows inline
        # scripts only with this response's nonce (other pages keep a nonce-free policy).
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        if request.method == "POST":  # shown again with errors: keep the files that passed
            for inline_admin_formset in context.get("inline_admin_formsets", []):
                for inline_form in inline_admin_formset.formset.forms:
                    if hasattr(inline_form, "keep_checked_files"):
                        inline_form.keep_checked_files()
        response = super().render_change_form(request, context, *args, **kwargs)
        # Tiptap injects its few base rules (white-space, selection) as a <style> element; this
        # allows that one element, by its hash, and no other inline style.
        response._csp_update = {"style-src": [EDITOR_BASE_STYLE_HASH]}
        return response

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if getattr(inline.form, "accepts_upload_owner", False):  # news.staging.StagedUploadsFormMixin
            kwargs["form_kwargs"] = {**kwargs.get("form_kwargs", {}), "upload_owner": upload_owner(request)}
        return kwargs

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for name, field in form.fields.items():
            if isinstance(field, RichTextFormField) and field.removed:
                where = f"{self.opts.verbose_name} text"
                self.message_user(request, removal_message(field.label or name, field.removed, where), messages.WARNING)


class AuditedAdmin(EditorAdmin):
    readonly_fields = ["created", "updated", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
