"""The clip page as an A4 PDF ("Download page"), rendered by WeasyPrint and cached per revision.

Rendering takes seconds (Hangul fonts are large), so each revision of a clip
is rendered once and kept in settings.PDF_CACHE_ROOT under a name made from
everything the PDF shows. An edit to the clip, a photo or an attachment gives
a new name, so the next request renders afresh; nothing has to purge the cache.
"""

import hashlib
import logging
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import get_template, render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .renditions import ensure_rendition

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "news/clip_pdf.html"


@lru_cache(maxsize=1)
def _template_fingerprint():
    # A deploy that changes the layout must not keep serving PDFs in the old one.
    template = get_template(TEMPLATE_NAME).template
    return hashlib.sha256(template.source.encode()).hexdigest()


def pdf_cache_key(clip, photos, attachments):
    """A hash of everything the PDF shows; the download count is deliberately left out."""
    parts = [
        _template_fingerprint(),
        settings.SITE_URL,
        clip.pk,
        clip.updated.isoformat(),
        *[(p.pk, p.updated.isoformat(), p.image.name, p.caption, p.alt_text) for p in photos],
        *[(a.pk, a.updated.isoformat(), a.title, a.original_name, a.size) for a in attachments],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _allowed_roots():
    roots = [settings.PROTECTED_MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    return [Path(root).resolve() for root in roots]


class LocalFilesOnly(URLFetcher):
    """Lets WeasyPrint read photos from protected storage and static files, nothing else.

    The body is editor HTML: without this, an <img src> pointing at an intranet
    address or /etc/passwd would be fetched by the server while rendering.
    """

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in {"", "localhost"}:
            raise ValueError(f"PDF rendering refused a non-local resource: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in _allowed_roots()):
            raise ValueError(f"PDF rendering refused a file outside the allowed folders: {url}")
        return super().fetch(path.as_uri(), headers)


def _photo_files(photos):
    """(photo, file URI) of each photo's "large" rendition; a photo whose file is gone is left out."""
    result = []
    for photo in photos:
        try:
            name = ensure_rendition(photo, "large")
        except (OSError, ValueError):
            logger.warning("PDF: photo %s (%s) has no usable image file", photo.pk, photo.image.name)
            continue
        result.append((photo, Path(photo.image.storage.path(name)).as_uri()))
    return result


def render_pdf(clip, photos, attachments):
    html = render_to_string(
        TEMPLATE_NAME,
        {
            "clip": clip,
            "photos": _photo_files(photos),
            "attachments": attachments,
            "canonical_url": settings.SITE_URL + clip.get_absolute_url(),
        },
    )
    return HTML(string=html, url_fetcher=LocalFilesOnly(allowed_protocols=["file"])).write_pdf()


def cached_pdf(clip, photos, attachments):
    """Path of the clip's PDF for this revision, rendering it on the first request.

    Concurrent first requests may each render, but each writes its own temporary
    file and renames it into place, so nobody reads half a PDF. Once a revision
    is in place, the clip's earlier revisions are removed.
    """
    root = Path(settings.PDF_CACHE_ROOT)
    key = pdf_cache_key(clip, photos, attachments)
    path = root / f"clip-{clip.pk}-{key}.pdf"
    if path.exists():
        return path, key
    root.mkdir(parents=True, exist_ok=True)
    data = render_pdf(clip, photos, attachments)
    descriptor, tmp_name = tempfile.mkstemp(dir=root, prefix=f".clip-{clip.pk}-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        # mkstemp makes the file owner-only; a front server sending it (X-Sendfile) may need to read it.
        os.chmod(tmp_name, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    for older in root.glob(f"clip-{clip.pk}-*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
    return path, key
