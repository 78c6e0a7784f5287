from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from projects.models import Project

from .filters import AchievementFilter
from .models import Achievement, Field, Objective, Principle


class PolicyOverviewView(TemplateView):
    template_name = "policies/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        principles = list(Principle.objects.all())
        context.update(
            principle_groups=[
                (label, [p for p in principles if p.kind == kind]) for kind, label in Principle.Kind.choices
            ],
            breadcrumbs=[(None, "The mayor's policies")],
            fields=Field.objects.all(),
            objectives=Objective.objects.only("number", "title", "body"),
        )
        return context


class AchievementListView(FilterView):
    filterset_class = AchievementFilter
    template_name = "policies/achievement_list.html"
    context_object_name = "achievements"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumbs=[(reverse("policies:index"), "The mayor's policies"), (None, "Achievements")], **kwargs
        )

    def get_queryset(self):
        return Achievement.objects.select_related("field").prefetch_related(
            Prefetch("projects", queryset=Project.objects.only("slug", "name").order_by("name"))
        )


class ObjectiveDetailView(DetailView):
    template_name = "policies/objective_detail.html"
    context_object_name = "objective"

    def get_object(self, queryset=None):
        return get_object_or_404(Objective, number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objective = self.object
        context.update(
            projects=objective.projects.order_by("name"),
            clips=objective.news_clips.published().cards()[:10],
            previous_objective=Objective.objects.filter(number__lt=objective.number).order_by("-number").first(),
            breadcrumbs=[(reverse("policies:index"), "The mayor's policies"), (None, f"Objective {objective.symbol}")],
            next_objective=Objective.objects.filter(number__gt=objective.number).order_by("number").first(),
        )
        return context
