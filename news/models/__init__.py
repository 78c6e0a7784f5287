"""The news app's models, one module per kind of row. Import them from here: `from news.models import NewsClip`.

`protected_storage`, `photo_upload_to`, `attachment_upload_to` and `conversion_upload_to` are named here because the
migrations refer to them as `news.models.<name>`."""

from core.storage import protected_storage
from news.models.clips import (
    Attachment,
    ClipFileQuerySet,
    ClipImage,
    NewsClip,
    NewsClipQuerySet,
    attachment_upload_to,
    photo_upload_to,
)
from news.models.conversions import Conversion, conversion_upload_to
from news.models.edge_log import EdgeLogPosition
from news.models.library import Document, Photo, ReplacedFile
from news.models.link_checks import LinkCheck
from news.models.notices import Notice, NoticeQuerySet
from news.models.revisions import ClipRevision
from news.models.staged_uploads import StagedUpload

__all__ = [
    "Attachment",
    "ClipFileQuerySet",
    "ClipImage",
    "ClipRevision",
    "Conversion",
    "EdgeLogPosition",
    "LinkCheck",
    "Document",
    "NewsClip",
    "NewsClipQuerySet",
    "Notice",
    "NoticeQuerySet",
    "Photo",
    "ReplacedFile",
    "StagedUpload",
    "attachment_upload_to",
    "conversion_upload_to",
    "photo_upload_to",
    "protected_storage",
]
