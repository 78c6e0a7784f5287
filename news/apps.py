from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from core.page_cache import invalidate_on_change
        from news import search  # noqa: F401  (keeps the search index in step with clips and attachments)
        from news.files import signals  # noqa: F401
        from news.models import Attachment, ClipImage, Conversion, NewsClip

        # A draft's photos and attachments (pending rows) show on no public page.
        invalidate_on_change(ClipImage, Attachment, shown=lambda row: row.is_live())
        # An attachment's PDF for the browser shows where the attachment does.
        invalidate_on_change(Conversion, shown=lambda row: row.attachment.is_live())
        invalidate_on_change(
            NewsClip,
            NewsClip.projects.through,
            NewsClip.objectives.through,
            NewsClip.achievements.through,
        )
