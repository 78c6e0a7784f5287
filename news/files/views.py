"""Attachment, photo, ZIP and PDF downloads of a clip.

Each view first finds the clip through `news.models.visibility.get_visible_clip` (the one
publication rule), before any 304 or Range handling: an unpublished clip's
files are 404 for the public whatever the request asks for.

Caching, for published clips:

* Attachments and the ZIP: ``public, no-cache``. Caches may keep a copy but
  must ask us before each reuse, so every download is counted and an
  attachment withdrawn from publication stops being served at once; an
  unchanged attachment still costs only a 304, thanks to its ETag.
* Photos and the PDF: ``public, max-age=3600``. Photos appear in <img> tags on
  every page and must come from caches; an hour bounds how long a photo of a
  withdrawn clip may linger there. Their URLs stay the same when an editor
  replaces the file, which is why they are not cached "immutable".

Staff previews of unpublished clips are ``private, no-store``, by the one rule
in news/models/visibility.py.
"""

import dataclasses
import logging
from pathlib import PurePosixPath

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from core.edge import declare_count
from core.filetypes import KINDS
from core.http import serving as downloads
from core.page_cache import offer_facts
from news.files.pdf import PdfUnavailable, cached_pdf
from news.files.renditions import WEBP, ensure_rendition, is_size
from news.files.zip import clip_bundle
from news.models import Attachment
from news.models.visibility import PRIVATE, get_visible_clip, mark_private_if_preview, may_preview

logger = logging.getLogger(__name__)

REVALIDATE = "public, no-cache"
ONE_HOUR = "public, max-age=3600"


def _files(request, related):
    """A draft's pending photos and attachments are for staff previews of the draft only."""
    return related.all() if may_preview(request) else related.live()


def _served(stored, item, as_pdf):
    return downloads.ServedFile(
        path=stored.storage.path(stored.name),
        filename=item.pdf_name if as_pdf else (item.original_name or PurePosixPath(stored.name).name),
        content_type="application/pdf" if as_pdf else item.content_type,
        etag=item.pdf_sha256 if as_pdf else item.sha256,
        last_modified=item.updated,
        internal_name=stored.name,
    )


def serve_cached_attachment(request, meta):
    """PageCacheMiddleware's answer for an attachment of a published clip that has been
    downloaded before: the same file and headers, counted the same way, without the view's
    two lookups (core.page_cache keeps the facts until any content changes or the clip expires)."""
    served = downloads.ServedFile(**meta["served"])
    return downloads.serve_file(
        request,
        served,
        cache_control=REVALIDATE,
        on_full_download=lambda: Attachment.count_downloads(meta["attachment"], request=request),
    )


@require_safe
def attachment(request, slug, pk, as_pdf=False):
    """An attachment, or with `as_pdf` its optional PDF version (counted as a download of it)."""
    clip = get_visible_clip(request, slug)
    item = get_object_or_404(_files(request, clip.attachments), pk=pk)
    if as_pdf and not item.pdf_version:
        raise Http404("This attachment has no PDF version.")
    served = _served(item.pdf_version if as_pdf else item.file, item, as_pdf)
    public = clip.is_published() and item.is_live()
    response = downloads.serve_file(
        request,
        served,
        cache_control=REVALIDATE if public else PRIVATE,
        # Like the clip's view count, a staff preview is not a download by the public.
        on_full_download=(lambda: Attachment.count_downloads(item.pk, request=request)) if public else None,
    )
    if public:
        declare_count(response, "download", [item.pk])
        offer_facts(response, {"served": dataclasses.asdict(served), "attachment": item.pk}, expires=clip.expires_at)
    return mark_private_if_preview(response, clip)


@require_safe
def attachment_view(request, slug, pk):
    """An attachment's PDF for reading in the browser (inline): the editor's own PDF version, else
    the one made of the file (news.files.conversions); 404 while there is neither. Counted apart from
    downloads, by the same rule: a full GET by the public, never a range or a staff preview."""
    clip = get_visible_clip(request, slug)
    item = get_object_or_404(_files(request, clip.attachments).select_related("conversion"), pk=pk)
    pdf = item.browser_pdf
    if pdf is None:
        raise Http404("This attachment has no PDF to read in the browser.")
    served = downloads.ServedFile(
        path=pdf.file.storage.path(pdf.file.name),
        filename=item.pdf_name,
        content_type="application/pdf",
        as_attachment=False,
        etag=pdf.sha256,
        last_modified=item.updated if item.pdf_version else item.conversion.finished_at,
        internal_name=pdf.file.name,
    )
    public = clip.is_published() and not item.pending
    response = downloads.serve_file(
        request,
        served,
        cache_control=REVALIDATE if public else PRIVATE,
        on_full_download=(lambda: Attachment.count_pdf_view(item.pk)) if public else None,
    )
    return mark_private_if_preview(response, clip)


