"""The clip page as an A4 PDF ("Download page"), rendered by WeasyPrint and cached per revision.

Rendering takes seconds (Hangul fonts are large), so each revision of a clip
is rendered once and kept in settings.PDF_CACHE_ROOT under a name made from
everything that shapes the PDF: the clip, the photo files actually embedded,
the attachments, the template (with its stylesheet) and the bundled fonts. A
change to any of them gives a new name, so the next request renders afresh.
A PDF made while a photo file is missing is served but never kept, so it
cannot outlive the problem.
"""

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template, render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .renditions import ensure_rendition
from .structured_data import author

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "news/clip_pdf.html"
# Subsets of Noto Sans CJK KR (static/fonts/README.md): the PDF must not depend on the server's fonts.
# Tagged PDF/UA-1: a structure tree screen readers follow, the language and the title shown.
PDF_VARIANT = "pdf/ua-1"
FONTS = {"regular": "fonts/NotoSansCJKkr-Regular-subset.woff2", "bold": "fonts/NotoSansCJKkr-Bold-subset.woff2"}


def font_files():
    """{"regular": path, "bold": path} of the bundled fonts, found like any static file."""
    found = {}
    for weight, name in FONTS.items():
        path = finders.find(name)
        if path is None:
            raise ImproperlyConfigured(f"The PDF font static/{name} is missing.")
        found[weight] = Path(path)
    return found


@lru_cache(maxsize=16)
def _file_digest(path, size, mtime_ns):
    # Keyed on the file's size and mtime too, so a replaced file is read again, an unchanged one once.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _version(path):
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _design_fingerprint(fonts):
    """The template (which holds the stylesheet) and the font files: a deploy changing them re-renders."""
    source = get_template(TEMPLATE_NAME).template.source
    return [hashlib.sha256(source.encode()).hexdigest(), *(_file_digest(str(p), *_version(p)) for p in fonts.values())]


def pdf_cache_key(clip, photo_files, attachments, fonts):
    """A hash of everything the PDF shows; the download count is deliberately left out.

    `photo_files` are the (photo, path) pairs actually embedded: the rendition file's
    size and mtime stand for the version of the picture.
    """
    parts = [
        PDF_VARIANT,
        _design_fingerprint(fonts),
        settings.SITE_URL,
        clip.pk,
        clip.updated.isoformat(),
        # The department is edited on its own row; its name shows in the PDF.
        clip.department.name if clip.department else "",
        *[
            (p.pk, p.updated.isoformat(), p.image.name, p.caption, p.alt_text, _version(path))
            for p, path in photo_files
        ],
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
    """(photo, path) of each photo's "large" rendition, and whether any photo had to be left out."""
    result = []
    for photo in photos:
        try:
            name = ensure_rendition(photo, "large")
        except (OSError, ValueError):
            logger.warning("PDF: photo %s (%s) has no usable image file", photo.pk, photo.image.name)
            continue
        result.append((photo, Path(photo.image.storage.path(name))))
    return result, len(result) < len(photos)


def render_pdf(clip, photo_files, attachments, fonts):
    html = render_to_string(
        TEMPLATE_NAME,
        {
            "clip": clip,
            "photos": [(photo, path.as_uri()) for photo, path in photo_files],
            "attachments": attachments,
            "canonical_url": settings.SITE_URL + clip.get_absolute_url(),
            "author": author(clip)["name"],
            "fonts": {weight: path.as_uri() for weight, path in fonts.items()},
        },
    )
    return HTML(string=html, url_fetcher=LocalFilesOnly(allowed_protocols=["file"])).write_pdf(pdf_variant=PDF_VARIANT)


@dataclass(frozen=True)
class PagePdf:
    """The cached file (`path`, with `key` as its ETag), or, when a photo is missing, only the bytes."""

    key: str = ""
    path: Path | None = None
    data: bytes = b""


def cached_pdf(clip, photos, attachments):
    """The clip's PDF for this revision, rendering it on the first request.

    Concurrent first requests may each render, but each writes its own temporary
    file and renames it into place, so nobody reads half a PDF. Once a revision
    is in place, the clip's earlier revisions are removed.
    """
    fonts = font_files()
    photo_files, incomplete = _photo_files(photos)
    if incomplete:
        # Never cached: once the file is back, the next request renders the whole PDF.
        return PagePdf(data=render_pdf(clip, photo_files, attachments, fonts))
    root = Path(settings.PDF_CACHE_ROOT)
    key = pdf_cache_key(clip, photo_files, attachments, fonts)
    path = root / f"clip-{clip.pk}-{key}.pdf"
    if path.exists():
        return PagePdf(key=key, path=path)
    root.mkdir(parents=True, exist_ok=True)
    data = render_pdf(clip, photo_files, attachments, fonts)
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
    remove_cached_pdfs(clip.pk, keep=path)
    return PagePdf(key=key, path=path)


def remove_cached_pdfs(clip_pk, keep=None):
    """Remove the clip's cached PDFs but `keep`; a file that cannot be removed is only logged."""
    for older in Path(settings.PDF_CACHE_ROOT).glob(f"clip-{clip_pk}-*.pdf"):
        if older == keep:
            continue
        try:
            older.unlink(missing_ok=True)
        except OSError:
            logger.warning("Could not remove the cached PDF %s", older, exc_info=True)
