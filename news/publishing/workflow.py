"""The publishing model: states, drafts of live clips, revisions, review and the schedule.

While a clip is on the site (published, or scheduled to be), its row is what the public
sees or will see, and nobody edits it directly: edits become the clip's draft, a pending
`ClipRevision`. Photos and attachments the draft adds are stored with `pending=True`, which
every public surface leaves out (`ClipFileQuerySet.live()`); photos and attachments the draft
removes stay public until it is published. Publishing applies the draft to the row, its
related items and its files in one transaction.

Clips off the site (drafts, unpublished) are edited in place. Every step, by whoever (the
scheduler too), is recorded as a revision holding a snapshot of the content, so any two can
be compared (`revision_diff`) and an old one restored as a new draft.
"""

from pathlib import PurePosixPath

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.page_cache import content_changed
from news.models import Attachment, ClipImage, ClipRevision, NewsClip
from news.publishing import notifications

Action = ClipRevision.Action
Status = NewsClip.Status
# Every field an editor writes on the clip form is in exactly one of these lists, so that a draft
# carries it and publishing applies it (tests/workflow/test_every_field.py walks the form's fields).
TEXT_FIELDS = ["title", "slug", "subtitle", "highlights", "body", "author_name", "contact_title"]
TIME_FIELDS = ["publish_at", "expires_at"]
CHOICE_FIELDS = ["department"]  # foreign keys, stored as [pk, label] or None
RELATED_FIELDS = ["projects", "objectives", "achievements"]
ROW_FIELDS = [*TEXT_FIELDS, *TIME_FIELDS, *CHOICE_FIELDS]


class WorkflowError(Exception):
    """A step the clip's state does not allow; the message is for the editor."""


class NeedsConfirmation(WorkflowError):
    """A step that would take a live clip off the site, asked without confirmation."""


# --- snapshots --------------------------------------------------------------------


def photo_entry(photo):
    return {
        "id": photo.pk,
        "position": photo.position,
        "alt_text": photo.alt_text,
        "caption": photo.caption,
        "file": PurePosixPath(photo.image.name).name,
    }


def attachment_entry(attachment):
    return {
        "id": attachment.pk,
        "position": attachment.position,
        "title": attachment.title,
        "file": attachment.original_name,
    }


def snapshot(clip, *, related=None, photos=None, attachments=None):
    """The clip's content as a revision stores it. By default the row as the public sees it;
    the admin passes the related items, photos and attachments of a submitted form."""
    data = {name: getattr(clip, name) for name in TEXT_FIELDS}
    data.update({name: getattr(clip, name) and getattr(clip, name).isoformat() for name in TIME_FIELDS})
    for name in CHOICE_FIELDS:
        item = getattr(clip, name)
        data[name] = [item.pk, str(item)] if item is not None else None
    for name in RELATED_FIELDS:
        items = related[name] if related is not None else getattr(clip, name).all()
        data[name] = sorted([item.pk, str(item)] for item in items)
    if photos is None:
        photos = clip.images.live()
    if attachments is None:
        attachments = clip.attachments.live()
    ordered = sorted(photos, key=lambda p: (p.position, p.pk))
    data["photos"] = [photo_entry(p) for p in ordered]
    data["attachments"] = [attachment_entry(a) for a in sorted(attachments, key=lambda a: (a.position, a.pk))]
    return data


def draft_of(clip):
    return clip.revisions.filter(pending=True).first()


def lock_token(clip):
    """Changes with every recorded step: a form opened before a step is out of date after it."""
    return clip.revisions.aggregate(latest=Max("id"))["latest"] or 0


def record(clip, user, action, *, data=None, note="", pending=False, created=None):
    return ClipRevision.objects.create(
        clip=clip,
        user=user,
        action=action,
        note=note,
        data=data if data is not None else snapshot(clip),
        pending=pending,
        created=created or timezone.now(),
    )


def _set_row_fields(clip, data):
    """Set the row's own fields from a snapshot, in memory. A field the snapshot lacks (a revision
    recorded before the field was) keeps the row's value."""
    for name in TEXT_FIELDS:
        if name in data:
            setattr(clip, name, data[name])
    for name in TIME_FIELDS:
        if name in data:
            setattr(clip, name, data[name] and parse_datetime(data[name]))
    for name in CHOICE_FIELDS:
        if name in data:
            setattr(clip, NewsClip._meta.get_field(name).attname, data[name] and data[name][0])


def with_draft(clip):
    """The clip as its draft has it, in memory (nothing saved), with the draft's photos,
    attachments and related ids; for the admin form and the draft preview."""
    draft = draft_of(clip)
    if draft is None:
        return clip, None
    _set_row_fields(clip, draft.data)
    return clip, draft


