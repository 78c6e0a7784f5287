"""The clip page as an A4 PDF ("Download page"), rendered by WeasyPrint and cached per revision.

Rendering takes seconds (Hangul fonts are large), so each revision of a clip
is rendered once and kept in settings.PDF_CACHE_ROOT under a name made from
everything that shapes the PDF: the clip, the photo files actually embedded,
the attachments, the template (with its stylesheet) and the bundled fonts. A
change to any of them gives a new name, so the next request renders afresh.
A PDF made while a photo file is missing is served but never kept, so it
cannot outlive the problem.
"""

import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import get_template, render_to_string

from core.structured_data import author
from news.files.pdf_worker import PDF_VARIANT
from news.files.renditions import ensure_rendition

logger = logging.getLogger(__name__)

TEMPLATE_NAME = "news/clip_pdf.html"
WORKER = Path(__file__).with_name("pdf_worker.py")
LOCKS = ".locks"
# A revision whose render ran out of time is not tried again for this long (each try costs a
# whole PDF_RENDER_SECONDS of CPU); an edit makes a new revision, tried at once.
FAILED_RENDER_SECONDS = 3600
# Tagged PDF/UA-1 (PDF_VARIANT): a structure tree screen readers follow, the language and the title shown.
# Subsets of Noto Sans CJK KR (static/fonts/README.md): the PDF must not depend on the server's fonts.
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
            (p.pk, p.updated.isoformat(), p.image.name, p.caption, p.credit, p.alt_text, _version(path))
            for p, path in photo_files
        ],
        *[(a.pk, a.updated.isoformat(), a.title, a.original_name, a.size) for a in attachments],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def allowed_roots():
    """The folders the renderer may read: photos (protected storage) and static files (the fonts)."""
    roots = [settings.PROTECTED_MEDIA_ROOT, settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    return [str(Path(root).resolve()) for root in roots if root]


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
    return render_in_subprocess(html)


class PdfUnavailable(Exception):
    """No PDF for the reader this time; the message is for them. `retry_after` (seconds) when
    trying again soon will help."""

    retry_after = None


class PdfBusy(PdfUnavailable):
    retry_after = 10

    def __init__(self):
        super().__init__("This page's PDF is being made for another reader. Please try again in a few seconds.")


class PdfTooSlow(PdfUnavailable):
    def __init__(self):
        super().__init__(
            "This page is too long to make into a PDF in reasonable time. "
            "Use your browser's Print command (Save as PDF) instead."
        )


def render_in_subprocess(html):
    """The PDF of `html`, rendered by news/pdf_worker.py in a process of its own that is killed
    after PDF_RENDER_SECONDS (PdfTooSlow): a thread cannot be stopped, a process can, and the
    worker serving the request is free again at once. A fresh interpreter, not a fork: a fork of a
    threaded gunicorn worker can inherit a lock another thread held (Pango's, the logging's). It
    costs half a second of CPU per render (importing WeasyPrint), once per revision of a clip."""
    root = Path(settings.PDF_CACHE_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    seconds = settings.PDF_RENDER_SECONDS
    descriptor, output = tempfile.mkstemp(dir=root, prefix=".render-", suffix=".tmp")
    os.close(descriptor)
    command = [sys.executable, str(WORKER), output, str(seconds), str(settings.PDF_RENDER_MEMORY_MB), *allowed_roots()]
    try:
        try:
            finished = subprocess.run(command, input=html.encode(), capture_output=True, timeout=seconds, check=False)
        except subprocess.TimeoutExpired:  # run() has killed it
            logger.warning("PDF: rendering took longer than %s s and was stopped", seconds)
            raise PdfTooSlow() from None
        if finished.returncode < 0:  # stopped by its own CPU or memory limit
            logger.warning("PDF: the renderer was stopped by signal %s", -finished.returncode)
            raise PdfTooSlow()
        if finished.returncode != 0:
            raise RuntimeError(f"PDF rendering failed: {finished.stderr.decode(errors='replace')[-2000:]}")
        return Path(output).read_bytes()
    finally:
        Path(output).unlink(missing_ok=True)


@contextmanager
def render_lock(clip_pk):
    """One render per clip at a time, across threads, workers and instances sharing PDF_CACHE_ROOT
    (an exclusive flock, as for photo renditions). Waits up to PDF_LOCK_WAIT_SECONDS for another
    render of the clip to finish, then gives up with PdfBusy."""
    folder = Path(settings.PDF_CACHE_ROOT) / LOCKS
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"clip-{clip_pk}.lock", "a") as handle:
        give_up = time.monotonic() + settings.PDF_LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= give_up:
                    raise PdfBusy() from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class PagePdf:
    """The cached file (`path`, with `key` as its ETag), or, when a photo is missing, only the bytes."""

    key: str = ""
    path: Path | None = None
    data: bytes = b""


def cached_pdf(clip, photos, attachments):
    """The clip's PDF for this revision, rendering it on the first request.

    Renders one at a time per clip (`render_lock`): a request arriving during a render waits for
    it and serves its file, or, after PDF_LOCK_WAIT_SECONDS, gets PdfBusy. A render stopped at its
    time limit is remembered for this revision (PdfTooSlow at once, without rendering again) for
    FAILED_RENDER_SECONDS. The file is written to a temporary name and renamed into place, so
    nobody reads half a PDF. Once a revision is in place, the clip's earlier revisions are removed.
    """
    fonts = font_files()
    photo_files, incomplete = _photo_files(photos)
    root = Path(settings.PDF_CACHE_ROOT)
    key = pdf_cache_key(clip, photo_files, attachments, fonts)
    path = root / f"clip-{clip.pk}-{key}.pdf"
    failed = root / f"clip-{clip.pk}-{key}.failed"
    if path.exists() and not incomplete:
        return PagePdf(key=key, path=path)
    with render_lock(clip.pk):
        if path.exists() and not incomplete:  # rendered while this request waited
            return PagePdf(key=key, path=path)
        if failed.exists() and time.time() - failed.stat().st_mtime < FAILED_RENDER_SECONDS:
            raise PdfTooSlow()
        try:
            data = render_pdf(clip, photo_files, attachments, fonts)
        except PdfTooSlow:
            failed.touch()
            raise
        if incomplete:
            # Never cached: once the file is back, the next request renders the whole PDF.
            return PagePdf(data=data)
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
    root = Path(settings.PDF_CACHE_ROOT)
    for older in [*root.glob(f"clip-{clip_pk}-*.pdf"), *root.glob(f"clip-{clip_pk}-*.failed")]:
        if older == keep:
            continue
        try:
            older.unlink(missing_ok=True)
        except OSError:
            logger.warning("Could not remove the cached PDF %s", older, exc_info=True)
