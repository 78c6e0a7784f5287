"""Each member of staff's notices (news/publishing/notifications.py writes them): their own and nobody
else's, newest first, marked read by selection or all at once. The number still unread is in every admin
page's header (templates/admin/base_site.html, news/templatetags/notices.py)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from news.models import Notice


def is_staff(user):
    return user.is_active and user.is_staff


class ReadFilter(admin.SimpleListFilter):
    title = gettext_lazy("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("no", gettext_lazy("Unread")), ("yes", gettext_lazy("Read"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.unread()
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created", "kind", "message_text", "clip_link", "read_state"]
    list_display_links = None
    list_filter = [ReadFilter, "kind"]
    actions = ["mark_read", "mark_unread"]
    change_list_template = "admin/news/notice/change_list.html"
    fields = ["created", "kind", "message", "clip", "read_at"]
    readonly_fields = fields

    # --- a user sees their own notices, and only sees them --------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user).select_related("clip")

    def has_module_permission(self, request):
        return is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_staff(request.user) and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # --- the list ----------------------------------------------------------------------

    @admin.display(description=gettext_lazy("message"))
    def message_text(self, obj):
        text = linebreaksbr(obj.message, autoescape=True)
        return text if obj.is_read() else format_html("<strong>{}</strong>", text)

    @admin.display(description=gettext_lazy("clip"))
    def clip_link(self, obj):
        if obj.clip is None:
            return _("(deleted)")
        return format_html('<a href="{}">{}</a>', reverse("admin:news_newsclip_change", args=[obj.clip_id]), obj.clip)

    @admin.display(description=gettext_lazy("read"), boolean=True, ordering="read_at")
    def read_state(self, obj):
        return obj.is_read()

    @admin.action(description=gettext_lazy("Mark selected notices as read"), permissions=["view"])
    def mark_read(self, request, queryset):
        self._marked_read(request, queryset.mark_read())

    def _marked_read(self, request, count):
        message = ngettext("%(count)d notice marked read.", "%(count)d notices marked read.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Mark selected notices as unread"), permissions=["view"])
    def mark_unread(self, request, queryset):
        count = queryset.filter(read_at__isnull=False).update(read_at=None)
        self.message_user(
            request,
            ngettext("%(count)d notice marked unread.", "%(count)d notices marked unread.", count) % {"count": count},
        )

    def get_urls(self):
        own = [path("read-all/", self.admin_site.admin_view(self.read_all_view), name="news_notice_read_all")]
        return own + super().get_urls()

    @method_decorator(require_POST)
    def read_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        self._marked_read(request, self.get_queryset(request).mark_read())
        return HttpResponseRedirect(reverse("admin:news_notice_changelist"))
