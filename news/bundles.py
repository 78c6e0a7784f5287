"""The "Full (compressed) download": every attachment of a clip in one streamed ZIP.

The archive is produced by zipstream-ng while the response is sent, entry by
entry and chunk by chunk, so a worker's memory does not grow with the files.
"""

import logging
from dataclasses import dataclass
from pathlib import PurePosixPath

from zipstream import ZIP_DEFLATED, ZIP_STORED, ZipStream

from .downloads import CHUNK_SIZE, clean_download_name

logger = logging.getLogger(__name__)

MISSING_FILES_NAME = "MISSING-FILES.txt"
# Deflating JPEGs, PNGs and ZIP-based documents costs CPU and saves nothing:
# those containers are compressed already, so they are stored as they are.
_ALREADY_COMPRESSED = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".zip", ".docx", ".xlsx", ".pptx", ".hwpx"}


@dataclass(frozen=True)
class Entry:
    """One file to include: where it is, and what the reader knows it as."""

    key: object  # handed back by `Bundle.included`, e.g. the attachment's pk
    path: str
    original_name: str
    title: str = ""


def unique_entry_names(names, reserved=()):
    """Entry names without directories, unique ignoring case: "a.pdf", "a (2).pdf".

    Case is ignored because Windows and macOS extract "A.pdf" and "a.pdf" to
    the same file.
    """
    taken = {name.casefold() for name in reserved}
    result = []
    for raw in names:
        name = clean_download_name(raw, default="attachment")
        candidate, number = name, 1
        path = PurePosixPath(name)
        while candidate.casefold() in taken:
            number += 1
            candidate = f"{path.stem} ({number}){path.suffix}" if path.stem else f"{name} ({number})"
        taken.add(candidate.casefold())
        result.append(candidate)
    return result


def _read_chunks(handle):
    with handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk


class Bundle:
    """A ZIP of `entries`, opened now and streamed later.

    Every file is opened before the first byte goes out: a file missing from
    disk is then known up front, listed in MISSING-FILES.txt and left out,
    instead of breaking the archive half-way through the download; a file
    deleted after that point is still readable through its open handle.
    """

    def __init__(self, entries):
        self.included = []
        self.missing = []
        handles = []
        for entry in entries:
            try:
                handles.append(open(entry.path, "rb"))  # closed by _read_chunks, or by close()
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                logger.warning("ZIP download: attachment file %s is missing", entry.path)
                self.missing.append(entry)
            else:
                self.included.append(entry)
        self._handles = handles
        self._stream = ZipStream(compress_type=ZIP_DEFLATED)  # zlib's default level, 6
        reserved = [MISSING_FILES_NAME] if self.missing else []
        names = unique_entry_names([entry.original_name for entry in self.included], reserved=reserved)
        for name, handle in zip(names, handles, strict=True):
            suffix = PurePosixPath(name).suffix.lower()
            self._stream.add(
                _read_chunks(handle),
                name,
                compress_type=ZIP_STORED if suffix in _ALREADY_COMPRESSED else ZIP_DEFLATED,
            )
        if self.missing:
            self._stream.add(self._missing_report(), MISSING_FILES_NAME)

    def _missing_report(self):
        lines = [
            "These attachments could not be included because their files are missing on the server.",
            "Please tell the Gwangju Metropolitan City web team.",
            "",
        ]
        lines += [f"- {entry.original_name}" + (f" ({entry.title})" if entry.title else "") for entry in self.missing]
        return "\r\n".join(lines) + "\r\n"

    def __iter__(self):
        return iter(self._stream)

    def close(self):
        for handle in self._handles:
            handle.close()
