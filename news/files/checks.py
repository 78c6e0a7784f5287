"""Checks every uploaded file passes before it is stored.

An upload is accepted only when its extension, the type its bytes show and (for
images) the format Pillow decodes agree, and it is within the size limits.
Images are re-encoded, so trailing bytes and metadata (EXIF location included)
never reach storage.
"""

import dataclasses
import io
import logging
import stat
import threading
import warnings
import zipfile
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageFile, ImageOps

from core.filetypes import (
    ARCHIVE_CONTAINERS,
    IMAGE_CONTAINERS,
    KINDS,
    ZIP_SIGNATURES,
    describe,
    open_zip,
    sniff_container,
    text_charset,
)
from core.http.serving import clean_download_name

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 200
_EXECUTABLE_SUFFIXES = {
    ".exe",
    ".com",
    ".bat",
    ".cmd",
    ".scr",
    ".msi",
    ".dll",
    ".js",
    ".vbs",
    ".ps1",
    ".sh",
    ".jar",
    ".html",
    ".htm",
    ".svg",
    ".xhtml",
    ".php",
    ".py",
    ".hta",
    ".lnk",
}


def clean_original_name(name):
    """The uploader's file name as data: NFC, no directories, no invisible or control characters."""
    if "\x00" in (name or ""):
        raise ValidationError("The file name contains a NUL character.", code="name_control")
    name = clean_download_name(name, default="")
    if not name:
        raise ValidationError("The file has no usable name.", code="name_empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            f"The file name is {len(name)} characters long; please shorten it to {MAX_NAME_LENGTH} or fewer.",
            code="name_too_long",
        )
    stem_suffixes = [s.lower() for s in PurePosixPath(name).suffixes[:-1]]
    if any(s in _EXECUTABLE_SUFFIXES for s in stem_suffixes):
        raise ValidationError("File names with a hidden second extension are not accepted.", code="double_ext")
    return name


PHOTO_TYPES = "Upload a JPEG, PNG, WebP or GIF photo."
# Refused by name whatever their content, with what to do instead.
_SCRIPTABLE = {
    ".svg": "SVG images can carry scripts and are not accepted; export the picture as PNG or JPEG.",
    ".html": "Web pages can carry scripts and are not accepted; save the page as PDF and attach that.",
    ".htm": "Web pages can carry scripts and are not accepted; save the page as PDF and attach that.",
}


def _refuse_scriptable(name):
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in _SCRIPTABLE:
        raise ValidationError(_SCRIPTABLE[suffix], code="scriptable")


def _wrong_type(uploaded, suffix, found, *, photo, code):
    """The refusal of a file whose content is not what its name says, worded so an editor can act on it."""
    what, right = describe(found, uploaded.read(1024))
    uploaded.seek(0)
    if what == "an SVG drawing":
        return ValidationError(_SCRIPTABLE[".svg"], code="scriptable")
    if photo and not (right in KINDS and KINDS[right].container in IMAGE_CONTAINERS):
        return ValidationError(f"This file is {what}, not a photo. {PHOTO_TYPES}", code=code)
    expected = KINDS[suffix].label if suffix in KINDS else suffix
    if right is None:
        return ValidationError(
            f"This file is {what}, but its name ends in “{suffix}”. It cannot be accepted; choose the {expected} file.",
            code=code,
        )
    return ValidationError(
        f"This file is {what}, but its name ends in “{suffix}”. Rename it to “{right}” or choose the {expected} file.",
        code=code,
    )


def _check_size(uploaded, limit, what):
    if uploaded.size > limit:
        raise ValidationError(
            f"The {what} is {filesizeformat(uploaded.size)}; the limit is {filesizeformat(limit)}.",
            code="too_large",
        )


# The uploaded archive is level 1; archives inside it are inspected down to this level,
# and one nested deeper is refused (nobody publishes a ZIP in a ZIP in a ZIP in a ZIP).
MAX_ARCHIVE_DEPTH = 3


def inspect_archive(archive):
    """Refuse ZIP bombs, path tricks and programs without extracting anything.

    Archives inside the archive (a ZIP of ZIPs, a DOCX with an embedded XLSX) are
    inspected too, to MAX_ARCHIVE_DEPTH, and every level counts towards the same
    limits on entries and expanded size.
    """
    _inspect_archive(archive, depth=1, totals={"entries": 0, "bytes": 0})


