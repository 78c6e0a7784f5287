"""Smaller copies of gallery photos, made on first request and kept next to the original."""

import io
import os
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
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
    # Two workers may race to make the same rendition: each writes a temporary
    # file and renames it into place, so a reader never sees half a file.
    path = storage.path(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as handle:
        handle.write(ContentFile(output.getvalue()).read())
    os.replace(tmp, path)
    return name
