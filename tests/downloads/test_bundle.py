import io
import logging
import os
import shutil
import subprocess
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.bundles import MISSING_FILES_NAME, unique_entry_names
from news.models import Attachment
from tests.conftest import image_bytes, pdf_bytes

from .conftest import body

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


def test_text_is_deflated_and_jpeg_stored(client, clip_with_files):
    archive = open_zip(client.get(bundle_url(clip_with_files)))
    assert archive.getinfo("notes.txt").compress_type == zipfile.ZIP_DEFLATED
    assert archive.getinfo("notes.txt").compress_size < 500
    assert archive.getinfo("광주광역시청.jpg").compress_type == zipfile.ZIP_STORED


def test_headers(client, clip_with_files):
    response = client.get(bundle_url(clip_with_files))
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="gwangju-a-year-in-innovation-test-attachments.zip"'
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Content-Type-Options"] == "nosniff"


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
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
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


def test_unique_entry_names():
    assert unique_entry_names(["a.pdf", "a.pdf", "A.PDF", "a (2).pdf", "README"]) == [
        "a.pdf",
        "a (2).pdf",
        "A (3).PDF",
        "a (2) (2).pdf",
        "README",
    ]
    assert unique_entry_names([MISSING_FILES_NAME], reserved=[MISSING_FILES_NAME]) == ["MISSING-FILES (2).txt"]
