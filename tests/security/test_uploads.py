"""Uploads through the real admin: allowed by content, never by name; refusals store nothing."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from core.filetypes import KINDS
from news.models import Attachment
from tests.helpers import clip_form_data, image_bytes, pdf_bytes, upload

from . import samples

pytestmark = pytest.mark.django_db

# Followed by what the file really is and what to do (news/files/forms.py).
MISMATCH = "but its name ends in “{}”."
NOT_ACCEPTED = "“{}” files are not accepted."
SVG_REFUSED = "SVG images can carry scripts and are not accepted; export the picture as PNG or JPEG."
HTML_REFUSED = "Web pages can carry scripts and are not accepted; save the page as PDF and attach that."
DOUBLE = "File names with a hidden second extension are not accepted."


def add_url():
    return reverse("admin:news_newsclip_add")


def post_attachment(admin_client, name, data):
    return admin_client.post(add_url(), clip_form_data(attachments=[{"file": upload(name, data), "title": ""}]))


def test_admin_add_page_uses_the_inline_prefixes_we_post(admin_client):
    html = admin_client.get(add_url()).content.decode()
    assert 'name="images-TOTAL_FORMS"' in html
    assert 'name="attachments-TOTAL_FORMS"' in html


REFUSED_ATTACHMENTS = [
    pytest.param("drawing.svg", samples.SVG, SVG_REFUSED, id="svg"),
    pytest.param("page.html", samples.HTML, HTML_REFUSED, id="html"),
    pytest.param("page.htm", samples.HTML, HTML_REFUSED, id="htm"),
    pytest.param("run.js", b"alert(1)", NOT_ACCEPTED.format(".js"), id="javascript"),
    pytest.param("setup.exe", samples.EXE, NOT_ACCEPTED.format(".exe"), id="exe"),
    pytest.param("no-extension", pdf_bytes(), NOT_ACCEPTED.format("no-extension"), id="no-extension"),
    pytest.param("report.pdf.exe", samples.EXE, NOT_ACCEPTED.format(".exe"), id="double-ext-pdf-exe"),
    pytest.param("photo.exe.jpg", image_bytes(), DOUBLE, id="double-ext-exe-jpg"),
    pytest.param("notes.html.txt", b"plain words", DOUBLE, id="double-ext-html-txt"),
    # Django strips the NUL from the multipart name; what is left still hides ".php".
    pytest.param("shell.php\x00.jpg", image_bytes(), DOUBLE, id="nul-truncation-trick"),
    pytest.param("setup.exe.", samples.EXE, NOT_ACCEPTED.format(".exe"), id="trailing-dot"),
    pytest.param("report.pdf", samples.EXE, MISMATCH.format(".pdf"), id="mz-named-pdf"),
    pytest.param("notes.txt", samples.HTML, MISMATCH.format(".txt"), id="html-named-txt"),
    pytest.param("notes.txt", samples.SVG, SVG_REFUSED, id="svg-named-txt"),
    pytest.param("notes.txt", b"\xef\xbb\xbf" + samples.HTML, MISMATCH.format(".txt"), id="bom-html-named-txt"),
    pytest.param("notes.txt", b"\n  <body onload=alert(1)>hi", MISMATCH.format(".txt"), id="body-tag-named-txt"),
    pytest.param("table.csv", b"<script>alert(1)</script>,1,2", MISMATCH.format(".csv"), id="script-named-csv"),
    pytest.param("notes.txt", samples.EXE, MISMATCH.format(".txt"), id="exe-named-txt"),
    pytest.param("photo.jpg", pdf_bytes(), MISMATCH.format(".jpg"), id="pdf-named-jpg"),
    pytest.param("photo.png", image_bytes("JPEG"), MISMATCH.format(".png"), id="jpeg-named-png"),
    pytest.param("doc.hwp", pdf_bytes(), MISMATCH.format(".hwp"), id="pdf-named-hwp"),
    pytest.param("doc.hwpx", samples.ooxml_bytes("docx"), MISMATCH.format(".hwpx"), id="docx-named-hwpx"),
    pytest.param(
        "doc.hwpx",
        samples.zip_bytes([("Contents/a.xml", b"x")]),
        MISMATCH.format(".hwpx"),
        id="hwpx-no-mimetype",
    ),
    pytest.param("sheet.xlsx", samples.ooxml_bytes("docx"), MISMATCH.format(".xlsx"), id="docx-named-xlsx"),
    pytest.param(
        "report.docx", samples.zip_bytes([("word/a.xml", b"x")]), MISMATCH.format(".docx"), id="docx-no-types"
    ),
    pytest.param(
        "bundle.zip",
        image_bytes() + samples.zip_bytes([("a.txt", b"a")]),
        MISMATCH.format(".zip"),
        id="jpeg-zip-polyglot-named-zip",
    ),
    pytest.param("bundle.zip", b"PK\x03\x04" + b"\x00" * 200, MISMATCH.format(".zip"), id="broken-zip"),
    pytest.param("empty.pdf", b"", "The submitted file is empty.", id="empty"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSED_ATTACHMENTS)
def test_hostile_attachment_is_refused_on_the_form_and_nothing_is_stored(
    admin_client, store_counts, name, data, message
):
    before = store_counts()
    response = post_attachment(admin_client, name, data)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert store_counts() == before


ACCEPTED_ATTACHMENTS = [
    pytest.param("report.pdf", pdf_bytes(), "application/pdf", id="pdf"),
    pytest.param("민선7기_1주년_성과.hwp", samples.hwp_bytes(), "application/x-hwp", id="hwp-korean-name"),
    pytest.param("성과.hwpx", samples.hwpx_bytes(), "application/hwp+zip", id="hwpx"),
    pytest.param("report.docx", samples.ooxml_bytes("docx"), KINDS[".docx"].content_type, id="docx"),
    pytest.param("notes.txt", "광주 소식 — plain text".encode(), "text/plain; charset=utf-8", id="utf8-text"),
    pytest.param("notes.txt", "광주 소식".encode("cp949"), "text/plain; charset=cp949", id="cp949-text"),
]


@pytest.mark.parametrize(("name", "data", "content_type"), ACCEPTED_ATTACHMENTS)
def test_honest_attachment_is_stored_under_a_generated_name(admin_client, store_counts, name, data, content_type):
    before = store_counts()
    response = post_attachment(admin_client, name, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    new_files = store_counts()["files"] - before["files"]
    assert new_files == {attachment.file.name}
    assert name not in attachment.file.name and attachment.file.name.startswith("attachments/")


def test_gif_polyglot_is_accepted_only_as_a_re_encoded_image(admin_client, store_counts):
    response = post_attachment(admin_client, "poster.gif", samples.gif_polyglot())
    assert response.status_code == 302
    stored = Attachment.objects.get()
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"GIF8")
    assert b"<script>" not in data


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param({"image": upload("x.svg", samples.SVG)}, SVG_REFUSED, id="svg-photo"),
        pytest.param(
            {"image": upload("x.jpg", pdf_bytes())},
            "This file is a PDF document, not a photo. Upload a JPEG, PNG, WebP or GIF photo.",
            id="pdf-named-jpg-photo",
        ),
        pytest.param(
            {"image": upload("x.jpg", samples.HTML)},
            "This file is a web page (HTML), not a photo. Upload a JPEG, PNG, WebP or GIF photo.",
            id="html-named-jpg-photo",
        ),
        pytest.param(
            {"image": upload("x.png", image_bytes("JPEG"))},
            "This file is a JPEG image, but its name ends in “.png”. Rename it to “.jpg” or choose the PNG image file.",
            id="jpeg-named-png-photo",
        ),
        pytest.param({"image": upload("x.exe.jpg", image_bytes())}, DOUBLE, id="double-ext-photo"),
        pytest.param(
            {"image": upload("x.bmp", image_bytes("BMP"))},
            "This file is a BMP image, not a photo. Upload a JPEG, PNG, WebP or GIF photo.",
            id="bmp-photo",
        ),
    ],
)
def test_hostile_photo_is_refused_on_the_form_and_nothing_is_stored(admin_client, store_counts, row, message):
    before = store_counts()
    data = clip_form_data(images=[{"alt_text": "A photo", "caption": "", **row}])
    response = admin_client.post(add_url(), data)
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    assert store_counts() == before


@pytest.mark.parametrize(
    ("setting", "name", "data", "message"),
    [
        pytest.param(
            {"UPLOAD_MAX_ATTACHMENT_BYTES": 100},
            "report.pdf",
            pdf_bytes("x" * 200),
            f"The file is {len(pdf_bytes('x' * 200))}\xa0bytes; the limit is 100\xa0bytes.",
            id="attachment-over-limit",
        ),
        pytest.param(
            {"UPLOAD_MAX_IMAGE_BYTES": 100, "UPLOAD_MAX_ATTACHMENT_BYTES": 10**6},
            "photo.png",
            image_bytes("PNG"),
            f"The file is {len(image_bytes('PNG'))}\xa0bytes; the limit is 100\xa0bytes.",
            id="image-attachment-over-image-limit",
        ),
    ],
)
def test_attachment_size_limits_are_settings(admin_client, store_counts, setting, name, data, message):
    before = store_counts()
    with override_settings(**setting):
        response = post_attachment(admin_client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert store_counts() == before


@override_settings(UPLOAD_MAX_IMAGE_BYTES=100)
def test_photo_size_limit_is_a_setting(admin_client, store_counts):
    before = store_counts()
    data = clip_form_data(images=[{"image": upload("p.png", image_bytes("PNG")), "alt_text": "A photo"}])
    response = admin_client.post(add_url(), data)
    assert response.status_code == 200
    assert f"The photo is {len(image_bytes('PNG'))}\xa0bytes; the limit is 100\xa0bytes." in response.content.decode()
    assert store_counts() == before


@override_settings(DATA_UPLOAD_MAX_NUMBER_FILES=2)
def test_too_many_files_in_one_request_is_a_400(admin_client, store_counts):
    before = store_counts()
    rows = [{"file": upload(f"r{i}.pdf", pdf_bytes()), "title": ""} for i in range(3)]
    response = admin_client.post(add_url(), clip_form_data(attachments=rows))
    assert response.status_code == 400
    assert store_counts() == before


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=20)
def test_too_many_fields_in_one_request_is_a_400(admin_client, store_counts):
    before = store_counts()
    data = clip_form_data(**{f"extra{i}": "x" for i in range(30)})
    response = admin_client.post(add_url(), data)
    assert response.status_code == 400
    assert store_counts() == before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10_000)
def test_oversized_form_body_is_a_400(admin_client, store_counts):
    before = store_counts()
    response = admin_client.post(add_url(), clip_form_data(body="<p>" + "x" * 20_000 + "</p>"))
    assert response.status_code == 400
    assert store_counts() == before
