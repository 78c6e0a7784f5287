from django.urls import path

from core.page_cache import cached_page

from . import views

app_name = "projects"

urlpatterns = [
    path("", cached_page("projects", params=["status", "objective"])(views.ProjectListView.as_view()), name="list"),
    path("<slug:slug>/", cached_page("project")(views.ProjectDetailView.as_view()), name="detail"),
]
