"""Each staff member's own language for the admin ("Language / 언어" in the user tools), and the
superuser's view of everyone's.

The page edits only the preference of the person asking: it takes no user id, so nobody can change
another's choice through it. The list of everyone's preferences is for superusers only.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.admin.widgets import RelatedFieldsAdminMixin
from core.i18n import admin_language
from core.models import StaffPreference


class LanguageForm(forms.ModelForm):
    class Meta:
        model = StaffPreference
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}


def language_view(request):
    """GET shows the staff member's choice; POST saves it and answers in the language chosen."""
    preference = StaffPreference.objects.filter(user=request.user).first() or StaffPreference(user=request.user)
    form = LanguageForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        translation.activate(admin_language(request))  # the confirmation in the language just chosen
        messages.success(request, _("Your language is saved."))
        return HttpResponseRedirect(request.path)
    context = {
        **admin.site.each_context(request),
        "title": _("Language"),
        "form": form,
    }
    return TemplateResponse(request, "admin/language.html", context)


@admin.register(StaffPreference)
class StaffPreferenceAdmin(RelatedFieldsAdminMixin, admin.ModelAdmin):
    """Everyone's choices, for superusers only; staff set their own on the language page."""

    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_delete_permission = has_change_permission
