from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import ProjectFilter
from .models import Project


class ProjectListView(FilterView):
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    context_object_name = "projects"

    def get_queryset(self):
        return Project.objects.only(
            "slug", "name", "summary", "status", "budget_won", "target_date", "target_precision"
        ).distinct()

    def get_context_data(self, **kwargs):
        # Objectives point at projects, not the other way round: reach them
        # through the reverse relation so this app imports nothing above it.
        objectives = Project._meta.get_field("objectives").related_model.objects.only("number", "title")
        form = self.filterset.form
        selected = form.cleaned_data.get("objective") if form.is_bound and form.is_valid() else None
        return super().get_context_data(
            objectives=objectives,
            selected_objective=selected,
            filters_applied=any(self.request.GET.get(name) for name in self.filterset.filters),
            breadcrumbs=[(None, "City projects")],
            **kwargs,
        )


class ProjectDetailView(DetailView):
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Project.objects.select_related("department").prefetch_related("milestones"), slug=self.kwargs["slug"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        # The reverse relations carry the related models' querysets, so the
        # publication rule applies here without this app knowing about news.
        context.update(
            breadcrumbs=[(reverse("projects:list"), "City projects"), (None, project.name)],
            clips=project.news_clips.published().cards()[:20],
            objectives=project.objectives.only("number", "title").order_by("number"),
            achievements=project.achievements.only("number", "title").order_by("number"),
        )
        return context
