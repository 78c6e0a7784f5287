"""The media library: photos and documents uploaded once and used by any number of clips.

A library item owns its file. A clip's `ClipImage` or `Attachment` row is a *use* of an item:
it names the item, carries what this clip says about it (alt text, caption, title, order) and a
copy of the item's file facts (stored name, size, type, SHA-256), so that every public path
(page, renditions, download, ZIP, PDF, search) reads the use row alone, exactly as before the
library existed. The copies change only through `Photo.replace_file` / `Document.replace_file`,
which update the item and all its uses in one transaction.

Nothing here is ever served by a URL of its own: a file is public only through a live use row of
a published clip (news.files.views, by the one rule in news.models.visibility). Staff see library
files through the admin's own views, which check their permission.

The same bytes are never stored twice: `sha256` is unique per kind, and the upload helpers in
news.files.library hand back the existing item for bytes the library already holds.
"""

import hashlib
import zlib

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filetypes import label_for
from core.storage import protected_storage
from core.text import ControlCharacterFreeMixin
from news.models.clips import attachment_upload_to, photo_upload_to
from projects.models import Department


def file_digest(content):
    """(sha256 hex, crc32, size) of an open file, read in 1 MB chunks; leaves it at the start."""
    content.seek(0)
    digest, crc, size = hashlib.sha256(), 0, 0
    while chunk := content.read(1024 * 1024):
        digest.update(chunk)
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
    content.seek(0)
    return digest.hexdigest(), crc, size


class LibraryItem(ControlCharacterFreeMixin, models.Model):
    """What photos and documents share: a title, the office it belongs to, who uploaded it and when."""

    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("For finding it in the library."))
    original_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size"), default=0, editable=False)
    # Unique: the same bytes are never stored twice. Null only for a file found missing when the
    # library was made from older rows (news migration 0017).
    sha256 = models.CharField(  # noqa: DJ001 (NULL, unlike "", is never equal to another: unique holds)
        _("SHA-256"), max_length=64, unique=True, null=True, editable=False
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The office the file belongs to, to find it by."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True, editable=False)
    replaced_at = models.DateTimeField(
        _("file replaced"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a corrected file last replaced it."),
    )

    class Meta:
        abstract = True
        ordering = ["-created", "-id"]

    def __str__(self):
        return self.title or self.original_name or f"#{self.pk}"


class Photo(LibraryItem):
    image = models.ImageField(
        _("file"),
        upload_to=photo_upload_to,
        storage=protected_storage,
        width_field="width",
        height_field="height",
        max_length=200,
    )
    width = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("width"))
    height = models.PositiveIntegerField(default=0, editable=False, verbose_name=_("height"))
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("The usual description of what the photo shows; a clip may say it its own way."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True, help_text=_("The usual caption."))
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("Photographer or source, printed under the photo on every page that shows it."),
    )
    is_placeholder = models.BooleanField(default=False, editable=False, verbose_name=_("is placeholder"))

    class Meta(LibraryItem.Meta):
        verbose_name = _("library photo")
        verbose_name_plural = _("library photos")
        indexes = [models.Index(fields=["department", "-created"], name="photo_department_idx")]

    def get_admin_url(self):
        return reverse("admin:news_photo_change", args=[self.pk])

    def file_url(self, size="thumb"):
        """The staff-only address of the file (admin, permission checked)."""
        return reverse("admin:news_photo_file", args=[self.pk, size])

    def file_facts(self):
        """What each use copies (news.models.clips.ClipImage)."""
        return {
            "image": self.image.name,
            "width": self.width,
            "height": self.height,
            "original_name": self.original_name,
        }


class Document(LibraryItem):
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=protected_storage, max_length=200)
    content_type = models.CharField(max_length=150, editable=False, verbose_name=_("content type"))
    crc32 = models.PositiveBigIntegerField(_("CRC-32"), null=True, editable=False)

    class Meta(LibraryItem.Meta):
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        indexes = [models.Index(fields=["department", "-created"], name="document_department_idx")]

    def get_admin_url(self):
        return reverse("admin:news_document_change", args=[self.pk])

    def file_url(self):
        return reverse("admin:news_document_file", args=[self.pk])

    @property
    def type_label(self):
        return label_for(self.content_type, self.original_name)

    def file_facts(self):
        """What each use copies (news.models.clips.Attachment)."""
        return {
            "file": self.file.name,
            "original_name": self.original_name,
            "size": self.size,
            "content_type": self.content_type,
            "sha256": self.sha256,
            "crc32": self.crc32,
        }


class ReplacedFile(models.Model):
    """An earlier file of a library item, kept when a corrected one replaced it: for staff, never public."""

    photo = models.ForeignKey(
        Photo, null=True, blank=True, on_delete=models.CASCADE, related_name="versions", verbose_name=_("photo")
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    stored_name = models.CharField(max_length=200, verbose_name=_("stored name"))
    original_name = models.CharField(max_length=255, blank=True, verbose_name=_("original name"))
    size = models.PositiveBigIntegerField(default=0, verbose_name=_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(max_length=150, blank=True, verbose_name=_("content type"))
    replaced_at = models.DateTimeField(default=timezone.now, verbose_name=_("replaced at"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = _("earlier file")
        verbose_name_plural = _("earlier files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(photo__isnull=True) ^ models.Q(document__isnull=True),
                name="replaced_file_of_one_item",
            )
        ]

    def __str__(self):
        return f"{self.original_name} ({timezone.localtime(self.replaced_at):%Y-%m-%d %H:%M})"
