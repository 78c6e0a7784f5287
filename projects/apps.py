from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"

    def ready(self):
        from core.page_cache import invalidate_on_change

        from .models import Milestone, Project

        invalidate_on_change(Project, Milestone)
