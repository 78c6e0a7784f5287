from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "policies"

    def ready(self):
        from core.page_cache import invalidate_on_change

        from .models import Achievement, Field, Objective, Principle

        invalidate_on_change(
            Achievement, Field, Objective, Principle, Objective.projects.through, Achievement.projects.through
        )