def draft_rows(model, clip, entries, fields):
    """The rows `entries` name, with the draft's values set on them (in memory)."""
    library = "photo" if model is ClipImage else "document"
    rows = {
        row.pk: row
        for row in model.objects.filter(clip=clip, pk__in=[e["id"] for e in entries]).select_related(library)
    }
    result = []
    for entry in entries:
        row = rows.get(entry["id"])
        if row is not None:
            row.clip = clip  # one clip object for every row (the admin reads its slug per row)
            for name in fields:
                setattr(row, name, entry[name])
            result.append(row)
    return result


def draft_photos(clip, data):
    return draft_rows(ClipImage, clip, data["photos"], ["position", "alt_text", "caption"])


def draft_attachments(clip, data):
    return draft_rows(Attachment, clip, data["attachments"], ["position", "title"])


# --- applying content to the row ---------------------------------------------------


def _check_files(clip, data):
    """Every file the version to publish shows must exist: a failed or lost upload is never published."""
    for model, field, key in ((ClipImage, "image", "photos"), (Attachment, "file", "attachments")):
        wanted = {entry["id"] for entry in data[key]}
        rows = model.objects.filter(clip=clip, pk__in=wanted)
        if len(rows) != len(wanted):
            raise WorkflowError(
                _("A %(model)s of this version no longer exists: save the draft again.")
                % {"model": model._meta.verbose_name}
            )
        for row in rows:
            stored = getattr(row, field)
            if not stored.name or not stored.storage.exists(stored.name):
                raise WorkflowError(
                    _("The file of “%(row)s” is missing: remove it or upload it again before publishing.")
                    % {"row": row}
                )


def _apply(clip, data):
    """Write `data` to the row, its related items and its files (not saving the row itself)."""
    _check_files(clip, data)
    _set_row_fields(clip, data)
    for name in RELATED_FIELDS:
        manager = getattr(clip, name)
        manager.set(manager.model.objects.filter(pk__in=[pk for pk, _label in data[name]]))
    for model, key, fields in (
        (ClipImage, "photos", ["position", "alt_text", "caption"]),
        (Attachment, "attachments", ["position", "title"]),
    ):
        entries = {entry["id"]: entry for entry in data[key]}
        _take_replaced_places(model, clip, entries)
        for row in model.objects.filter(clip=clip):
            entry = entries.get(row.pk)
            if entry is None:
                row.delete()  # its file goes once this commits (news.files.signals)
                continue
            for name in fields:
                setattr(row, name, entry[name])
            row.pending = False
            row.save()


# What a draft's corrected file carries into the live row whose place it takes.
_FILE_FACTS = {
    ClipImage: ["photo", "image", "width", "height", "original_name"],
    Attachment: [
        "document",
        "file",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "crc32",
        "pdf_version",
        "pdf_size",
        "pdf_sha256",
    ],
}


def _take_replaced_places(model, clip, entries):
    """A pending row holding a corrected file for a live row hands its file to that row, which keeps its
    id (the public address) and download count; the pending row goes. `entries` is updated to match."""
    pending = model.objects.filter(clip=clip, pending=True, replaces__isnull=False, pk__in=list(entries))
    for new in pending:
        old = model.objects.filter(clip=clip, pk=new.replaces_id, pending=False).first()
        if old is None or old.pk in entries:
            continue
        # By UPDATE: assigning a photo's file would read it again for its size in pixels.
        facts = {name: getattr(new, model._meta.get_field(name).attname) for name in _FILE_FACTS[model]}
        if model is Attachment:
            facts["file_replaced_at"] = timezone.now()
        entry = entries.pop(new.pk)
        new.delete()  # its files stay: the library owns them, and the live row names its PDF version now
        model.objects.filter(pk=old.pk).update(**facts)
        entries[old.pk] = {**entry, "id": old.pk}


def _remove_orphans(clip, data=None):
    """Pending files that the draft `data` (or, without one, no draft) shows are removed."""
    for model, key in ((ClipImage, "photos"), (Attachment, "attachments")):
        wanted = [entry["id"] for entry in data[key]] if data else []
        for row in model.objects.filter(clip=clip, pending=True).exclude(pk__in=wanted):
            row.delete()  # its file goes once this commits (news.files.signals)


def _end_draft(clip):
    clip.revisions.filter(pending=True).update(pending=False)
    _remove_orphans(clip)


def _set_state(clip, status, **fields):
    clip.status = status
    clip.review = NewsClip.Review.NONE
    for name, value in fields.items():
        setattr(clip, name, value)
    # Not a full save: readers' view counts, raised meanwhile by UPDATE, are not written back.
    clip.save(update_fields=[*ROW_FIELDS, "status", "review", "updated"])


# --- the steps -----------------------------------------------------------------------


