"""An attachment's optional PDF version, checked like any upload and served by the same view;
and the page PDF, whose text follows the lead photo on page 1."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from news.models import Attachment
from news.publishing import workflow
from tests.helpers import body, clip_form_data, image_bytes, pdf_bytes, upload
from tests.security.samples import hwp_bytes

pytestmark = pytest.mark.django_db


def change_url(clip):
    return reverse("admin:news_newsclip_change", args=[clip.pk])


def attachment_form(clip, attachment, step="publish", **fields):
    """The live clip's change form with a PDF version added; publishing it applies the draft."""
    data = clip_form_data(
        title=clip.title,
        slug=clip.slug,
        attachments=[{"id": str(attachment.pk), "clip": str(clip.pk), "title": attachment.title, **fields}],
        lock_token=str(workflow.lock_token(clip)),
        _workflow=step,
    )
    data["attachments-INITIAL_FORMS"] = "1"
    return data


@pytest.fixture
def hwp(make_clip, make_attachment):
    clip = make_clip()
    return make_attachment(clip, name="민선7기_1주년_성과.hwp", data=hwp_bytes())


def test_a_pdf_version_is_added_in_the_admin_shown_and_downloaded(admin_client, client, hwp):
    clip = hwp.clip
    response = admin_client.post(change_url(clip), attachment_form(clip, hwp, pdf_version=upload("a.pdf", pdf_bytes())))
    assert response.status_code == 302, response.content.decode()[:2000]
    hwp = Attachment.objects.get(clip=clip)  # the draft's copy of the row, now live
    assert hwp.original_name == "민선7기_1주년_성과.hwp" and hwp.file.storage.exists(hwp.file.name)
    assert hwp.pdf_version and hwp.pdf_size > 0 and len(hwp.pdf_sha256) == 64
    html = client.get(clip.get_absolute_url()).content.decode()
    assert "Also as PDF" in html and hwp.get_pdf_url() in html
    download = client.get(hwp.get_pdf_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "%EB%AF%BC%EC%84%A07%EA%B8%B0_1%EC%A3%BC%EB%85%84_%EC%84%B1%EA%B3%BC.pdf" in download["Content-Disposition"]
    assert body(download).startswith(b"%PDF")
    hwp.refresh_from_db()
    assert hwp.download_count == 1


def test_a_pdf_version_added_in_a_draft_is_not_public_until_published(admin_client, client, hwp):
    clip = hwp.clip
    response = admin_client.post(
        change_url(clip), attachment_form(clip, hwp, step="save", pdf_version=upload("a.pdf", pdf_bytes()))
    )
    assert response.status_code == 302
    assert "Also as PDF" not in client.get(clip.get_absolute_url()).content.decode()
    live = Attachment.objects.get(clip=clip, pending=False)
    assert live.pk == hwp.pk and not live.pdf_version
    assert client.get(live.get_absolute_url()).status_code == 200  # the live file is still served


@pytest.mark.parametrize(
    ("name", "data"),
    [("version.pdf", b"MZ\x90\x00 not a pdf"), ("version.docx", pdf_bytes()), ("photo.png", image_bytes("PNG"))],
)
def test_a_pdf_version_that_is_not_a_pdf_is_refused(admin_client, hwp, name, data):
    response = admin_client.post(change_url(hwp.clip), attachment_form(hwp.clip, hwp, pdf_version=upload(name, data)))
    assert response.status_code == 200
    hwp.refresh_from_db()
    assert not hwp.pdf_version


def test_without_a_pdf_version_the_pdf_url_is_404(client, hwp):
    assert client.get(hwp.get_pdf_url()).status_code == 404


def test_a_drafts_pdf_version_is_404(client, make_clip, make_attachment):
    attachment = make_attachment(make_clip(status="draft"))
    Attachment.objects.filter(pk=attachment.pk).update(pdf_version=attachment.file.name)
    assert client.get(attachment.get_pdf_url()).status_code == 404


def test_page_pdf_puts_text_on_page_one_after_the_lead_photo(client, seeded):
    reader = PdfReader(io.BytesIO(body(client.get(reverse("news:pdf", args=[seeded.slug])))))
    first_page = reader.pages[0].extract_text()
    assert "Following one year in office" in first_page
    assert "Department" in first_page and "Last updated" in first_page and "2019-07-09 10:45" in first_page
