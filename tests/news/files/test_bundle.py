"""The "Full (compressed) download" of a clip's attachments, through the real view, opened by
Python, unzip, bsdtar, 7z and Java (the archive layout itself: tests/core/http/test_bundle.py)."""

import hashlib
import io
import logging
import os
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_http_date

from core.http.bundle import MISSING_FILES_NAME
from news.models import Attachment
from tests.helpers import body, image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

UTF8_FLAG = 0x800


def bundle_url(clip):
    return reverse("news:bundle", kwargs={"slug": clip.slug})


def open_zip(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(body(response)))


@pytest.fixture
def clip_with_files(make_clip, make_attachment):
    clip = make_clip(slug="gwangju-a-year-in-innovation-test", title="A year")
    make_attachment(clip, name="a.pdf", data=pdf_bytes("first"), position=1)
    make_attachment(clip, name="a.pdf", data=pdf_bytes("second"), position=2)
    make_attachment(clip, name="A.pdf", data=pdf_bytes("third"), position=3)
    make_attachment(clip, name="민선7기_1주년_성과.pdf", data=pdf_bytes("korean"), position=4)
    make_attachment(clip, name="notes.txt", data=b"plain text\n" * 500, position=5)
    make_attachment(clip, name="광주광역시청.jpg", data=image_bytes(), position=6)
    return clip


def test_entries_equal_single_downloads(client, clip_with_files):
    archive = open_zip(client.get(bundle_url(clip_with_files)))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names == ["a.pdf", "a (2).pdf", "A (3).pdf", "민선7기_1주년_성과.pdf", "notes.txt", "광주광역시청.jpg"]
    for attachment, name in zip(clip_with_files.attachments.order_by("position"), names, strict=True):
        assert archive.read(name) == body(client.get(attachment.get_absolute_url()))


def test_korean_names_carry_the_utf8_flag(client, clip_with_files):
    archive = open_zip(client.get(bundle_url(clip_with_files)))
    flags = {info.filename: info.flag_bits & UTF8_FLAG for info in archive.infolist()}
    assert flags["민선7기_1주년_성과.pdf"] and flags["광주광역시청.jpg"]
    assert not flags["a.pdf"]


def test_every_entry_is_stored_with_its_sizes_and_crc_up_front(client, clip_with_files):
    """Stored entries whose local headers hold the real CRC and sizes (no data descriptor,
    no ZIP64): what Java's ZipInputStream needs, and what fixes the archive's size."""
    data = body(client.get(bundle_url(clip_with_files)))
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        assert info.flag_bits & 0x08 == 0  # no data descriptor
        assert info.extract_version == 10  # no ZIP64 for small files
        local = data[info.header_offset : info.header_offset + 30]
        version, flags, method, _, _, crc, csize, usize = struct.unpack("<HHHHHIII", local[4:26])
        assert (version, method, crc, csize, usize) == (10, 0, info.CRC, info.file_size, info.file_size)
    assert b"PK\x06\x06" not in data[-200:]  # no ZIP64 end record


def test_headers(client, clip_with_files):
    response = client.get(bundle_url(clip_with_files))
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    newest = max(clip_with_files.attachments.values_list("updated", flat=True))
    assert parse_http_date(response["Last-Modified"]) == int(newest.timestamp())
    assert response["Content-Disposition"] == 'attachment; filename="gwangju-a-year-in-innovation-test-attachments.zip"'
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Encoding" not in response


def test_entry_dates_are_the_upload_times(client, clip_with_files):
    archive = open_zip(client.get(bundle_url(clip_with_files)))
    for attachment, info in zip(clip_with_files.attachments.order_by("position"), archive.infolist(), strict=True):
        assert info.date_time == timezone.localtime(attachment.updated).timetuple()[:5] + (
            timezone.localtime(attachment.updated).second // 2 * 2,
        )


def test_head_has_the_size_and_validators(client, clip_with_files):
    full = client.get(bundle_url(clip_with_files))
    head = client.head(bundle_url(clip_with_files))
    assert head["Content-Length"] == full["Content-Length"] and head["ETag"] == full["ETag"]


