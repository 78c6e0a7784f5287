from django.contrib import admin
from django.urls import include, path

from core.page_cache import cached_page

from . import views
from .sitemaps import sitemap

admin.site.site_header = "Gwangju Newsroom"
admin.site.site_title = "Gwangju Newsroom admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("", cached_page("home")(views.HomeView.as_view()), name="home"),
    path("search/", cached_page("search", params=["q"])(views.SearchView.as_view()), name="search"),
    path("feedback/", views.feedback, name="feedback"),
    path("accessibility/", cached_page("accessibility")(views.AccessibilityView.as_view()), name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemaps/<slug:section>/<int:page>.xml", sitemap, name="sitemap-section"),
    path("news/", include("news.urls")),
    path("policies/", include("policies.urls")),
    path("projects/", include("projects.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "gwangju_site.views.page_not_found"
handler500 = "gwangju_site.views.server_error"
