"""The "Full (compressed) download": every attachment of a clip in one ZIP, laid out before it is sent.

Every entry is *stored*, not deflated: nearly everything editors attach (PDF,
HWP/HWPX, Office files, JPEG, PNG, ZIP) is compressed already, and a stored entry
whose size and CRC-32 are known up front fixes every byte of the archive before
the first one goes out. That gives the download a Content-Length (progress bars),
a strong ETag and byte ranges (a dropped download resumes), and lets each local
header carry the real sizes and CRC, without the "data descriptor" records that
Java's ZipInputStream refuses on stored entries. ZIP64 fields appear only where
an entry, an offset or the entry count needs them.

The archive is a list of segments (header bytes, or a slice of an open file), so
any byte range is produced by reading only the files it overlaps; memory stays
flat whatever the size.
"""

import hashlib
import logging
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from django.utils import timezone

from core.http.serving import clean_download_name

logger = logging.getLogger(__name__)

MISSING_FILES_NAME = "MISSING-FILES.txt"
READ_SIZE = 1024 * 1024

_UTF8_NAME = 0x0800  # general purpose bit 11: the name is UTF-8 (Windows Explorer, 7-Zip, Java read it)
_ZIP64_LIMIT = 0xFFFFFFFF
_COUNT_LIMIT = 0xFFFF
_VERSION_STORED = 10  # 1.0: stored entries
_VERSION_ZIP64 = 45  # 4.5: ZIP64 extensions
_MADE_BY_UNIX = 3 << 8
_FILE_MODE = 0o100644 << 16  # a plain file, rw-r--r-- (unzip on Unix restores it)


@dataclass(frozen=True)
class Entry:
    """One file to include: where it is, and what the reader knows it as."""

    key: object  # handed back by `Bundle.included`, e.g. the attachment's pk
    path: str
    original_name: str
    title: str = ""
    modified: datetime | None = None  # the entry's date in the archive: when the file was uploaded
    crc32: int | None = None  # from the upload; computed here when unknown
    checksum: str = ""  # the file's SHA-256, part of the archive's ETag


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


def file_crc32(handle):
    """CRC-32 of an open binary file, read from its start in fixed-size pieces."""
    crc = 0
    handle.seek(0)
    while chunk := handle.read(READ_SIZE):
        crc = zlib.crc32(chunk, crc)
    return crc


