"""Readers' feedback for editors: every answer, a per-page summary and a CSV export."""

import csv

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Feedback

RECENT_COMMENTS_PER_PAGE = 3
CSV_COLUMNS = ["created", "page", "page title", "helpful", "comment"]


def csv_cell(value):
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


class _Echo:
    def write(self, value):
        return value


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created", "page_title", "page_path", "answer", "comment"]
    list_filter = ["helpful", "created"]
    search_fields = ["page_path", "page_title", "comment"]
    date_hierarchy = "created"
    readonly_fields = ["page_path", "page_title", "helpful", "comment", "created"]
    actions = ["export_csv"]
    change_list_template = "admin/gwangju_site/feedback/change_list.html"

    def has_add_permission(self, request):
        return False  # answers come from readers only

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("Helpful"), ordering="helpful")
    def answer(self, obj):
        return {True: _("Yes"), False: _("No"), None: "—"}[obj.helpful]

    def get_urls(self):
        own = [
            path("summary/", self.admin_site.admin_view(self.summary_view), name="gwangju_site_feedback_summary"),
            path("export.csv", self.admin_site.admin_view(self.export_view), name="gwangju_site_feedback_export"),
        ]
        return own + super().get_urls()

    def summary_view(self, request):
        """Per page: how many said yes and no, the share that found it helpful, recent comments."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        pages = list(
            Feedback.objects.values("page_path")
            .annotate(
                yes=Count("id", filter=Q(helpful=True)),
                no=Count("id", filter=Q(helpful=False)),
                comments=Count("id", filter=~Q(comment="")),
                last=Max("created"),
                title=Max("page_title"),
            )
            .order_by("-last")[:200]
        )
        recent = {}
        comments = (
            Feedback.objects.filter(page_path__in=[p["page_path"] for p in pages])
            .exclude(comment="")
            .only("page_path", "comment", "created", "helpful")
            .iterator()
        )
        for entry in comments:
            bucket = recent.setdefault(entry.page_path, [])
            if len(bucket) < RECENT_COMMENTS_PER_PAGE:
                bucket.append(entry)
        for page in pages:
            answered = page["yes"] + page["no"]
            page["helpful_percent"] = round(100 * page["yes"] / answered) if answered else None
            page["recent"] = recent.get(page["page_path"], [])
            page["entries_url"] = reverse("admin:gwangju_site_feedback_changelist") + f"?page_path={page['page_path']}"
        context = {
            **self.admin_site.each_context(request),
            "title": _("Feedback by page"),
            "opts": self.model._meta,
            "pages": pages,
        }
        return TemplateResponse(request, "admin/gwangju_site/feedback/summary.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._csv_response(Feedback.objects.all())

    @admin.action(description=gettext_lazy("Export selected feedback as CSV"))
    def export_csv(self, request, queryset):
        return self._csv_response(queryset)

    def _csv_response(self, queryset):
        writer = csv.writer(_Echo())

        def rows():
            yield "\ufeff"  # so spreadsheet programs read the Korean text as UTF-8
            yield writer.writerow(CSV_COLUMNS)
            entries = queryset.order_by("-created", "-id").iterator(chunk_size=2000)
            for entry in entries:
                yield writer.writerow(
                    [
                        timezone.localtime(entry.created).strftime("%Y-%m-%d %H:%M"),
                        csv_cell(entry.page_path),
                        csv_cell(entry.page_title),
                        {True: "yes", False: "no", None: ""}[entry.helpful],
                        csv_cell(entry.comment),
                    ]
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.csv"'
        return response
