"""The media library's steps across clips: where an item is used, replace its file in place, take it
down everywhere. Each changes the library item and every use of it in one transaction, records what
it did in each clip's history and refreshes what the public sees (storing uploads once is
news.files.library). Imports news.models, news.files, news.publishing and news.search."""

from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.page_cache import content_changed
from core.storage import delete_file_after_commit
from news.files.pdf import remove_cached_pdfs
from news.files.renditions import rendition_names
from news.models import Attachment, ClipImage, ClipRevision, NewsClip, Photo, ReplacedFile
from news.models.library import file_digest
from news.publishing import workflow
from news.search import index_clips

# --- usage --------------------------------------------------------------------------------


def uses_of(item):
    """The rows using `item`, with their clips, in one query."""
    return item.uses.select_related("clip").order_by("clip__title", "clip_id", "position", "pk")


def live_uses(item):
    """Uses the public sees now: live rows of published clips."""
    return item.uses.filter(pending=False, clip__in=NewsClip.objects.published())


def _clips_of(item):
    return NewsClip.objects.filter(pk__in=item.uses.values("clip_id")).order_by("pk")


def may_change_live(user, item):
    """Changing what the public sees now (a replaced file) is a publisher's step."""
    return user.has_perm("news.publish_newsclip") or not live_uses(item).exists()


# --- replace in place ------------------------------------------------------------------------


def _is_photo(item):
    return isinstance(item, Photo)


def replace_file(item, *, content, original_name, user, kind=None):
    """Put a corrected file in `item` and in every clip that uses it: the uses keep their ids (the
    public addresses), positions, words and download counts. The earlier file is kept as a
    ReplacedFile, for staff. `content` passed the same checks as an upload of its kind."""
    if not may_change_live(user, item):
        raise PermissionDenied(_("This file is live on the site: only a publisher may replace it."))
    digest, crc, size = file_digest(content)
    if digest == item.sha256:
        raise ValidationError(_("This is the file the library already holds: nothing to replace."), code="same")
    model = type(item)
    other = model.objects.filter(sha256=digest).exclude(pk=item.pk).first()
    if other is not None:
        raise ValidationError(
            _("These bytes are already in the library as “%(other)s”; use that item instead.") % {"other": other},
            code="duplicate",
        )
    now = timezone.now()
    field = "image" if _is_photo(item) else "file"
    with transaction.atomic():
        item = model.objects.select_for_update().get(pk=item.pk)
        old = getattr(item, field)
        ReplacedFile.objects.create(
            **{"photo" if _is_photo(item) else "document": item},
            stored_name=old.name,
            original_name=item.original_name,
            size=item.size,
            sha256=item.sha256 or "",
            content_type="" if _is_photo(item) else item.content_type,
            replaced_at=now,
            replaced_by=user,
        )
        if _is_photo(item):
            # The earlier original is kept for staff; its renditions are not (made again on demand).
            for name in rendition_names(old.name):
                delete_file_after_commit(old.storage, name)
        else:
            item.content_type = kind.content_type
            item.crc32 = crc
        setattr(item, field, content)
        item.original_name = PurePosixPath(original_name).name[:255]
        item.sha256, item.size, item.replaced_at = digest, size, now
        item.save()
        facts = item.file_facts()
        uses = item.uses.all()
        clips = list(_clips_of(item))
        uses.update(**facts, updated=now, **({} if _is_photo(item) else {"file_replaced_at": now}))
        note = _("The file of “%(item)s” was replaced by %(name)s.") % {"item": item, "name": item.original_name}
        index_clips([clip.pk for clip in clips])  # the attachments' names are searched; UPDATE sends no signal
        for clip in clips:
            workflow.record(clip, user, ClipRevision.Action.REPLACED, note=note)
            transaction.on_commit(lambda pk=clip.pk: remove_cached_pdfs(pk))
        content_changed()
    return item


# --- take down everywhere --------------------------------------------------------------------


def take_down(item, user, reason=""):
    """Remove `item` from every clip that uses it (live rows, drafts' rows and drafts' snapshots),
    recorded in each clip's history. Returns the clips it was removed from. Publishers only."""
    if not user.has_perm("news.publish_newsclip"):
        raise PermissionDenied(_("Only publishers may take a file down everywhere."))
    key = "photos" if _is_photo(item) else "attachments"
    with transaction.atomic():
        clips = list(_clips_of(item).select_for_update())
        note = _("“%(item)s” was taken down everywhere.") % {"item": item}
        if reason.strip():
            note += " " + _("Reason: %(reason)s") % {"reason": reason.strip()}
        for clip in clips:
            gone = set(item.uses.filter(clip=clip).values_list("pk", flat=True))
            for draft in clip.revisions.filter(pending=True):
                draft.data[key] = [entry for entry in draft.data[key] if entry["id"] not in gone]
                draft.save(update_fields=["data"])
            for row in item.uses.filter(clip=clip):
                row.delete()
            workflow.record(clip, user, ClipRevision.Action.TAKEN_DOWN, note=note)
            transaction.on_commit(lambda pk=clip.pk: remove_cached_pdfs(pk))
        content_changed()
    return clips


def use_model(item):
    return ClipImage if _is_photo(item) else Attachment