def _ask_for_review(clip, user, title):
    """The clip waits in the review queue, and the publishers are told."""
    NewsClip.objects.filter(pk=clip.pk).update(review=NewsClip.Review.REQUESTED)
    clip.review = NewsClip.Review.REQUESTED
    notifications.submitted(clip, user, title=title)


def save_draft(clip, user, data, *, action=Action.DRAFTED, note=""):
    """Record `data` as the draft of a clip on the site; the public keeps the live version."""
    with transaction.atomic():
        clip.revisions.filter(pending=True).update(pending=False)
        revision = record(clip, user, action, data=data, note=note, pending=True)
        _remove_orphans(clip, data)
        if action == Action.SUBMITTED:
            _ask_for_review(clip, user, data.get("title"))
    return revision


def saved(clip, user, *, created=False, submitted=False, note=""):
    """Record an in-place save of a clip off the site."""
    if submitted:
        with transaction.atomic():
            revision = record(clip, user, Action.SUBMITTED, note=note)
            _ask_for_review(clip, user, clip.title)
        return revision
    return record(clip, user, Action.CREATED if created else Action.SAVED, note=note)


def _content(clip, data):
    """The version to put live: `data` if given, else the draft, else the row as it is."""
    if data is None:
        draft = draft_of(clip)
        data = draft.data if draft else None
    if data is not None:
        _apply(clip, data)
    else:
        _check_files(clip, snapshot(clip, photos=clip.images.all(), attachments=clip.attachments.all()))
        clip.images.filter(pending=True).update(pending=False)
        clip.attachments.filter(pending=True).update(pending=False)


def publish(clip, user, *, data=None, note="", comment="", now=None):
    """Put the clip live now. A publish time in the future becomes now; one in the past
    (a backdated article) is kept. Publishing a clip in review approves it; `comment` is the
    reviewer's word to its author."""
    now = now or timezone.now()
    in_review = clip.review == NewsClip.Review.REQUESTED
    with transaction.atomic():
        _content(clip, data)
        publish_at = min(clip.publish_at, now)
        if clip.expires_at is not None and clip.expires_at <= now:
            raise WorkflowError(_("The expiry time has passed: change or clear it before publishing."))
        _set_state(clip, Status.PUBLISHED, publish_at=publish_at)
        _end_draft(clip)
        revision = record(clip, user, Action.PUBLISHED, note=note)
        if in_review:
            notifications.approved(clip, user, comment=comment)
        else:
            notifications.published(clip, user)
        return revision


def schedule(clip, user, at, *, data=None, confirm_takedown=False, note="", comment=""):
    """Put the clip live at `at`. A clip live now leaves the site until then, so that needs confirming.
    Scheduling a clip in review approves it (its author is told); otherwise its author hears when it
    goes live (`run_schedule`)."""
    if at <= timezone.now():
        raise WorkflowError(_("A schedule needs a publish time in the future."))
    if clip.is_published() and not confirm_takedown:
        raise NeedsConfirmation(takedown_warning(at))
    in_review = clip.review == NewsClip.Review.REQUESTED
    with transaction.atomic():
        _content(clip, data)
        if clip.expires_at is not None and clip.expires_at <= at:
            raise WorkflowError(_("The expiry must be later than the scheduled time."))
        _set_state(clip, Status.SCHEDULED, publish_at=at)
        _end_draft(clip)
        revision = record(clip, user, Action.SCHEDULED, note=note)
        if in_review:
            notifications.approved(clip, user, comment=comment, scheduled_at=at)
        return revision


def takedown_warning(at):
    return _(
        "This clip is live. Scheduling it for %(when)s KST takes it off the site until then. "
        "Tick “Yes, take it off the site until then” and press Schedule again to confirm."
    ) % {"when": f"{timezone.localtime(at):%Y-%m-%d %H:%M}"}


def unpublish(clip, user, *, data=None, note=""):
    """Take a clip off the site. Its row is no longer public, so the draft (or `data`) becomes the row."""
    if not clip.is_on_site():
        raise WorkflowError(_("Only a published or scheduled clip can be unpublished."))
    with transaction.atomic():
        _content(clip, data)
        _set_state(clip, Status.UNPUBLISHED)
        _end_draft(clip)
        return record(clip, user, Action.UNPUBLISHED, note=note)


def send_back(clip, user, comment):
    if not comment.strip():
        raise WorkflowError(_("Say what needs changing: the comment is shown to the editor."))
    with transaction.atomic():
        NewsClip.objects.filter(pk=clip.pk).update(review=NewsClip.Review.SENT_BACK)
        clip.review = NewsClip.Review.SENT_BACK
        draft = draft_of(clip)
        revision = record(clip, user, Action.SENT_BACK, note=comment.strip(), data=draft.data if draft else None)
        notifications.sent_back(clip, user, comment.strip())
        return revision


