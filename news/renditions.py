"""Smaller copies of gallery photos, made on first request and kept next to the original."""

import io
import os
import tempfile
from pathlib import PurePosixPath

from django.conf import settings
from PIL import Image

SIZES = {"thumb": 480, "large": 1280}


def rendition_names(original_name):
    if not original_name:
        return []
    path = PurePosixPath(original_name)
    return [f"renditions/{path.stem}-{size}{path.suffix}" for size in SIZES]


def rendition_name(original_name, size):
    path = PurePosixPath(original_name)
    return f"renditions/{path.stem}-{size}{path.suffix}"


def ensure_rendition(photo, size):
    """Return the storage name of `photo` at `size`, making it if it does not exist yet."""
    storage = photo.image.storage
    name = rendition_name(photo.image.name, size)
    if storage.exists(name):
        return name
    width = SIZES[size]
    with storage.open(photo.image.name, "rb") as source, Image.open(source) as image:
        image_format = image.format
        if image.width > width:
            image.thumbnail((width, width * 10))
        output = io.BytesIO()
        if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
            image = image.convert("RGB")
        image.save(output, format=image_format, **({"quality": 82} if image_format in {"JPEG", "WEBP"} else {}))
    # Two workers (or two threads of one) may race to make the same rendition: each
    # writes a temporary file of its own and renames it into place, so a reader never
    # sees half a file.
    path = storage.path(name)
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".rendition-", delete=False) as handle:
        handle.write(output.getvalue())
    try:
        os.chmod(handle.name, settings.FILE_UPLOAD_PERMISSIONS or 0o644)
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise
    return name
