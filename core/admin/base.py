"""What every content admin shares: audit fields shown read-only, the creator recorded, the rich-text
editor working under the Content-Security-Policy, and the editor told what sanitising removed."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from js_asset import Media

from core.admin.widgets import RelatedFieldsAdminMixin
from core.rich_text import EDITOR_BASE_STYLE_HASH, RichTextFormField, removal_message

METADATA_FIELDSET = (
    gettext_lazy("Metadata"),
    {"classes": ["collapse"], "fields": ["created", "updated", "created_by"]},
)


class EditorAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    """Admin pages editors write in: the layout stylesheet, and the rich-text editor's scripts."""

    class Media:
        css = {"all": ["admin-overrides/admin.css"]}
        js = ["admin-overrides/ordering.js", "admin-overrides/office-paste.js"]

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor loads its modules through an inline import map; the CSP allows inline
        # scripts only with this response's nonce (other pages keep a nonce-free policy).
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        response = super().render_change_form(request, context, *args, **kwargs)
        # Tiptap injects its few base rules (white-space, selection) as a <style> element; this
        # allows that one element, by its hash, and no other inline style.
        response._csp_update = {"style-src": [EDITOR_BASE_STYLE_HASH]}
        return response

    def save_model(self, request, obj, form, change):
        self.save_row(request, obj, form, change)
        for name, field in form.fields.items():
            if isinstance(field, RichTextFormField) and field.removed:
                where = _("%(model)s text") % {"model": self.opts.verbose_name}
                self.message_user(request, removal_message(field.label or name, field.removed, where), messages.WARNING)

    def save_row(self, request, obj, form, change):
        """Write the edited object to its row. An admin whose edits do not always go to the row
        (a draft of a live clip goes to a revision) overrides this, not `save_model`, so that what
        every save does (the creator recorded, the editor told what sanitising removed) still runs."""
        super().save_model(request, obj, form, change)


class AuditedAdmin(EditorAdmin):
    readonly_fields = ["created", "updated", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
