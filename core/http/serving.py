"""Serving a file from disk over HTTP, whatever model it belongs to.

Views decide *whether* a file may be seen (news/models/visibility.py) and describe it
as a `ServedFile`; `serve_file` then answers the request the way browsers,
download managers and caches expect: Content-Disposition with the original
name, validators (ETag / Last-Modified) and 304, single byte ranges (206/416),
HEAD, and either Django streaming the bytes or the front web server doing it
(settings.DOWNLOAD_SENDFILE).
"""

import functools
import logging
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag

logger = logging.getLogger(__name__)

CHUNK_SIZE = 64 * 1024

# The content types we store are ours (core/filetypes.py), but a value edited
# behind Django's back must still never break the header.
_SAFE_CONTENT_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+(; ?charset=[\w-]+)?$", re.ASCII)
_FALLBACK_UNSAFE = re.compile(r"[^A-Za-z0-9 ._()+,=@~-]", re.ASCII)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$", re.ASCII)


# --- Content-Disposition -------------------------------------------------------

# Hangul syllables are composed arithmetically (U+AC00 + (initial*21 + medial)*28 + final),
# so the Revised Romanization of each jamo gives a readable ASCII fallback name:
# "광주_혁신_1년_보도자료.pdf" -> "gwangju_hyeoksin_1nyeon_bodojaryo.pdf".
_INITIALS = "g kk n d tt r m b pp s ss - j jj ch k t p h".split()
_MEDIALS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = "- k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()


def _romanise_hangul(char):
    index = ord(char) - 0xAC00
    if not 0 <= index < 11172:
        return None
    initial, rest = divmod(index, 21 * 28)
    medial, final = divmod(rest, 28)
    return "".join(part for part in (_INITIALS[initial], _MEDIALS[medial], _FINALS[final]) if part != "-")


def clean_download_name(name, default="download"):
    """The name to offer: NFC, no directory part, no control or invisible characters.

    "Invisible" is Unicode's format category (Cf): zero-width spaces and joiners, byte-order
    marks, and the bidi controls that make "exe.pdf" display as "fdp.exe". Uploads keep the
    same cleaned name (`uploads.clean_original_name`)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    name = name.strip(" .")
    return name or default


def _ascii_text(text):
    pieces = []
    for char in text:
        romanised = _romanise_hangul(char)
        if romanised is not None:
            pieces.append(romanised)
            continue
        decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        pieces.append(decomposed or "_")
    text = _FALLBACK_UNSAFE.sub("_", "".join(pieces))
    return re.sub(r"_{2,}", "_", text).strip(" ._")


def ascii_fallback_name(name, default="download"):
    """An ASCII stand-in for clients that ignore filename* (curl -OJ, very old browsers)."""
    stem, dot, suffix = unicodedata.normalize("NFC", name).rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem, suffix = _ascii_text(stem), _ascii_text(suffix)
    if not re.search(r"[A-Za-z0-9]", stem):
        stem = default
    return f"{stem}.{suffix}" if suffix else stem


def content_disposition(filename, *, as_attachment=True):
    """RFC 6266 header value: an ASCII `filename` for old clients, the exact name in `filename*`.

    Django's own `content_disposition_header` sends *either* `filename` or
    `filename*`, never both; clients that ignore `filename*` would then save
    Korean names as "download". Both values here are built from a cleaned name
    and are quoted or percent-encoded, so no stored name can end the header or
    add a parameter.
    """
    name = clean_download_name(filename)
    fallback = ascii_fallback_name(name)
    disposition = "attachment" if as_attachment else "inline"
    value = f'{disposition}; filename="{fallback}"'
    if fallback != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value


# --- serving ---------------------------------------------------------------------


@dataclass(frozen=True)
class ServedFile:
    """What `serve_file` needs to know about a file on disk."""

    path: Path
    filename: str
    content_type: str
    as_attachment: bool = True
    etag: str = ""  # an opaque token; derived from size and mtime when empty
    last_modified: datetime | None = None  # the file's mtime when None
    internal_name: str = ""  # name inside PROTECTED_MEDIA_ROOT, for X-Accel-Redirect


class _FileSlice:
    """A file handle that reads only bytes [start, start + length).

    Django hands `file_to_stream` to the WSGI server's file wrapper, and
    gunicorn then uses sendfile(2) from the handle's current offset for exactly
    Content-Length bytes; every other server reads through `read`, which stops
    at the end of the slice.
    """

    mode = "rb"

    def __init__(self, handle, start, length):
        self._handle = handle
        self._end = start + length
        handle.seek(start)

    def fileno(self):
        return self._handle.fileno()

    def seek(self, offset, whence=os.SEEK_SET):
        return self._handle.seek(offset, whence)

    def tell(self):
        return self._handle.tell()

    def read(self, size=-1):
        remaining = self._end - self._handle.tell()
        if remaining <= 0:
            return b""
        if size is None or size < 0 or size > remaining:
            size = remaining
        return self._handle.read(size)

    def close(self):
        self._handle.close()


class FileSliceResponse(StreamingHttpResponse):
    block_size = CHUNK_SIZE

    def __init__(self, handle, start, length, **kwargs):
        super().__init__(**kwargs)
        self.file_to_stream = _FileSlice(handle, start, length)
        self._resource_closers.append(handle.close)
        self.streaming_content = iter(lambda: self.file_to_stream.read(self.block_size), b"")
        self.headers["Content-Length"] = str(length)


def parse_range(header, size):
    """A single byte range as (start, end) inclusive, "unsatisfiable", or None to ignore.

    Malformed headers, other units and multiple ranges are ignored (RFC 9110
    lets a server do so) and the whole file is sent: a 200 is always a correct
    answer, a multipart/byteranges body is complexity no client here needs.
    """
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    try:
        if first:
            start = int(first)
            end = int(last) if last else size - 1
            if last and end < start:
                return None
        elif last:
            suffix = int(last)
            if suffix == 0:
                return "unsatisfiable"
            start, end = max(size - suffix, 0), size - 1
        else:
            return None
    except ValueError:  # more digits than int() accepts
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def _if_range_passes(request, etag, last_modified):
    """If-Range: use the Range only when the client's copy is the current one."""
    value = request.META.get("HTTP_IF_RANGE", "").strip()
    if not value:
        return True
    if value.startswith(('"', "W/")):
        # A strong comparison: weak tags never match.
        return value == etag
    date = parse_http_date_safe(value)
    return date is not None and date == last_modified


