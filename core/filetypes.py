"""The one file-type table: the types we accept (`KINDS`), how each is recognised by its content
(`sniff_container`), how it is labelled, and what any file is, in words, when it is refused (`describe`)."""

import codecs
import logging
import re
import zipfile
from dataclasses import dataclass

import filetype
import olefile

logger = logging.getLogger(__name__)

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: HWP, DOC, XLS, PPT
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
HWP_SIGNATURE = b"HWP Document File"


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str
    container: str  # what the bytes must be: pdf, hwp, doc, zip, ooxml-word, hwpx, text, jpeg, ...
    # Which converter makes a PDF of it for reading in the browser (core.conversion.CONVERTERS): "" for none.
    converter: str = ""


KINDS = {
    ".pdf": Kind("application/pdf", "PDF", "pdf"),
    ".hwp": Kind("application/x-hwp", "HWP", "hwp", "hwp"),
    ".hwpx": Kind("application/hwp+zip", "HWPX", "hwpx", "hwp"),
    ".doc": Kind("application/msword", "Word", "doc", "writer"),
    ".xls": Kind("application/vnd.ms-excel", "Excel", "xls", "calc"),
    ".ppt": Kind("application/vnd.ms-powerpoint", "PowerPoint", "ppt", "impress"),
    ".docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word", "ooxml-word", "writer"
    ),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel", "ooxml-xl", "calc"),
    ".pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint",
        "ooxml-ppt",
        "impress",
    ),
    ".odt": Kind("application/vnd.oasis.opendocument.text", "ODF text", "odf-text", "writer"),
    ".ods": Kind("application/vnd.oasis.opendocument.spreadsheet", "ODF spreadsheet", "odf-spreadsheet", "calc"),
    ".odp": Kind("application/vnd.oasis.opendocument.presentation", "ODF presentation", "odf-presentation", "impress"),
    ".zip": Kind("application/zip", "ZIP", "zip"),
    # Text is stored with the charset its bytes turn out to have (`text_charset`).
    ".txt": Kind("text/plain", "Text", "text"),
    ".csv": Kind("text/csv", "CSV", "text"),
    ".jpg": Kind("image/jpeg", "JPEG image", "jpeg"),
    ".jpeg": Kind("image/jpeg", "JPEG image", "jpeg"),
    ".png": Kind("image/png", "PNG image", "png"),
    ".webp": Kind("image/webp", "WebP image", "webp"),
    ".gif": Kind("image/gif", "GIF image", "gif"),
}
IMAGE_CONTAINERS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}
ARCHIVE_CONTAINERS = {
    "zip",
    "hwpx",
    "ooxml-word",
    "ooxml-xl",
    "ooxml-ppt",
    *(f"odf-{k}" for k in ("text", "spreadsheet", "presentation")),
}
_LABELS = {kind.content_type: kind.label for kind in KINDS.values()}
_CONVERTERS = {kind.content_type: kind.converter for kind in KINDS.values() if kind.converter}
# An ODF package names its kind in its first entry, `mimetype` (ODF 1.2, part 3, 3.3).
_ODF_MIMETYPES = {
    kind.content_type.encode(): kind.container for kind in KINDS.values() if kind.container.startswith("odf-")
}
# What the bytes of each container `sniff_container` names are, in words: "This file is a Word
# 97–2003 document". The damaged and ambiguous ones too; the name a file should have comes from KINDS.
DESCRIPTIONS = {
    "pdf": "a PDF document",
    "hwp": "an HWP document",
    "doc": "a Word 97–2003 document",
    "xls": "an Excel 97–2003 workbook",
    "ppt": "a PowerPoint 97–2003 presentation",
    "cfb": "an HWP or Office 97–2003 file that is damaged or of another kind",
    "broken-cfb": "an HWP or Office 97–2003 file that is damaged or of another kind",
    "broken-zip": "a damaged ZIP archive",
    "hwpx": "an HWPX document",
    "ooxml-word": "a Word document",
    "ooxml-xl": "an Excel workbook",
    "ooxml-ppt": "a PowerPoint presentation",
    "odf-text": "an ODF text document",
    "odf-spreadsheet": "an ODF spreadsheet",
    "odf-presentation": "an ODF presentation",
    "zip": "a ZIP archive",
    "text": "plain text",
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "webp": "a WebP image",
    "gif": "a GIF image",
}
# The name ending a file of each accepted container should have: the first in KINDS.
_SUFFIXES = {}
for _suffix, _kind in KINDS.items():
    _SUFFIXES.setdefault(_kind.container, _suffix)
