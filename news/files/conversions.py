"""Document attachments made readable in the browser: the queue of conversions to PDF.

- `enqueue(attachment)` runs when an attachment is saved (news.files.signals), in the same
  transaction: a document (HWP/HWPX, Office, ODF: `filetypes.converter_for`) whose file or
  title is new gets its `Conversion` row queued. Nothing is converted in a request.
- `run_queue()` (the `convert_attachments` command, run every minute by the scheduler's timer)
  claims due rows one at a time, converts each in a sandbox (core.conversion) and records the
  PDF, its page count and its text, or why it failed. A failure is tried again later, up to
  CONVERSION_MAX_ATTEMPTS; a worker that died mid-conversion leaves a "running" row that the
  next run takes back once it is older than the time limit allows.

Claiming is one conditional UPDATE (queued -> running), so any number of runners on any
number of hosts never convert the same row twice; at most CONVERSION_CONCURRENCY run at
once per host (core.conversion's slots).
"""

import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import conversion
from core.filetypes import converter_for
from core.storage import delete_file_after_commit
from news.models import Conversion, conversion_upload_to

logger = logging.getLogger(__name__)

# How long after a failure the next try waits: the first retry soon, later ones spaced out.
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1)]
# How long a runner waits for a free slot before leaving the rest of the queue to the next run.
SLOT_WAIT_SECONDS = 5
_RESET = {
    "pdf": "",
    "made_from_sha256": "",
    "pages": 0,
    "pdf_size": 0,
    "pdf_sha256": "",
    "tagged": False,
    "language": "",
    "text": "",
}


def limits():
    return conversion.Limits(
        seconds=settings.CONVERSION_TIME_LIMIT,
        memory_bytes=settings.CONVERSION_MEMORY_LIMIT_MB * 1024 * 1024,
        output_bytes=max(settings.UPLOAD_MAX_ATTACHMENT_BYTES, 200 * 1024 * 1024),
        text_chars=settings.CONVERSION_TEXT_LIMIT,
    )


def fonts():
    """Fontconfig for the converters: the site's bundled Noto Sans CJK KR (Hangul) first."""
    bundled = sorted((Path(settings.BASE_DIR) / "static" / "fonts").glob("*.woff2"))
    return conversion.fontconfig_file(bundled, settings.CONVERSION_WORK_DIR) if bundled else None


def enqueue(attachment):
    """Queue a PDF of `attachment` if it is a document whose file or title has none yet."""
    existing = Conversion.objects.filter(attachment=attachment).first()
    if not converter_for(attachment.content_type):
        if existing is not None:
            existing.delete()  # its PDF goes after the commit (news.files.signals)
        return None
    title = attachment.display_title[:300]
    if existing is not None and existing.source_sha256 == attachment.sha256 and existing.title == title:
        return existing
    fields = {
        "status": Conversion.Status.QUEUED,
        "source_sha256": attachment.sha256,
        "title": title,
        "attempts": 0,
        "reason": "",
        "available_at": timezone.now(),
        "started_at": None,
        "finished_at": None,
    }
    stale = existing is not None and existing.made_from_sha256 and existing.made_from_sha256 != attachment.sha256
    if stale:
        # A new file: the old PDF and its text stop being shown and searched now.
        delete_file_after_commit(existing.pdf.storage, existing.pdf.name)
        fields.update(_RESET)
    row, _ = Conversion.objects.update_or_create(attachment=attachment, defaults=fields)
    return row


def retry(queryset):
    """Queue the conversions of `queryset` again (the admin's "Convert again"), attempts reset."""
    return queryset.update(
        status=Conversion.Status.QUEUED, attempts=0, reason="", available_at=timezone.now(), finished_at=None
    )