@require_safe
def photo(request, slug, pk, size):
    """A photo as uploaded ("original") or a rendition (news/files/renditions.py: "640", "640.webp", "large")."""
    if size != "original" and not is_size(size):
        raise Http404("Unknown photo size.")
    clip = get_visible_clip(request, slug)
    item = get_object_or_404(_files(request, clip.images), pk=pk)
    name = item.image.name
    fallback = False
    if size != "original":
        try:
            name = ensure_rendition(item, size)
        except (OSError, ValueError) as error:
            logger.warning("Photo %s: cannot make the %s rendition of %s (%s)", item.pk, size, name, error)
            if not item.image.storage.exists(name):
                raise Http404("The photo file is missing.") from None
            # The reader still gets the photo (as uploaded: larger, never a broken image), and
            # the next request tries the rendition again (the disk full, say, for a moment).
            fallback = True
    suffix = PurePosixPath(name).suffix.lower()
    kind = KINDS.get(suffix)
    served = downloads.ServedFile(
        path=item.image.storage.path(name),
        filename=f"{clip.slug}-photo-{item.pk}-{size.removesuffix(WEBP)}{suffix}",
        content_type=kind.content_type if kind else "application/octet-stream",
        as_attachment=False,
        internal_name=name,
    )
    cache_control = PRIVATE if not item.is_live() else "no-cache" if fallback else ONE_HOUR
    return mark_private_if_preview(downloads.serve_file(request, served, cache_control=cache_control), clip)


@require_safe
def bundle(request, slug):
    """Every attachment in one ZIP (core/http/bundle.py), with a size, validators and byte ranges.

    A full download raises the counter of each attachment included by one, in a
    single UPDATE when it starts (not per entry, not when the stream ends: a
    worker must not hold a database write open for the length of a download),
    by the rule single attachments follow: a range request is not a download.
    Files missing on disk are neither included nor counted, and neither are
    staff previews of unpublished clips.
    """
    clip = get_visible_clip(request, slug)
    archive = clip_bundle(clip)
    if not archive.included and not archive.missing:
        archive.close()
        raise Http404("This clip has no attachments.")

    def stream(start, length, **kwargs):
        response = StreamingHttpResponse(archive.iter_range(start, length), **kwargs)
        response._resource_closers.append(archive.close)
        return response

    response = None
    try:
        response = downloads.answer_ranges(
            request,
            size=archive.size,
            etag=quote_etag(archive.etag),
            last_modified=int(archive.last_modified.timestamp()),
            headers={
                "Content-Type": "application/zip",
                "Content-Disposition": downloads.content_disposition(f"{clip.slug}-attachments.zip"),
                "Cache-Control": REVALIDATE,
            },
            stream=stream,
            on_full_download=(
                (lambda: Attachment.count_downloads(*(entry.key for entry in archive.included), request=request))
                if archive.included and clip.is_published()
                else None
            ),
        )
    finally:
        if response is None or not response.streaming:  # nothing to stream: no file will be read
            archive.close()
    if clip.is_published():
        declare_count(response, "download", [entry.key for entry in archive.included])
    return mark_private_if_preview(response, clip)


@require_safe
def page_pdf(request, slug):
    clip = get_visible_clip(request, slug)
    photos = list(clip.images.live().select_related("photo"))
    attachments = list(clip.attachments.live())
    try:
        pdf = cached_pdf(clip, photos, attachments)
    except PdfUnavailable as unavailable:
        response = TemplateResponse(
            request, "news/pdf_unavailable.html", {"message": str(unavailable), "clip": clip}, status=503
        )
        response["Cache-Control"] = "no-store"
        if unavailable.retry_after:
            response["Retry-After"] = str(unavailable.retry_after)
        return response
    if pdf.path is None:
        # A photo file is missing: this PDF is incomplete, so no cache may keep it (and it has no ETag).
        headers = {"Content-Disposition": downloads.content_disposition(f"{clip.slug}.pdf"), "Cache-Control": PRIVATE}
        return HttpResponse(pdf.data, content_type="application/pdf", headers=headers)
    served = downloads.ServedFile(
        path=pdf.path,
        filename=f"{clip.slug}.pdf",
        content_type="application/pdf",
        etag=pdf.key,
    )
    return mark_private_if_preview(downloads.serve_file(request, served, cache_control=ONE_HOUR), clip)
