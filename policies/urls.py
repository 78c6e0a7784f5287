from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.PolicyOverviewView.as_view(), name="index"),
    path("achievements/", views.AchievementListView.as_view(), name="achievements"),
    path("objectives/<int:number>/", views.ObjectiveDetailView.as_view(), name="objective"),
]