def approve(clip, user, comment=""):
    """A publisher's sign-off from the review queue: publish now, or schedule at the draft's future time."""
    live, draft = with_draft(NewsClip.objects.get(pk=clip.pk))
    if live.publish_at > timezone.now():
        if clip.is_published():
            raise WorkflowError(_("This draft moves a live clip into the future: open the clip to confirm that."))
        return schedule(clip, user, live.publish_at, note=comment, comment=comment)
    return publish(clip, user, note=comment, comment=comment)


def sent_back_comment(clip):
    if clip.review != NewsClip.Review.SENT_BACK:
        return None
    return clip.revisions.filter(action=Action.SENT_BACK).first()


def restore(clip, revision, user):
    """Make an old revision the clip's new draft (its row, if the clip is off the site).

    Returns what could not be restored: photos and attachments deleted since (their files
    are gone), related items deleted since, a slug another clip has taken.
    """
    data = dict(revision.data)
    lost = []
    for model, key in ((ClipImage, "photos"), (Attachment, "attachments")):
        existing = set(
            model.objects.filter(clip=clip, pk__in=[e["id"] for e in data[key]]).values_list("pk", flat=True)
        )
        for entry in data[key]:
            if entry["id"] not in existing:
                label = entry.get("caption") or entry.get("title") or entry["file"]
                lost.append(
                    _("%(model)s “%(label)s” was deleted and cannot be restored")
                    % {"model": model._meta.verbose_name, "label": label}
                )
        data[key] = [entry for entry in data[key] if entry["id"] in existing]
    for name in RELATED_FIELDS:
        model = getattr(NewsClip, name).field.related_model
        existing = set(model.objects.filter(pk__in=[pk for pk, _ in data[name]]).values_list("pk", flat=True))
        lost += [
            _("%(model)s “%(label)s” no longer exists") % {"model": model._meta.verbose_name, "label": label}
            for pk, label in data[name]
            if pk not in existing
        ]
        data[name] = [[pk, label] for pk, label in data[name] if pk in existing]
    for name in CHOICE_FIELDS:
        model = NewsClip._meta.get_field(name).related_model
        if data.get(name) and not model.objects.filter(pk=data[name][0]).exists():
            lost.append(
                _("%(model)s “%(label)s” no longer exists; the current one is kept")
                % {"model": model._meta.verbose_name, "label": data[name][1]}
            )
            del data[name]
    if NewsClip.objects.exclude(pk=clip.pk).filter(slug=data["slug"]).exists():
        lost.append(
            _("the slug “%(slug)s” is used by another clip now; the current slug is kept") % {"slug": data["slug"]}
        )
        data["slug"] = clip.slug
    note = f"Restored the revision of {timezone.localtime(revision.created):%Y-%m-%d %H:%M}"
    if lost:
        note += "; not restored: " + "; ".join(lost)
    with transaction.atomic():
        if clip.is_on_site():
            save_draft(clip, user, data, action=Action.RESTORED, note=note)
        else:
            _apply(clip, data)
            clip.save(update_fields=[*ROW_FIELDS, "updated"])
            record(clip, user, Action.RESTORED, note=note)
    return lost


def discard_draft(clip, user):
    with transaction.atomic():
        if draft_of(clip) is None:
            raise WorkflowError(_("This clip has no draft."))
        _end_draft(clip)
        NewsClip.objects.filter(pk=clip.pk).update(review=NewsClip.Review.NONE)
        return record(clip, user, Action.DISCARDED)


# --- the schedule ---------------------------------------------------------------------


def run_schedule(now=None):
    """Record the publications and expiries that are due and refresh the cached pages.

    The public rule (`published()`) already follows the clock; this makes the admin's
    states, the history and the page cache agree with it. Safe to run at any time.
    """
    now = now or timezone.now()
    went_live = expired = 0
    with transaction.atomic():
        due = NewsClip.objects.select_for_update().on_site()
        for clip in due.in_state(Status.UNPUBLISHED, now):
            NewsClip.objects.filter(pk=clip.pk).update(status=Status.UNPUBLISHED)
            clip.status = Status.UNPUBLISHED
            # The history records when it happened (the expiry time), not when this run noticed.
            record(clip, None, Action.EXPIRED, created=min(clip.expires_at, now))
            expired += 1
        for clip in due.filter(status=Status.SCHEDULED).published(now):
            NewsClip.objects.filter(pk=clip.pk).update(status=Status.PUBLISHED)
            clip.status = Status.PUBLISHED
            record(clip, None, Action.WENT_LIVE, created=min(clip.publish_at, now))
            notifications.published(clip, None)
            went_live += 1
        if went_live or expired:
            content_changed()
    return went_live, expired
