"""The ZIP laid out before it is sent (core.http.bundle), without a clip: ZIP64 only where needed,
entry names made unique."""

import io
import zipfile
import zlib

from django.utils import timezone

from core.http.bundle import MISSING_FILES_NAME, Bundle, Entry, unique_entry_names
from tests.helpers import pdf_bytes


class _ArchiveFile(io.RawIOBase):
    """A read-only, seekable file over a Bundle's bytes: zipfile reads the directory without the data."""

    def __init__(self, archive):
        self.archive, self.position = archive, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.archive.size}[whence] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        length = max(min(len(buffer), self.archive.size - self.position), 0)
        data = b"".join(self.archive.iter_range(self.position, length))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


def test_zip64_only_where_an_entry_needs_it(tmp_path):
    """A file over 4 GiB (sparse on disk) gets ZIP64 fields; the small one next to it does not."""
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        handle.truncate(5 * 1024**3)
    small = tmp_path / "small.pdf"
    small.write_bytes(pdf_bytes())
    now = timezone.now()
    archive = Bundle(
        [
            Entry(
                key=1, path=str(small), original_name="small.pdf", modified=now, crc32=zlib.crc32(small.read_bytes())
            ),
            Entry(key=2, path=str(big), original_name="big.bin", modified=now, crc32=0),
            Entry(
                key=3, path=str(small), original_name="after.pdf", modified=now, crc32=zlib.crc32(small.read_bytes())
            ),
        ]
    )
    try:
        with zipfile.ZipFile(io.BufferedReader(_ArchiveFile(archive), buffer_size=1 << 16)) as opened:
            infos = {info.filename: info for info in opened.infolist()}
            assert infos["big.bin"].file_size == 5 * 1024**3
            assert infos["big.bin"].extract_version == 45
            assert infos["small.pdf"].extract_version == 10
            assert infos["after.pdf"].header_offset > 0xFFFFFFFF  # its offset needs ZIP64 in the directory
            assert opened.read("after.pdf") == small.read_bytes()
            with opened.open("big.bin") as entry:
                assert entry.read(16) == bytes(16)
    finally:
        archive.close()


def test_unique_entry_names():
    assert unique_entry_names(["a.pdf", "a.pdf", "A.PDF", "a (2).pdf", "README"]) == [
        "a.pdf",
        "a (2).pdf",
        "A (3).PDF",
        "a (2) (2).pdf",
        "README",
    ]
    assert unique_entry_names([MISSING_FILES_NAME], reserved=[MISSING_FILES_NAME]) == ["MISSING-FILES (2).txt"]
