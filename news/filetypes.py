"""The file types we accept, how each is recognised by its content, and how it is labelled."""

import io
import re
import zipfile
from dataclasses import dataclass

import filetype

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: HWP, DOC, XLS, PPT


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    container: str  # what the bytes must be: pdf, cfb, zip, ooxml-word, hwpx, text, jpeg, ...


KINDS = {
    ".pdf": Kind("application/pdf", "PDF", "pdf"),
    ".hwp": Kind("application/x-hwp", "HWP", "cfb"),
    ".hwpx": Kind("application/hwp+zip", "HWPX", "hwpx"),
    ".doc": Kind("application/msword", "Word", "cfb"),
    ".xls": Kind("application/vnd.ms-excel", "Excel", "cfb"),
    ".ppt": Kind("application/vnd.ms-powerpoint", "PowerPoint", "cfb"),
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "ooxml-word"),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "ooxml-xl"),
    ".pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint", "ooxml-ppt"
    ),
    ".zip": Kind("application/zip", "ZIP", "zip"),
    ".txt": Kind("text/plain; charset=utf-8", "Text", "text"),
    ".csv": Kind("text/csv; charset=utf-8", "CSV", "text"),
    ".jpg": Kind("image/jpeg", "JPEG image", "jpeg"),
    ".jpeg": Kind("image/jpeg", "JPEG image", "jpeg"),
    ".png": Kind("image/png", "PNG image", "png"),
    ".webp": Kind("image/webp", "WebP image", "webp"),
    ".gif": Kind("image/gif", "GIF image", "gif"),
}
IMAGE_CONTAINERS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
_LABELS = {kind.content_type: kind.label for kind in KINDS.values()}
_OOXML_MAIN_FOLDER = {"ooxml-word": "word/", "ooxml-xl": "xl/", "ooxml-ppt": "ppt/"}


def label_for(content_type, name=""):
    return _LABELS.get(content_type) or (name.rsplit(".", 1)[-1].upper() if "." in name else "File")


def sniff_container(head, open_zip):
    """What the bytes are, judged only by content. `open_zip` returns a ZipFile or None."""
    if head.startswith(CFB_SIGNATURE):
        return "cfb"
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "application/pdf":
        return "pdf"
    if mime in {"image/jpeg", "image/png", "image/webp", "image/gif"}:
        return mime.split("/")[1]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        archive = open_zip()
        if archive is None:
            return "broken-zip"
        names = set(archive.namelist())
        if "mimetype" in names and _read_mimetype(archive) == b"application/hwp+zip":
            return "hwpx"
        if "[Content_Types].xml" in names:
            for container, folder in _OOXML_MAIN_FOLDER.items():
                if any(n.startswith(folder) for n in names):
                    return container
            return "ooxml-unknown"
        return "zip"
    if guess is not None:
        return f"other:{mime}"
    return "text" if looks_like_text(head) else "binary"


def _read_mimetype(archive):
    """The HWPX `mimetype` entry, read without inflating more than a few bytes of it:
    this runs before the archive's sizes are checked, so the entry may be a bomb."""
    try:
        with archive.open("mimetype") as entry:
            return entry.read(64).strip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return b""


# A "text" file that opens with a tag, or holds active markup anywhere in its first
# 4 KB, is markup: a browser that sniffs content would render it.
_MARKUP_START = re.compile(r"<\s*[a-z!?/]", re.IGNORECASE)
_ACTIVE_MARKUP = re.compile(r"<\s*(script|iframe|svg|object|embed|html|body|meta|base|form)\b", re.IGNORECASE)


def looks_like_text(head):
    if b"\x00" in head:
        return False
    sample = head[:4096]
    for encoding in ("utf-8", "cp949"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if exc.start >= len(sample) - 3:
                text = sample[: exc.start].decode(encoding, errors="ignore")
                break
    else:
        return False
    # Markup is refused even when it calls itself .txt: browsers may render it.
    # A byte-order mark or blank lines in front of it change nothing.
    stripped = text.lstrip("\ufeff \t\r\n\f\v")
    return not (_MARKUP_START.match(stripped) or _ACTIVE_MARKUP.search(text))


def open_zip_from_bytes(data):
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
