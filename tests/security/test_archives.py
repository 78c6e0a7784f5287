"""ZIP archives, and the ZIP inside HWPX and Office files, are inspected without extracting."""

import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from news.files.checks import check_attachment
from tests.helpers import clip_form_data, upload

from . import samples

pytestmark = pytest.mark.django_db

MANY = [(f"part{i}.txt", b"x") for i in range(6)]
BIG = [("zeros.bin", b"\x00" * 200_000)]  # deflates to a few hundred bytes


def container(kind, *extra):
    if kind == "zip":
        return samples.zip_bytes([("readme.txt", b"hello"), *extra])
    if kind == "hwpx":
        return samples.hwpx_bytes(*extra)
    return samples.ooxml_bytes(kind, *extra)


KINDS = ["zip", "hwpx", "docx", "xlsx", "pptx"]
TRICKS = [
    pytest.param(MANY, "archive_entries", "entries; the limit is 5.", id="too-many-entries"),
    pytest.param(BIG, "archive_size", "The archive expands to", id="zip-bomb"),
    pytest.param(
        [("../../etc/cron.d/evil", b"x")],
        "archive_path",
        "unsafe entry path: &#x27;../../etc/cron.d/evil&#x27;",
        id="dot-dot",
    ),
    pytest.param([("/etc/passwd", b"x")], "archive_path", "unsafe entry path: &#x27;/etc/passwd&#x27;", id="absolute"),
    pytest.param([("..\\..\\windows\\evil.dll", b"x")], "archive_path", "unsafe entry path", id="backslash-dot-dot"),
    pytest.param([("C:/Windows/evil.dll", b"x")], "archive_path", "unsafe entry path", id="drive-letter"),
    pytest.param(
        [(samples.symlink_entry("link"), b"/etc/passwd")], "archive_symlink", "holds a symbolic link", id="symlink"
    ),
    pytest.param([("tools/setup.exe", b"MZ")], "archive_type", "holds a program or web page", id="program"),
    pytest.param([("site/index.html", b"<p>")], "archive_type", "holds a program or web page", id="web-page"),
]


@override_settings(UPLOAD_MAX_ARCHIVE_ENTRIES=5, UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES=100_000)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("extra", "code", "message"), TRICKS)
def test_archive_trick_is_refused_on_the_form(admin_client, store_counts, kind, extra, code, message):
    data = container(kind, *extra)
    # The rule itself, with its code...
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload(f"file.{kind}", data))
    assert refused.value.code == code
    # ...and what the editor sees: the message on the form, and nothing stored.
    before = store_counts()
    response = admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload(f"f.{kind}", data)}])
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert store_counts() == before


@override_settings(UPLOAD_MAX_ARCHIVE_ENTRIES=5, UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES=100_000)
@pytest.mark.parametrize("kind", KINDS)
def test_archive_within_limits_is_accepted(kind):
    name, found, stored = check_attachment(upload(f"file.{kind}", container(kind)))
    assert name == f"file.{kind}"


def test_archives_are_inspected_without_inflating_entries(monkeypatch):
    """A bomb hidden in the HWPX `mimetype` entry is refused without being inflated."""
    inflated = []
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = real_read(self, n)
        inflated.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    bomb = samples.zip_bytes([("mimetype", b"application/hwp+zip" + b" " * 50_000_000)])
    with override_settings(UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES=1_000_000), pytest.raises(ValidationError) as refused:
        check_attachment(upload("big.hwpx", bomb))
    assert refused.value.code == "archive_size"
    assert sum(inflated) <= 1024


def test_zip_entry_names_escape_in_the_message(admin_client):
    data = samples.zip_bytes([("../<script>alert(1)</script>", b"x")])
    response = admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload("a.zip", data)}])
    )
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert escape("'../<script>alert(1)</script>'") in html


# --- archives inside archives ------------------------------------------------------


def nested(depth, innermost):
    """A ZIP holding a ZIP ... `depth` levels deep, the innermost holding `innermost` entries."""
    data = samples.zip_bytes(innermost)
    for level in range(depth - 1):
        data = samples.zip_bytes([(f"level{depth - level - 1}.zip", data)])
    return data


NESTED_TRICKS = [
    pytest.param(nested(2, [("../../etc/cron.d/evil", b"x")]), "archive_path", id="dot-dot-one-level-in"),
    pytest.param(nested(3, [(samples.symlink_entry("link"), b"/etc/passwd")]), "archive_symlink", id="symlink-two-in"),
    pytest.param(nested(2, BIG), "archive_size", id="bomb-one-level-in"),
    pytest.param(nested(3, BIG), "archive_size", id="bomb-two-levels-in"),
    pytest.param(nested(2, MANY), "archive_entries", id="entries-counted-over-levels"),
    pytest.param(nested(2, [("setup.exe", b"MZ")]), "archive_type", id="program-one-level-in"),
    pytest.param(nested(4, [("readme.txt", b"hello")]), "archive_depth", id="nested-too-deep"),
    pytest.param(
        samples.zip_bytes([("inner.zip", b"PK\x03\x04" + b"\x00" * 100)]), "archive_nested", id="damaged-inner"
    ),
]


@override_settings(UPLOAD_MAX_ARCHIVE_ENTRIES=5, UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES=100_000)
@pytest.mark.parametrize(("data", "code"), NESTED_TRICKS)
def test_archives_inside_archives_are_held_to_the_same_rules(admin_client, store_counts, data, code):
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("bundle.zip", data))
    assert refused.value.code == code
    before = store_counts()
    response = admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload("bundle.zip", data)}])
    )
    assert response.status_code == 200
    assert escape(refused.value.message) in response.content.decode()
    assert store_counts() == before


def test_a_trick_inside_a_document_embedded_in_a_document_is_refused():
    sheet = samples.ooxml_bytes("xlsx", ("../../evil", b"x"))
    with pytest.raises(ValidationError) as refused:
        check_attachment(upload("report.docx", samples.ooxml_bytes("docx", ("word/embeddings/sheet.xlsx", sheet))))
    assert refused.value.code == "archive_path"


@override_settings(UPLOAD_MAX_ARCHIVE_ENTRIES=5, UPLOAD_MAX_ARCHIVE_UNCOMPRESSED_BYTES=100_000)
def test_honest_nested_archives_are_accepted():
    check_attachment(upload("bundle.zip", nested(3, [("readme.txt", b"hello")])))
    sheet = samples.ooxml_bytes("xlsx")
    check_attachment(upload("report.docx", samples.ooxml_bytes("docx", ("word/embeddings/sheet.xlsx", sheet))))
