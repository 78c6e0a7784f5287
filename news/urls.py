from django.urls import path

from core.http.conditional import conditional_on
from core.page_cache import cached_page
from news.files import views as download_views
from news.public import views
from news.public.counters import cached_clip_hit
from news.public.feeds import LatestClipsFeed, clips_state

app_name = "news"
cached_attachment = cached_page("attachment", serve=download_views.serve_cached_attachment)

urlpatterns = [
    path(
        "",
        cached_page("news-list", params=["q", "year", "project", "objective", "page"])(views.ClipListView.as_view()),
        name="list",
    ),
    path("feed/", conditional_on(clips_state)(LatestClipsFeed()), name="feed"),
    path("<slug:slug>/", cached_page("clip", hit=cached_clip_hit)(views.ClipDetailView.as_view()), name="detail"),
    path("<slug:slug>/attachments/<int:pk>/", cached_attachment(download_views.attachment), name="attachment"),
    path(
        "<slug:slug>/attachments/<int:pk>/pdf/",
        cached_attachment(download_views.attachment),
        {"as_pdf": True},
        name="attachment_pdf",
    ),
    path("<slug:slug>/attachments/<int:pk>/view/", download_views.attachment_view, name="attachment_view"),
    path("<slug:slug>/attachments.zip", download_views.bundle, name="bundle"),
    path("<slug:slug>/page.pdf", download_views.page_pdf, name="pdf"),
    path("<slug:slug>/photos/<int:pk>/<str:size>/", download_views.photo, name="photo"),
]
