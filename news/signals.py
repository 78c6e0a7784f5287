"""Files follow their rows: removed only once the delete or replacement has committed.
The search index follows clips and attachments, in the same transaction."""

from functools import partial

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Attachment, ClipImage, NewsClip
from .pdf import remove_cached_pdfs
from .renditions import rendition_names
from .search import index_clips, unindex_clip
from .uploads import delete_file_after_commit


def _previous_name(sender, instance, field):
    if instance.pk is None:
        return ""
    old = sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
    return old or ""


@receiver(pre_save, sender=ClipImage)
@receiver(pre_save, sender=Attachment)
def remove_replaced_file(sender, instance, raw, **kwargs):
    if raw:
        return
    for field in ["image"] if sender is ClipImage else ["file", "pdf_version"]:
        old = _previous_name(sender, instance, field)
        current = getattr(instance, field)
        if old and old != current.name:
            for name in [old, *(rendition_names(old) if sender is ClipImage else [])]:
                delete_file_after_commit(current.storage, name)


@receiver(post_delete, sender=ClipImage)
def remove_photo_files(sender, instance, **kwargs):
    for name in [instance.image.name, *rendition_names(instance.image.name)]:
        delete_file_after_commit(instance.image.storage, name)


def _still_used(name):
    """A draft's copy of an attachment row (news.workflow) may share the live row's file."""
    return Attachment.objects.filter(Q(file=name) | Q(pdf_version=name)).exists()


@receiver(post_delete, sender=Attachment)
def remove_attachment_file(sender, instance, **kwargs):
    for stored in (instance.file, instance.pdf_version):
        if stored:
            delete_file_after_commit(stored.storage, stored.name, unless=_still_used)


@receiver(post_delete, sender=NewsClip)
def remove_clip_pdfs(sender, instance, **kwargs):
    # After the commit: a rolled-back delete leaves the clip, and its PDF, in place.
    transaction.on_commit(partial(remove_cached_pdfs, instance.pk))


@receiver(post_save, sender=NewsClip)
def index_clip(sender, instance, **kwargs):
    index_clips([instance.pk])


@receiver(post_delete, sender=NewsClip)
def unindex_deleted_clip(sender, instance, **kwargs):
    unindex_clip(instance.pk)


@receiver(post_save, sender=Attachment)
@receiver(post_delete, sender=Attachment)
def index_attachment_names(sender, instance, **kwargs):
    index_clips([instance.clip_id])