def run_queue(*, max_seconds=None, now=timezone.now):
    """Convert due attachments until the queue is empty (or `max_seconds` have passed, or every
    slot stays busy). Returns (converted, failed)."""
    started = now()
    take_back_stalled(started)
    converted = failed = 0
    while max_seconds is None or (now() - started).total_seconds() < max_seconds:
        job = _claim_next()
        if job is None:
            break
        outcome = run_one(job)
        if outcome is None:  # no slot free on this host: leave the rest for the next run
            break
        converted += outcome
        failed += not outcome
    return converted, failed


def take_back_stalled(now=None):
    """Rows left "running" by a runner that died (a restart, a crash) are due again: an attempt used."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CONVERSION_TIME_LIMIT + 300)
    for job in Conversion.objects.filter(status=Conversion.Status.RUNNING, started_at__lt=cutoff):
        _record_failure(job, "The conversion was interrupted (the server restarted or the worker stopped).")


def _claim_next():
    for pk, sha in Conversion.objects.due().values_list("pk", "source_sha256")[:10]:
        claimed = Conversion.objects.filter(pk=pk, status=Conversion.Status.QUEUED, source_sha256=sha).update(
            status=Conversion.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
        if claimed:
            return Conversion.objects.select_related("attachment").get(pk=pk)
    return None


def run_one(job):
    """Convert one claimed job. True when done, False when it failed, None when no slot was free."""
    attachment = job.attachment
    storage = job.pdf.storage
    name = storage.generate_filename(conversion_upload_to(job, "document.pdf"))
    try:
        made = conversion.convert(
            attachment.file.path,
            converter_for(attachment.content_type),
            storage.path(name),
            title=job.title,
            limits=limits(),
            work_dir=settings.CONVERSION_WORK_DIR,
            slots=settings.CONVERSION_CONCURRENCY,
            wait=SLOT_WAIT_SECONDS,
            fontconfig_file=fonts(),
        )
    except conversion.NoSlotFree:
        Conversion.objects.filter(pk=job.pk, status=Conversion.Status.RUNNING, started_at=job.started_at).update(
            status=Conversion.Status.QUEUED, attempts=F("attempts") - 1
        )
        return None
    except conversion.ConversionFailed as exc:
        _record_failure(job, exc.reason)
        return False
    except (FileNotFoundError, ValueError):
        _record_failure(job, "The attachment's file is missing: upload it again.")
        return False
    try:
        with transaction.atomic():
            row = _still_ours(job)
            if row is None:  # replaced, retitled or deleted meanwhile: this PDF is of nothing current
                storage.delete(name)
                return False
            if row.pdf and row.pdf.name != name:
                delete_file_after_commit(storage, row.pdf.name)
            row.status = Conversion.Status.DONE
            row.reason = ""
            row.finished_at = timezone.now()
            row.pdf.name = name
            row.made_from_sha256 = job.source_sha256
            row.pages, row.pdf_size, row.pdf_sha256 = made.pages, made.size, made.sha256
            row.tagged, row.language, row.text = made.tagged, made.language, made.text
            row.save()  # the clip's search index follows (news.files.signals)
    except BaseException:
        storage.delete(name)
        raise
    logger.info("Converted attachment %s to a PDF of %s page(s)", attachment.pk, made.pages)
    return True


def _still_ours(job):
    return (
        Conversion.objects.select_for_update()
        .filter(pk=job.pk, status=Conversion.Status.RUNNING, source_sha256=job.source_sha256, started_at=job.started_at)
        .first()
    )


def _record_failure(job, reason):
    with transaction.atomic():
        row = _still_ours(job)
        if row is None:
            return
        if row.attempts >= settings.CONVERSION_MAX_ATTEMPTS:
            row.status = Conversion.Status.FAILED
            row.finished_at = timezone.now()
        else:
            row.status = Conversion.Status.QUEUED
            delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
            row.available_at = timezone.now() + delay
        row.reason = reason
        row.save()
    logger.warning("Conversion of attachment %s failed (attempt %s): %s", job.attachment_id, row.attempts, reason)
