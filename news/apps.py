from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"

    def ready(self):
        from core.page_cache import invalidate_on_change

        from . import signals  # noqa: F401
        from .models import Attachment, ClipImage, NewsClip

        invalidate_on_change(
            NewsClip,
            ClipImage,
            Attachment,
            NewsClip.projects.through,
            NewsClip.objectives.through,
            NewsClip.achievements.through,
        )