def _dos_date_time(moment):
    """MS-DOS date and time (local, two-second steps), clamped to 1980-2107 as the format requires."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    year = min(max(local.year, 1980), 2107)
    if year != local.year:
        local = local.replace(year=year, month=1 if year == 1980 else 12, day=1 if year == 1980 else 31)
    date = (year - 1980) << 9 | local.month << 5 | local.day
    time = local.hour << 11 | local.minute << 5 | local.second // 2
    return date, time


def _timestamp_extra(moment):
    """The "extended timestamp" field (0x5455, modification time only, same in both headers):
    the exact UTC time, which unzip, 7-Zip and Java prefer to the zone-less DOS time."""
    seconds = int(moment.timestamp())
    if not 0 <= seconds < 2**31:
        return b""
    return struct.pack("<HHBl", 0x5455, 5, 1, seconds)


@dataclass
class _Member:
    name: str
    size: int
    crc32: int
    modified: datetime
    offset: int = 0
    handle: object = None  # an open file, or None for `data`
    data: bytes = b""

    @property
    def zip64(self):
        return self.size >= _ZIP64_LIMIT

    def _name_and_flags(self):
        return self.name.encode("utf-8"), 0 if self.name.isascii() else _UTF8_NAME

    def local_header(self):
        name, flags = self._name_and_flags()
        date, time = _dos_date_time(self.modified)
        extra = _timestamp_extra(self.modified)
        size = self.size
        version = _VERSION_STORED
        if self.zip64:
            extra = struct.pack("<HHQQ", 0x0001, 16, self.size, self.size) + extra
            size, version = _ZIP64_LIMIT, _VERSION_ZIP64
        fixed = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, version, flags, 0, time, date, self.crc32, size, size, len(name), len(extra)
        )
        return fixed + name + extra

    def central_header(self):
        name, flags = self._name_and_flags()
        date, time = _dos_date_time(self.modified)
        zip64_values = []
        size = offset = None
        if self.zip64:
            zip64_values += [self.size, self.size]
            size = _ZIP64_LIMIT
        if self.offset >= _ZIP64_LIMIT:
            zip64_values.append(self.offset)
            offset = _ZIP64_LIMIT
        extra = b""
        version = _VERSION_STORED
        if zip64_values:
            extra = struct.pack(f"<HH{len(zip64_values)}Q", 0x0001, 8 * len(zip64_values), *zip64_values)
            version = _VERSION_ZIP64
        extra += _timestamp_extra(self.modified)
        fixed = struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            _MADE_BY_UNIX | _VERSION_ZIP64,
            version,
            flags,
            0,  # stored
            time,
            date,
            self.crc32,
            self.size if size is None else size,
            self.size if size is None else size,
            len(name),
            len(extra),
            0,  # comment
            0,  # disk
            0,  # internal attributes
            _FILE_MODE,
            self.offset if offset is None else offset,
        )
        return fixed + name + extra


def _end_records(count, directory_offset, directory_size):
    """End of central directory, preceded by its ZIP64 forms when a count or offset overflows."""
    records = b""
    if count >= _COUNT_LIMIT or directory_offset >= _ZIP64_LIMIT or directory_size >= _ZIP64_LIMIT:
        zip64_end_offset = directory_offset + directory_size
        records += struct.pack(
            "<IQHHIIQQQQ",
            0x06064B50,
            44,
            _MADE_BY_UNIX | _VERSION_ZIP64,
            _VERSION_ZIP64,
            0,
            0,
            count,
            count,
            directory_size,
            directory_offset,
        )
        records += struct.pack("<IIQI", 0x07064B50, 0, zip64_end_offset, 1)
        count = min(count, _COUNT_LIMIT)
        directory_offset = min(directory_offset, _ZIP64_LIMIT)
        directory_size = min(directory_size, _ZIP64_LIMIT)
    return records + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, directory_size, directory_offset, 0)


class Bundle:
    """A ZIP of `entries`: laid out now, its bytes (or any range of them) produced later.

    Every file is opened here: a file missing from disk is then known up front,
    listed in MISSING-FILES.txt and left out, instead of breaking the archive
    half-way through; a file deleted after that point is still read through its
    open handle. `close()` closes them (the response does, once sent).
    """

    def __init__(self, entries):
        self.included = []
        self.missing = []
        opened = []
        try:
            for entry in entries:
                try:
                    handle = open(entry.path, "rb")  # noqa: SIM115 - closed by close()
                except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                    logger.warning("ZIP download: attachment file %s is missing", entry.path)
                    self.missing.append(entry)
                    continue
                opened.append(handle)
                self.included.append(entry)
            self._handles = opened
            self._lay_out(opened)
        except BaseException:
            for handle in opened:
                handle.close()
            raise

    def _lay_out(self, handles):
        dates = [entry.modified for entry in [*self.included, *self.missing] if entry.modified]
        self.last_modified = max(dates) if dates else timezone.now().replace(microsecond=0)
        reserved = [MISSING_FILES_NAME] if self.missing else []
        names = unique_entry_names([entry.original_name for entry in self.included], reserved=reserved)
        members = []
        for entry, name, handle in zip(self.included, names, handles, strict=True):
            crc = entry.crc32 if entry.crc32 is not None else file_crc32(handle)
            size = os.fstat(handle.fileno()).st_size
            members.append(_Member(name, size, crc, entry.modified or self.last_modified, handle=handle))
        if self.missing:
            report = self._missing_report().encode()
            members.append(
                _Member(MISSING_FILES_NAME, len(report), zlib.crc32(report), self.last_modified, data=report)
            )

        # Segments: (offset, length, bytes or None, member or None); the file bytes come from the member.
        segments = []
        position = 0
        for member in members:
            member.offset = position
            header = member.local_header()
            segments.append((position, len(header), header, None))
            position += len(header)
            if member.size:
                segments.append((position, member.size, member.data or None, member))
                position += member.size
        directory = b"".join(member.central_header() for member in members)
        tail = directory + _end_records(len(members), position, len(directory))
        segments.append((position, len(tail), tail, None))
        self._segments = segments
        self.size = position + len(tail)
        # Everything that shapes the bytes: the directory holds every name, date, size,
        # CRC and offset; the checksums stand for the files' contents.
        digest = hashlib.sha256(tail)
        for entry in self.included:
            digest.update(entry.checksum.encode())
        self.etag = digest.hexdigest()[:40]

    def _missing_report(self):
        lines = [
            "These attachments could not be included because their files are missing on the server.",
            "Please tell the Gwangju Metropolitan City web team.",
            "",
        ]
        lines += [f"- {entry.original_name}" + (f" ({entry.title})" if entry.title else "") for entry in self.missing]
        return "\r\n".join(lines) + "\r\n"

    def iter_range(self, start, length):
        """The archive's bytes [start, start + length), in pieces of at most READ_SIZE."""
        end = start + length
        for offset, size, data, member in self._segments:
            if offset + size <= start:
                continue
            if offset >= end:
                break
            first, last = max(start, offset) - offset, min(end, offset + size) - offset
            if data is not None:
                yield data[first:last]
                continue
            descriptor = member.handle.fileno()
            while first < last:
                chunk = os.pread(descriptor, min(READ_SIZE, last - first), first)
                if not chunk:
                    raise OSError(f"ZIP download: {member.name} is shorter than when the archive was laid out")
                yield chunk
                first += len(chunk)

    def close(self):
        for handle in self._handles:
            handle.close()
