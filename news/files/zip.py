"""The ZIP of a clip's attachments: which files it holds, laid out by core.http.bundle, and the
CRC-32 the layout needs up front, filled in for rows older than the field by a command, never by a GET."""

import logging

from core.http.bundle import Bundle, Entry, file_crc32
from news.models import Attachment

logger = logging.getLogger(__name__)


def zip_attachments(clip):
    """The attachments the ZIP download holds, in page order: the one place that decides."""
    return clip.attachments.live()


def clip_bundle(clip):
    """The ZIP of `clip`'s attachments, laid out (a row without a CRC-32 has it computed, not stored)."""
    return Bundle(
        Entry(
            key=a.pk,
            path=a.file.storage.path(a.file.name),
            original_name=a.original_name,
            title=a.title,
            modified=a.updated,
            crc32=a.crc32,
            checksum=a.sha256,
        )
        for a in zip_attachments(clip)
    )


def fill_missing_crc32():
    """Store the CRC-32 of every attachment that has none (rows from before the field, or loaded
    raw); `manage.py fill_attachment_crc32`. Returns (filled, files missing)."""
    filled = missing = 0
    for attachment in Attachment.objects.filter(crc32__isnull=True).only("id", "file").iterator():
        try:
            with attachment.file.open("rb") as handle:
                crc = file_crc32(handle)
        except FileNotFoundError:
            logger.warning("Attachment %s: file %s is missing; no CRC-32", attachment.pk, attachment.file.name)
            missing += 1
            continue
        # update(): leaves `updated`, and so the download's ETag, alone.
        Attachment.objects.filter(pk=attachment.pk).update(crc32=crc)
        filled += 1
    return filled, missing