def _open_or_404(path):
    try:
        handle = open(path, "rb", buffering=0)  # unbuffered: the OS offset is where `tell` says
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        logger.warning("Download of missing file %s", path)
        raise Http404("The file is missing.") from None
    return handle


def serve_file(request, served, *, cache_control, on_full_download=None):
    """Answer GET or HEAD for `served` (see `answer_ranges` for when a download counts)."""
    handle = _open_or_404(served.path)
    try:
        stat = os.fstat(handle.fileno())
        last_modified = int(served.last_modified.timestamp() if served.last_modified else stat.st_mtime)
        etag = quote_etag(served.etag or f"{stat.st_mtime_ns:x}-{stat.st_size:x}")
        headers = {
            "Content-Type": served.content_type
            if _SAFE_CONTENT_TYPE.match(served.content_type or "")
            else "application/octet-stream",
            "Content-Disposition": content_disposition(served.filename, as_attachment=served.as_attachment),
            "Cache-Control": cache_control,
        }

        def stream(start, length, **kwargs):
            nonlocal handle
            response = FileSliceResponse(handle, start, length, **kwargs)
            handle = None  # the response closes it once sent
            return response

        handoff = None
        sendfile = settings.DOWNLOAD_SENDFILE
        if sendfile and (sendfile == "x-sendfile" or served.internal_name):
            handoff = functools.partial(_handed_to_web_server, sendfile, served)
        return answer_ranges(
            request,
            size=stat.st_size,
            etag=etag,
            last_modified=last_modified,
            headers=headers,
            stream=stream,
            handoff=handoff,
            on_full_download=on_full_download,
        )
    finally:
        if handle is not None:
            handle.close()


def answer_ranges(request, *, size, etag, last_modified, headers, stream, handoff=None, on_full_download=None):
    """Answer GET or HEAD for a representation of `size` bytes with a strong `etag`.

    Handles validators and 304/412, If-Range, a single Range (206) or 416, and
    HEAD; `stream(start, length, headers=..., status=...)` makes the streaming
    response for the bytes to send, `handoff(headers)` (if given) an empty one
    that the front web server fills instead.

    `on_full_download` is called once when the response will carry the whole
    representation, as a 200 or as a range from its first byte to its last: not
    for HEAD, 304, 416, or any other range (a resumed download is not counted
    again).
    """
    headers = {
        **headers,
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
        "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff",
    }
    skeleton = HttpResponse(headers=headers)
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified, response=skeleton)
    if conditional is not skeleton:
        return conditional

    byte_range = None
    if "HTTP_RANGE" in request.META and _if_range_passes(request, etag, last_modified):
        byte_range = parse_range(request.META["HTTP_RANGE"], size)
    if byte_range == "unsatisfiable":
        response = HttpResponse(status=416, headers=headers)
        response["Content-Range"] = f"bytes */{size}"
        response["Content-Type"] = "text/plain; charset=utf-8"
        del response["Content-Disposition"]
        return response
    start, end = byte_range or (0, size - 1)
    length = max(end - start + 1, 0)

    # Only the whole file is a download: a probe such as `bytes=0-0` is not.
    if request.method == "GET" and start == 0 and end == size - 1 and on_full_download is not None:
        on_full_download()

    if handoff is not None:
        return handoff(headers)

    status = 206 if byte_range else 200
    if request.method == "HEAD":
        response = HttpResponse(headers=headers, status=status)
    else:
        response = stream(start, length, headers=headers, status=status)
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response


def _handed_to_web_server(sendfile, served, headers):
    """An empty response the front server fills from disk; it also applies any Range.

    Files outside PROTECTED_MEDIA_ROOT (the PDF cache) have no internal nginx
    location, so they are streamed by Django even with X-Accel-Redirect. The
    body Django sends is empty, and so is its Content-Length; the front server
    replaces both.
    """
    response = HttpResponse(headers=headers)
    if sendfile == "x-accel-redirect":
        prefix = settings.PROTECTED_MEDIA_INTERNAL_URL.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(served.internal_name.lstrip("/"))
    else:
        response["X-Sendfile"] = quote(os.fspath(served.path), safe="/")
    return response