def _inspect_archive(archive, depth, totals):
    entries = archive.infolist()
    totals["entries"] += len(entries)
    totals["bytes"] += sum(entry.file_size for entry in entries)
    inside = " (counting the archives inside it)" if depth > 1 else ""
    if totals["entries"] > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
        raise ValidationError(
            f"The archive holds {totals['entries']} entries{inside}; "
            f"the limit is {settings.UPLOAD_MAX_ARCHIVE_ENTRIES}.",
            code="archive_entries",
        )
    if totals["bytes"] > settings.UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES:
        raise ValidationError(
            f"The archive expands to {filesizeformat(totals['bytes'])}{inside}; the limit is "
            f"{filesizeformat(settings.UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES)}.",
            code="archive_size",
        )
    for entry in entries:
        name = entry.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            raise ValidationError(f"The archive has an unsafe entry path: {name!r}.", code="archive_path")
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise ValidationError(f"The archive holds a symbolic link: {name!r}.", code="archive_symlink")
        if PurePosixPath(name).suffix.lower() in _EXECUTABLE_SUFFIXES:
            raise ValidationError(
                f"The archive holds a program or web page, which is not accepted: {name!r}.", code="archive_type"
            )
    for entry in entries:
        if entry.is_dir() or not _starts_like_zip(archive, entry):
            continue
        if depth >= MAX_ARCHIVE_DEPTH:
            raise ValidationError(
                f"The archive holds archives nested more than {MAX_ARCHIVE_DEPTH} deep: {entry.filename!r}.",
                code="archive_depth",
            )
        with archive.open(entry) as member:  # seekable: read in place, never extracted to disk
            nested = open_zip(member)
            if nested is None:
                raise ValidationError(
                    f"The archive holds a damaged archive: {entry.filename!r}.", code="archive_nested"
                )
            _inspect_archive(nested, depth + 1, totals)


def _starts_like_zip(archive, entry):
    try:
        with archive.open(entry) as member:
            return member.read(4).startswith(ZIP_SIGNATURES)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return False  # encrypted or damaged: nothing inside it can be read, by us or by readers


def check_attachment(uploaded):
    """Validate an attachment upload. Returns (clean original name, Kind, file to store)."""
    name = clean_original_name(uploaded.name)
    _refuse_scriptable(name)
    suffix = PurePosixPath(name).suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        allowed = ", ".join(sorted({k.label for k in KINDS.values()}))
        raise ValidationError(
            f"“{suffix or name}” files are not accepted. Allowed: {allowed}.", code="type_not_allowed"
        )
    limit = settings.UPLOAD_MAX_IMAGE_BYTES if kind.container in IMAGE_CONTAINERS else None
    _check_size(uploaded, limit or settings.UPLOAD_MAX_ATTACHMENT_BYTES, "file")
    if uploaded.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    found = sniff_container(uploaded)
    if found != kind.container:
        raise _wrong_type(uploaded, suffix, found, photo=False, code="type_mismatch")
    if found in IMAGE_CONTAINERS:
        return name, kind, reencode_image(uploaded, expected_format=IMAGE_CONTAINERS[found])
    if found in ARCHIVE_CONTAINERS:
        inspect_archive(open_zip(uploaded))
        uploaded.seek(0)
    if found == "text":
        charset = text_charset(uploaded)
        if charset is None:
            raise ValidationError(
                "The text file is neither UTF-8 nor Korean (CP949/EUC-KR) text. Save it as UTF-8 and upload it again.",
                code="text_charset",
            )
        kind = dataclasses.replace(kind, content_type=f"{kind.content_type}; charset={charset}")
    return name, kind, uploaded


def check_photo(uploaded):
    """Validate a gallery photo. Returns the re-encoded file to store."""
    name = clean_original_name(uploaded.name)
    _refuse_scriptable(name)
    _check_size(uploaded, settings.UPLOAD_MAX_IMAGE_BYTES, "photo")
    suffix = PurePosixPath(name).suffix.lower()
    kind = KINDS.get(suffix)
    found = sniff_container(uploaded)
    if kind is None or kind.container not in IMAGE_CONTAINERS or found != kind.container:
        raise _wrong_type(uploaded, suffix, found, photo=True, code="photo_type")
    return reencode_image(uploaded, expected_format=IMAGE_CONTAINERS[found])


_strict_decoding_lock = threading.Lock()


@contextmanager
def _strict_decoding():
    """Make Pillow refuse truncated images while we decode an upload.

    `ImageFile.LOAD_TRUNCATED_IMAGES` is process-wide, and WeasyPrint sets it to True
    when imported (news/files/pdf.py), which would let half an image through. Only images
    we decoded in full are ever stored, so WeasyPrint loses nothing meanwhile.
    """
    with _strict_decoding_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def reencode_image(uploaded, expected_format):
    """Decode fully (catching truncation and bombs), apply orientation, drop metadata."""
    uploaded.seek(0)
    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(uploaded, formats=[expected_format])
            frames = getattr(image, "n_frames", 1)
            if image.width * image.height * frames > settings.UPLOAD_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"The image is too large ({image.width}×{image.height} pixels, {frames} frame(s)).",
                    code="image_pixels",
                )
            image.load()
            original_name = getattr(uploaded, "name", "image")
            output = io.BytesIO()
            if expected_format == "GIF" and frames > 1:
                image.save(output, format="GIF", save_all=True, optimize=False)
            else:
                image = ImageOps.exif_transpose(image)
                if expected_format == "JPEG" and image.mode not in {"RGB", "L"}:
                    image = image.convert("RGB")
                options = {"quality": 90, "optimize": True} if expected_format in {"JPEG", "WEBP"} else {}
                image.save(output, format=expected_format, **options)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError("The image has too many pixels to be processed safely.", code="image_pixels") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        logger.info("Refused an image upload: %s", exc)
        raise ValidationError("The image is damaged or incomplete and cannot be used.", code="image_broken") from None
    return ContentFile(output.getvalue(), name=PurePosixPath(original_name).name)