# Each OOXML format keeps its main part at a fixed name inside the package.
_OOXML_MAIN_PART = {
    "ooxml-word": "word/document.xml",
    "ooxml-xl": "xl/workbook.xml",
    "ooxml-ppt": "ppt/presentation.xml",
}
# Each legacy Office format keeps its content in a stream of its own name ([MS-DOC], [MS-XLS], [MS-PPT]);
# Excel 5/95 files call theirs "Book".
_OLE_MAIN_STREAMS = {"doc": ["WordDocument"], "xls": ["Workbook", "Book"], "ppt": ["PowerPoint Document"]}


def label_for(content_type, name=""):
    base = (content_type or "").split(";")[0].strip()
    return _LABELS.get(base) or (name.rsplit(".", 1)[-1].upper() if "." in name else "File")


def converter_for(content_type):
    """The converter that makes a browser-readable PDF of a stored file of this type ("" for none)."""
    return _CONVERTERS.get((content_type or "").split(";")[0].strip(), "")


def describe(container, head):
    """(what a file is, in words; the name ending it should have, or None if we accept no such file).

    `container` is what `sniff_container` found, `head` the file's first bytes (for the kinds
    we refuse: drawings, web pages, programs)."""
    if container in DESCRIPTIONS:
        return DESCRIPTIONS[container], _SUFFIXES.get(container)
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in head:
        return "an SVG drawing", None
    if head.startswith((b"<!doctype", b"<html", b"<script", b"<body")) or b"<script" in head:
        return "a web page (HTML)", None
    if container == "other:application/x-msdownload" or head.startswith(b"mz"):
        return "a Windows program", None
    if container.startswith("other:image/"):
        return f"a {container.removeprefix('other:image/').upper()} image", None
    return "not a file type we accept", None


def open_zip(file):
    """`file` as a ZipFile, or None when it is not a readable ZIP."""
    try:
        file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def sniff_container(file):
    """What the bytes of `file` (seekable, binary) are, judged only by content."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(CFB_SIGNATURE):
        return _ole_container(file)
    guess = filetype.guess(head)
    mime = guess.mime if guess else ""
    if mime == "application/pdf":
        return "pdf"
    if mime in {"image/jpeg", "image/png", "image/webp", "image/gif"}:
        return mime.split("/")[1]
    if head.startswith(ZIP_SIGNATURES):
        archive = open_zip(file)
        if archive is None:
            return "broken-zip"
        names = set(archive.namelist())
        mimetype = _read_mimetype(archive) if "mimetype" in names else b""
        if mimetype == b"application/hwp+zip":
            return "hwpx"
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
        if "[Content_Types].xml" in names:
            for container, main_part in _OOXML_MAIN_PART.items():
                if main_part in names:
                    return container
            return "ooxml-unknown"
        return "zip"
    if guess is not None:
        return f"other:{mime}"
    return "text" if looks_like_text(head) else "binary"


def _ole_container(file):
    """hwp, doc, xls or ppt by the streams inside an OLE compound file; cfb for any other."""
    try:
        with olefile.OleFileIO(file) as ole:
            if ole.exists("FileHeader"):
                is_hwp = (
                    ole.get_type("FileHeader") == olefile.STGTY_STREAM
                    and ole.openstream("FileHeader").read(len(HWP_SIGNATURE)) == HWP_SIGNATURE
                    and ole.get_type("DocInfo") == olefile.STGTY_STREAM
                    and ole.get_type("BodyText") == olefile.STGTY_STORAGE
                )
                return "hwp" if is_hwp else "cfb"
            for container, streams in _OLE_MAIN_STREAMS.items():
                if any(ole.get_type(name) == olefile.STGTY_STREAM for name in streams):
                    return container
            return "cfb"
    except Exception as exc:  # olefile parses hostile bytes: any failure to read them means "not a valid file"
        logger.info("Unreadable OLE file: %r", exc)
        return "broken-cfb"
    finally:
        file.seek(0)


def _read_mimetype(archive):
    """The HWPX or ODF `mimetype` entry, read without inflating more than a few bytes of it:
    this runs before the archive's sizes are checked, so the entry may be a bomb."""
    try:
        with archive.open("mimetype") as entry:
            return entry.read(64).strip()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return b""


def text_charset(file, chunk_size=64 * 1024):
    """The charset the whole of `file` decodes as: "utf-8", or "cp949" (Korean legacy
    files; a superset of EUC-KR); None when it is neither."""
    for charset in ("utf-8", "cp949"):
        decoder = codecs.getincrementaldecoder(charset)()
        file.seek(0)
        try:
            while chunk := file.read(chunk_size):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            file.seek(0)
        return charset
    return None


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
