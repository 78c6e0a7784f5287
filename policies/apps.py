from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policies")

    def ready(self):
        from core.page_cache import invalidate_on_change

        from .models import Achievement, Field, Objective, Principle

        invalidate_on_change(
            Achievement, Field, Objective, Principle, Objective.projects.through, Achievement.projects.through
        )
