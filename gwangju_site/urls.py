from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core.admin.language import language_view
from core.page_cache import cached_page
from core.rich_text_paste import office_paste

from . import status, views
from .sitemaps import sitemap

admin.site.site_header = _("Gwangju Newsroom")
admin.site.site_title = _("Gwangju Newsroom admin")
admin.site.index_title = _("Content")

urlpatterns = [
    path("", cached_page("home")(views.HomeView.as_view()), name="home"),
    path("search/", cached_page("search", params=["q"])(views.SearchView.as_view()), name="search"),
    path("feedback/", views.feedback, name="feedback"),
    path("accessibility/", cached_page("accessibility")(views.AccessibilityView.as_view()), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", status.readiness, name="readiness"),
    path("metrics", status.metrics_view, name="metrics"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemaps/<slug:section>/<int:page>.xml", sitemap, name="sitemap-section"),
    path("news/", include("news.urls")),
    path("policies/", include("policies.urls")),
    path("projects/", include("projects.urls")),
    # Staff only (admin_view); the editor's paste from Word and Hancom Office (static/admin-overrides/office-paste.js).
    path("admin/rich-text/paste/", admin.site.admin_view(office_paste), name="rich_text_paste"),
    # Staff only; each staff member's own language for the admin (core/admin/language.py).
    path("admin/language/", admin.site.admin_view(language_view), name="admin_language"),
    path("admin/", admin.site.urls),
]

handler404 = "gwangju_site.views.page_not_found"
handler500 = "gwangju_site.views.server_error"
