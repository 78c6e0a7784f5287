"""Stored files get our names; the uploader's name is kept only as cleaned-up data."""

import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from news.files.checks import MAX_NAME_LENGTH, clean_original_name
from news.models import Attachment
from tests.helpers import clip_form_data, pdf_bytes, upload

pytestmark = pytest.mark.django_db

LONG_KOREAN_NFC = "광주광역시_" * 16 + ".pdf"  # 100 characters composed, 228 decomposed
GENERATED = re.compile(r"^attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$")


def post_attachment(admin_client, name):
    return admin_client.post(
        reverse("admin:news_newsclip_add"), clip_form_data(attachments=[{"file": upload(name, pdf_bytes())}])
    )


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        pytest.param(
            unicodedata.normalize("NFD", "민선7기_1주년_성과.pdf"), "민선7기_1주년_성과.pdf", id="nfd-hangul-to-nfc"
        ),
        pytest.param(
            unicodedata.normalize("NFD", LONG_KOREAN_NFC), LONG_KOREAN_NFC, id="long-nfd-hangul-fits-once-composed"
        ),
        pytest.param("\u202ereport.pdf", "report.pdf", id="bidi-override"),
        pytest.param("re\u200bport\u200d.pdf", "report.pdf", id="zero-width"),
        pytest.param("\ufeffreport.pdf", "report.pdf", id="byte-order-mark"),
        pytest.param("rep\x1b[31mort.pdf", "rep[31mort.pdf", id="escape-sequence"),
        pytest.param("C:\\Users\\press\\report.pdf", "report.pdf", id="windows-path"),
        pytest.param("../../etc/report.pdf", "report.pdf", id="dot-dot-path"),
        pytest.param("Report.PDF", "Report.PDF", id="upper-case-extension"),
    ],
)
def test_original_name_is_cleaned_and_the_stored_name_is_generated(admin_client, sent, kept):
    response = post_attachment(admin_client, sent)
    assert response.status_code == 302, response.content.decode()[-3000:]
    attachment = Attachment.objects.get()
    assert attachment.original_name == kept
    assert GENERATED.match(attachment.file.name)


def test_bidi_override_cannot_disguise_an_executable(admin_client, store_counts):
    before = store_counts()
    # Shown as "invoiceexe.pdf" by a bidi-aware renderer; really "….exe".
    response = post_attachment(admin_client, "invoice\u202efdp.exe")
    assert response.status_code == 200
    assert escape("“.exe” files are not accepted.") in response.content.decode()
    assert store_counts() == before


# Django itself cuts an uploaded file's name to 255 characters, keeping the extension.
@pytest.mark.parametrize(("length", "reported"), [(MAX_NAME_LENGTH + 1, MAX_NAME_LENGTH + 1), (250, 250), (1000, 255)])
def test_over_long_name_is_refused_with_a_form_message(admin_client, store_counts, length, reported):
    before = store_counts()
    name = "r" * (length - 4) + ".pdf"
    response = post_attachment(admin_client, name)
    assert response.status_code == 200
    assert (
        f"The file name is {reported} characters long; please shorten it to {MAX_NAME_LENGTH} or fewer."
        in response.content.decode()
    )
    assert store_counts() == before


def test_name_of_exactly_the_limit_is_kept_whole(admin_client):
    name = "가" * (MAX_NAME_LENGTH - 4) + ".pdf"
    assert post_attachment(admin_client, name).status_code == 302
    assert Attachment.objects.get().original_name == name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("a\u2028b.pdf", "ab.pdf", id="line-separator"),
        pytest.param("a\tb\r\n.pdf", "ab.pdf", id="tab-and-newline"),
        pytest.param("\u2066report\u2069.pdf", "report.pdf", id="bidi-isolates"),
        pytest.param("...report.pdf. ", "report.pdf", id="leading-and-trailing-dots"),
        pytest.param("\x7freport.pdf", "report.pdf", id="delete-character"),
    ],
)
def test_clean_original_name_removes_invisible_characters(name, expected):
    assert clean_original_name(name) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param("report\x00.pdf", "name_control", id="nul"),
        pytest.param("\u202e\u200b", "name_empty", id="only-invisible"),
        pytest.param("...", "name_empty", id="only-dots"),
        pytest.param("x" * 300 + ".pdf", "name_too_long", id="too-long"),
        pytest.param("payload.svg.pdf", "double_ext", id="hidden-svg"),
    ],
)
def test_clean_original_name_refuses(name, code):
    with pytest.raises(ValidationError) as refused:
        clean_original_name(name)
    assert refused.value.code == code
