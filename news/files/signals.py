"""Files follow their rows: removed only once the delete or replacement has committed.

A photo's or document's file belongs to its library item (news.models.library), not to the clips
using it: removing a use leaves the file; deleting the item (possible only once nothing uses it)
removes the file, its renditions and its earlier versions. A document's PDF for the browser is
queued when its attachment is saved (news.files.conversions)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from core.page_cache import content_changed
from core.storage import delete_file_after_commit
from news.files.conversions import enqueue
from news.files.pdf import remove_cached_pdfs
from news.files.renditions import rendition_names
from news.models import Attachment, ClipImage, Conversion, Document, NewsClip, Photo, ReplacedFile


def _previous_name(sender, instance, field):
    if instance.pk is None:
        return ""
    old = sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
    return old or ""


@receiver(pre_save, sender=Attachment)
def remove_replaced_pdf_version(sender, instance, raw, **kwargs):
    """The "also as PDF" file belongs to the row (the document's own file to the library)."""
    if raw:
        return
    old = _previous_name(sender, instance, "pdf_version")
    if old and old != instance.pdf_version.name:
        delete_file_after_commit(instance.pdf_version.storage, old, unless=_still_used)


def _still_used(name):
    """A draft's copy of an attachment row (news.publishing.workflow) may share the live row's PDF version."""
    return Attachment.objects.filter(pdf_version=name).exists()


@receiver(post_delete, sender=Attachment)
def remove_attachment_pdf_version(sender, instance, **kwargs):
    if instance.pdf_version:
        delete_file_after_commit(instance.pdf_version.storage, instance.pdf_version.name, unless=_still_used)


@receiver(post_save, sender=Photo)
def refresh_pages_showing_the_credit(sender, instance, created, raw, **kwargs):
    """A photo's credit is printed wherever it is used: a change to a photo the public sees refreshes the
    cached pages (uploads and photos only drafts use leave them alone)."""
    if created or raw:
        return
    if ClipImage.objects.filter(photo=instance, pending=False, clip__in=NewsClip.objects.published()).exists():
        content_changed()


@receiver(post_delete, sender=Photo)
def remove_photo_files(sender, instance, **kwargs):
    for name in [instance.image.name, *rendition_names(instance.image.name)]:
        delete_file_after_commit(instance.image.storage, name)


@receiver(post_delete, sender=Document)
def remove_document_file(sender, instance, **kwargs):
    delete_file_after_commit(instance.file.storage, instance.file.name)


@receiver(post_delete, sender=ReplacedFile)
def remove_earlier_file(sender, instance, **kwargs):
    storage = Photo._meta.get_field("image").storage
    for name in [instance.stored_name, *(rendition_names(instance.stored_name) if instance.photo_id else [])]:
        delete_file_after_commit(storage, name)


@receiver(post_delete, sender=NewsClip)
def remove_clip_pdfs(sender, instance, **kwargs):
    # After the commit: a rolled-back delete leaves the clip, and its PDF, in place.
    transaction.on_commit(partial(remove_cached_pdfs, instance.pk))


@receiver(post_save, sender=Attachment)
def queue_conversion(sender, instance, raw, **kwargs):
    """A document's PDF for the browser is queued with the upload, in its transaction."""
    if raw:
        return
    enqueue(instance)


@receiver(post_delete, sender=Conversion)
def remove_conversion_pdf(sender, instance, **kwargs):
    if instance.pdf:
        delete_file_after_commit(instance.pdf.storage, instance.pdf.name)
