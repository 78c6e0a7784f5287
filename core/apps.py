from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared layer under every content app: no models of its own, no content."""

    name = "core"
    verbose_name = "Core"
