"""Smaller copies of gallery photos, in the original format and in WebP, made on first request
and kept next to the original.

A rendition is named by a size token: a width from `WIDTHS` ("640"), or one of the old names
"thumb" (480) and "large" (1280) that the PDF, share previews and admin still use; ".webp" after
the token asks for WebP ("640.webp"). A rendition is never wider than the original: asking a
900 px photo for 1280 gives 900 px. `srcset()` offers only the widths that differ, so a browser
never fetches two copies of the same pixels.

Each rendition is made once. The first request for it takes an exclusive `flock` on the photo's
lock file; a second worker (or thread) asking at the same time waits on that lock, then finds the
finished file and serves it. The file itself is written to a temporary name and renamed into
place, so a reader never sees half a file, even one that did not take the lock.
"""

import fcntl
import io
import os
import tempfile
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.conf import settings
from PIL import Image

WIDTHS = (320, 480, 640, 960, 1280)
ALIASES = {"thumb": 480, "large": 1280}
WEBP = ".webp"
WEBP_QUALITY = 80
JPEG_QUALITY = 82
# The kept names of the first release ("-thumb", "-large"), removed with the photo like the others.
_LEGACY = ("thumb", "large")


class UnknownSize(ValueError):
    pass


def parse_size(token):
    """(width, as_webp) for a size token, or UnknownSize."""
    as_webp = token.endswith(WEBP)
    name = token[: -len(WEBP)] if as_webp else token
    if name in ALIASES:
        return ALIASES[name], as_webp
    if name.isascii() and name.isdigit() and not name.startswith("0") and int(name) in WIDTHS:
        return int(name), as_webp
    raise UnknownSize(token)


def is_size(token):
    try:
        parse_size(token)
    except UnknownSize:
        return False
    return True


def rendition_name(original_name, width, as_webp=False):
    path = PurePosixPath(original_name)
    return f"renditions/{path.stem}-{width}{WEBP if as_webp else path.suffix}"


def _lock_name(original_name):
    return f"renditions/.{PurePosixPath(original_name).stem}.lock"


def rendition_names(original_name):
    """Every file that may be kept for this photo besides the original, to remove it with the photo."""
    if not original_name:
        return []
    path = PurePosixPath(original_name)
    names = [rendition_name(original_name, width, webp) for width in WIDTHS for webp in (False, True)]
    names += [f"renditions/{path.stem}-{legacy}{path.suffix}" for legacy in _LEGACY]
    return [*names, _lock_name(original_name)]


def srcset_widths(photo_width):
    """(size token, real width) pairs for a srcset: every width below the original, then one
    rendition as wide as the original allows (capped at the largest width)."""
    if photo_width <= 0:
        return [(str(WIDTHS[-1]), WIDTHS[-1])]
    pairs = [(str(w), w) for w in WIDTHS if w < photo_width]
    if photo_width >= WIDTHS[-1]:
        if not pairs or pairs[-1][1] != WIDTHS[-1]:
            pairs.append((str(WIDTHS[-1]), WIDTHS[-1]))
    else:
        cap = next(w for w in WIDTHS if w >= photo_width)
        pairs.append((str(cap), photo_width))
    return pairs


@contextmanager
def _locked(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_rendition(photo, size):
    """Return the storage name of `photo` at `size` (a token, see `parse_size`), making it if it
    does not exist yet. UnknownSize (a ValueError) for a token that names no size."""
    width, as_webp = parse_size(size)
    storage = photo.image.storage
    name = rendition_name(photo.image.name, width, as_webp)
    if storage.exists(name):
        return name
    with _locked(storage.path(_lock_name(photo.image.name))):
        if not storage.exists(name):  # made by whoever held the lock before us
            _write(storage.path(name), _render(photo, width, as_webp))
    return name


def _render(photo, width, as_webp):
    with photo.image.storage.open(photo.image.name, "rb") as source, Image.open(source) as image:
        image_format = "WEBP" if as_webp else image.format
        if image.width > width:  # never upscaled
            image.thumbnail((width, width * 10))
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        elif image_format == "WEBP" and image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "transparency" in image.info or "A" in image.mode else "RGB")
        options = {"JPEG": {"quality": JPEG_QUALITY}, "WEBP": {"quality": WEBP_QUALITY, "method": 4}}
        output = io.BytesIO()
        image.save(output, format=image_format, **options.get(image_format, {}))
    return output.getvalue()


def _write(path, data):
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".rendition-", delete=False) as handle:
        handle.write(data)
    try:
        os.chmod(handle.name, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise
