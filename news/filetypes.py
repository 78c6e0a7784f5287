"""The file types we accept, how each is recognised by its content, and how it is labelled."""

import io
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
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "ooxml-word"
    ),
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
        if "mimetype" in names and archive.read("mimetype")[:64].strip() == b"application/hwp+zip":
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
    lowered = text.lstrip().lower()
    # Markup is refused even when it calls itself .txt: browsers may render it.
    return not lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


def open_zip_from_bytes(data):
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