def test_same_files_same_etag_and_304(client, clip_with_files):
    first = client.get(bundle_url(clip_with_files))
    again = client.get(bundle_url(clip_with_files))
    assert body(first) == body(again) and first["ETag"] == again["ETag"]
    assert client.get(bundle_url(clip_with_files), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("change", ["add", "rename", "replace", "remove-file"])
def test_etag_changes_with_the_files(client, clip_with_files, make_attachment, change):
    before = client.get(bundle_url(clip_with_files))["ETag"]
    attachment = clip_with_files.attachments.get(position=1)
    if change == "add":
        make_attachment(clip_with_files, name="extra.pdf", position=9)
    elif change == "rename":
        Attachment.objects.filter(pk=attachment.pk).update(original_name="renamed.pdf")
    elif change == "replace":
        Attachment.objects.filter(pk=attachment.pk).update(sha256="0" * 64)
    else:
        os.remove(attachment.file.path)
    assert client.get(bundle_url(clip_with_files))["ETag"] != before


def test_dropped_download_resumes_with_if_range(client, clip_with_files):
    full = body(client.get(bundle_url(clip_with_files)))
    first = client.get(bundle_url(clip_with_files), HTTP_RANGE=f"bytes=0-{len(full) // 2 - 1}")
    assert first.status_code == 206
    half = body(first)
    rest = client.get(bundle_url(clip_with_files), HTTP_RANGE=f"bytes={len(half)}-", HTTP_IF_RANGE=first["ETag"])
    assert rest.status_code == 206
    assert rest["Content-Range"] == f"bytes {len(half)}-{len(full) - 1}/{len(full)}"
    resumed = half + body(rest)
    assert int(rest["Content-Length"]) == len(full) - len(half)
    assert hashlib.sha256(resumed).hexdigest() == hashlib.sha256(full).hexdigest()


def test_stale_if_range_gets_the_whole_new_archive(client, clip_with_files, make_attachment):
    old = client.get(bundle_url(clip_with_files))
    make_attachment(clip_with_files, name="late.pdf", position=9)
    response = client.get(bundle_url(clip_with_files), HTTP_RANGE="bytes=100-", HTTP_IF_RANGE=old["ETag"])
    assert response.status_code == 200
    assert "late.pdf" in open_zip(response).namelist()


@pytest.mark.parametrize("header", ["bytes=0-0", "bytes=10-99", "bytes=-100", "bytes=5000-"])
def test_every_range_is_the_matching_slice(client, clip_with_files, header):
    full = body(client.get(bundle_url(clip_with_files)))
    response = client.get(bundle_url(clip_with_files), HTTP_RANGE=header)
    assert response.status_code == 206
    first, last = (int(n) for n in response["Content-Range"].split()[1].split("/")[0].split("-"))
    assert body(response) == full[first : last + 1]


def test_range_past_the_end_is_416(client, clip_with_files):
    size = len(body(client.get(bundle_url(clip_with_files))))
    response = client.get(bundle_url(clip_with_files), HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"


def test_a_resumed_download_counts_once(client, clip_with_files):
    """The single-attachment rule: the whole archive in one response counts, a range does not."""
    size = len(body(client.get(bundle_url(clip_with_files))))
    body(client.get(bundle_url(clip_with_files), HTTP_RANGE="bytes=0-99"))
    body(client.get(bundle_url(clip_with_files), HTTP_RANGE="bytes=100-"))
    body(client.get(bundle_url(clip_with_files), HTTP_RANGE=f"bytes=0-{size - 1}"))
    assert set(clip_with_files.attachments.values_list("download_count", flat=True)) == {2}


def test_a_row_without_its_crc_still_zips_and_the_download_writes_nothing(client, clip_with_files):
    expected = dict(clip_with_files.attachments.values_list("pk", "crc32"))
    clip_with_files.attachments.update(crc32=None)
    with CaptureQueriesContext(connection) as queries:
        archive = open_zip(client.get(bundle_url(clip_with_files)))
    assert archive.testzip() is None
    assert {info.CRC for info in archive.infolist()} == set(expected.values())
    writes = [q["sql"] for q in queries.captured_queries if "crc32" in q["sql"] and q["sql"].startswith("UPDATE")]
    assert writes == [], "a GET stores nothing but the download count"
    assert set(clip_with_files.attachments.values_list("crc32", flat=True)) == {None}


def test_the_fill_command_stores_missing_crcs_and_leaves_the_etag(client, clip_with_files):
    expected = dict(clip_with_files.attachments.values_list("pk", "crc32"))
    etag = client.get(bundle_url(clip_with_files))["ETag"]
    clip_with_files.attachments.update(crc32=None)
    out = io.StringIO()
    call_command("fill_attachment_crc32", stdout=out)
    assert f"CRC-32 stored for {len(expected)} attachment(s); 0 file(s) missing." in out.getvalue()
    assert dict(clip_with_files.attachments.values_list("pk", "crc32")) == expected
    assert client.get(bundle_url(clip_with_files))["ETag"] == etag


@pytest.fixture
def downloaded(client, clip_with_files, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(body(client.get(bundle_url(clip_with_files))))
    expected = {
        name: hashlib.sha256(body(client.get(a.get_absolute_url()))).hexdigest()
        for a, name in zip(
            clip_with_files.attachments.order_by("position"),
            ["a.pdf", "a (2).pdf", "A (3).pdf", "민선7기_1주년_성과.pdf", "notes.txt", "광주광역시청.jpg"],
            strict=True,
        )
    }
    return path, expected


def run_tool(*args, **kwargs):
    result = subprocess.run(args, capture_output=True, timeout=120, **kwargs)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def assert_extracted(folder, expected):
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}
    assert found == expected


@pytest.mark.skipif(shutil.which("bsdtar") is None, reason="bsdtar (Debian libarchive-tools) is not installed")
def test_bsdtar_extracts_the_archive(downloaded, tmp_path):
    path, expected = downloaded
    out = tmp_path / "bsdtar"
    out.mkdir()
    run_tool("bsdtar", "-xf", str(path), "-C", str(out))
    assert_extracted(out, expected)


@pytest.mark.skipif(shutil.which("7z") is None, reason="7z (Debian p7zip-full) is not installed")
def test_7z_tests_and_extracts_the_archive(downloaded, tmp_path):
    path, expected = downloaded
    assert b"Everything is Ok" in run_tool("7z", "t", str(path)).stdout
    out = tmp_path / "7z"
    run_tool("7z", "x", f"-o{out}", str(path))
    assert_extracted(out, expected)


def test_java_zipinputstream_reads_every_entry(downloaded, tmp_path, clip_with_files):
    """Java's ZipInputStream (and the tools built on it) reads the archive front to back."""
    if shutil.which("javac") is None or shutil.which("java") is None:
        pytest.skip("a JDK (Debian default-jdk-headless) is not installed: cannot check Java's ZipInputStream")
    path, expected = downloaded
    source = Path(__file__).parent / "java" / "ReadZip.java"
    run_tool("javac", "-d", str(tmp_path), str(source))
    output = run_tool("java", "-cp", str(tmp_path), "ReadZip", str(path)).stdout.decode()
    rows = [line.split("\t") for line in output.splitlines()]
    assert {name: digest for name, digest, _ in rows} == expected
    uploaded = [int(a.updated.timestamp()) for a in clip_with_files.attachments.order_by("position")]
    assert [int(mtime) for _, _, mtime in rows] == uploaded


@pytest.mark.skipif(shutil.which("unzip") is None, reason="unzip is not installed")
def test_unzip_accepts_the_archive(client, clip_with_files, tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(body(client.get(bundle_url(clip_with_files))))
    result = subprocess.run(["unzip", "-t", str(path)], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"No errors detected" in result.stdout


def test_every_included_attachment_counted_in_one_update(client, clip_with_files):
    with CaptureQueriesContext(connection) as queries:
        body(client.get(bundle_url(clip_with_files)))
    # One statement (on PostgreSQL the UPDATE inside a WITH: core.counting).
    updates = [q["sql"] for q in queries.captured_queries if "UPDATE " in q["sql"]]
    assert len(updates) == 1 and "news_attachment" in updates[0]
    assert set(clip_with_files.attachments.values_list("download_count", flat=True)) == {1}


def test_head_is_not_counted(client, clip_with_files):
    response = client.head(bundle_url(clip_with_files))
    assert response.status_code == 200
    assert body(response) == b""
    assert set(clip_with_files.attachments.values_list("download_count", flat=True)) == {0}


def test_hostile_names_lose_their_directories(client, make_clip, make_attachment):
    clip = make_clip()
    for n, stored in enumerate(["../../etc/passwd", "C:\\temp\\x.pdf", "/abs/x.pdf", "bad\r\nname.pdf", ".."]):
        attachment = make_attachment(clip, position=n)
        Attachment.objects.filter(pk=attachment.pk).update(original_name=stored)
    archive = open_zip(client.get(bundle_url(clip)))
    assert archive.namelist() == ["passwd", "x.pdf", "x (2).pdf", "badname.pdf", "attachment"]


def test_missing_file_is_left_out_and_reported(client, clip_with_files, caplog):
    gone = clip_with_files.attachments.get(position=2)
    os.remove(gone.file.path)
    with caplog.at_level(logging.WARNING, logger="news"):
        archive = open_zip(client.get(bundle_url(clip_with_files)))
    assert archive.testzip() is None
    assert archive.namelist() == [
        "a.pdf",
        "A (2).pdf",
        "민선7기_1주년_성과.pdf",
        "notes.txt",
        "광주광역시청.jpg",
        MISSING_FILES_NAME,
    ]
    report = archive.read(MISSING_FILES_NAME).decode()
    assert "a.pdf" in report and "missing" in report
    assert any("missing" in record.getMessage() for record in caplog.records)
    gone.refresh_from_db()
    assert gone.download_count == 0
    assert clip_with_files.attachments.get(position=1).download_count == 1


def test_no_attachments_is_404(client, make_clip):
    assert client.get(bundle_url(make_clip())).status_code == 404


def test_unknown_clip_is_404(client):
    assert client.get("/news/no-such-clip/attachments.zip").status_code == 404


def test_draft_bundle(staff_client, draft_clip, make_attachment):
    make_attachment(draft_clip)
    assert Client().get(bundle_url(draft_clip)).status_code == 404
    response = staff_client.get(bundle_url(draft_clip))
    assert response["Cache-Control"] == "private, no-store"
    assert open_zip(response).namelist() == ["report.pdf"]


def test_seed_clip_bundle_holds_the_four_seed_attachments(client, seeded):
    archive = open_zip(client.get(bundle_url(seeded)))
    assert archive.testzip() is None
    assert archive.namelist() == [
        "광주_혁신_1년_보도자료.pdf",
        "광주광역시청.jpg",
        "Night view of the Asia Culture Center.jpg",
        "남부대학교 시립국제수영장.jpg",
    ]
    for attachment in seeded.attachments.all():
        assert len(archive.read(attachment.original_name)) == attachment.size
