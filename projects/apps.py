from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"

    def ready(self):
        from core.page_cache import invalidate_on_change

        from .models import Department, Milestone, Project

        invalidate_on_change(Department, Project, Milestone)
