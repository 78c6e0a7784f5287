"""Link checks in the admin: the outbound addresses of clip bodies that `check_links` found not working."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from news.models import LinkCheck, NewsClip


class WorkingFilter(admin.SimpleListFilter):
    title = _("result")
    parameter_name = "result"

    def lookups(self, request, model_admin):
        return [("broken", _("Not working")), ("ok", _("Working")), ("unchecked", _("Not checked"))]

    def queryset(self, request, queryset):
        match self.value():
            case "broken":
                return queryset.filter(ok=False)
            case "ok":
                return queryset.filter(ok=True)
            case "unchecked":
                return queryset.filter(ok__isnull=True)
        return queryset


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ["url", "result", "checked_at", "clips"]
    list_filter = [WorkingFilter]
    search_fields = ["url"]
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.view_newsclip")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("result"), ordering="ok")
    def result(self, obj):
        if obj.ok is None:
            return obj.problem or _("Not checked yet")
        if obj.ok:
            return format_html("✓ {}", _("works"))
        return format_html('<strong class="link-broken">✗ {}</strong>', obj.problem)

    @admin.display(description=_("in clips"))
    def clips(self, obj):
        found = NewsClip.objects.filter(body__contains=obj.url).only("id", "title")[:5]
        return format_html_join(
            ", ", '<a href="{}">{}</a>', ((reverse("admin:news_newsclip_change", args=[c.pk]), c.title) for c in found)
        )
