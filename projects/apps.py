from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from core.page_cache import invalidate_on_change

        from .models import Department, Milestone, Project

        invalidate_on_change(Department, Project, Milestone)
