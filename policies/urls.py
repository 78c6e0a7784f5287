from django.urls import path

from core.page_cache import cached_page

from . import views

app_name = "policies"

urlpatterns = [
    path("", cached_page("policies")(views.PolicyOverviewView.as_view()), name="index"),
    path(
        "achievements/",
        cached_page("achievements", params=["field"])(views.AchievementListView.as_view()),
        name="achievements",
    ),
    path("objectives/<int:number>/", cached_page("objective")(views.ObjectiveDetailView.as_view()), name="objective"),
]
