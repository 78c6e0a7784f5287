"""Uploads into the media library: a file that passed news.files.checks is stored once; bytes the
library already holds give back the existing item (the same file is never stored twice)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from news.models import Document, Photo
from news.models.library import file_digest


def _find(model, digest):
    return model.objects.filter(sha256=digest).first()


def store_photo(content, *, original_name, user=None, **defaults):
    """(photo, created): the library photo holding these bytes, stored now if it is new.

    `content` passed news.files.checks.check_photo; `defaults` (alt_text, caption, credit, title,
    department) apply to a new photo only: an existing one keeps its own."""
    digest, _crc, size = file_digest(content)
    existing = _find(Photo, digest)
    if existing is not None:
        return existing, False
    photo = Photo(
        image=content,
        original_name=original_name[:255],
        sha256=digest,
        size=size,
        uploaded_by=user if user and user.pk else None,
        **defaults,
    )
    photo.title = photo.title or photo.caption or original_name[:300]
    photo.save()
    return photo, True


def store_document(original_name, kind, content, *, user=None, **defaults):
    """(document, created): the library document holding these bytes, stored now if it is new.

    `original_name`, `kind`, `content` are what news.files.checks.check_attachment returned."""
    digest, crc, size = file_digest(content)
    existing = _find(Document, digest)
    if existing is not None:
        return existing, False
    document = Document(
        file=content,
        original_name=original_name[:255],
        content_type=kind.content_type,
        sha256=digest,
        crc32=crc,
        size=size,
        uploaded_by=user if user and user.pk else None,
        **defaults,
    )
    document.title = document.title or original_name[:300]
    document.save()
    return document, True


def reused_message(item):
    return _("“%(name)s” is already in the library (uploaded %(date)s): that item is used, not a second copy.") % {
        "name": item,
        "date": f"{timezone.localtime(item.created):%Y-%m-%d}",
    }
