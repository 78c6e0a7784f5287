"""Document attachments readable in the browser: a PDF made in the background (news.files.conversions),
offered beside the download, served inline by the publication rule and counted apart; failures
keep the download and tell the editor why."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.filetypes import KINDS
from news.files.conversions import run_queue
from news.models import Attachment, Conversion, NewsClip
from tests.documents import HANGUL_SENTENCE, endless_docx, sample
from tests.helpers import body, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_document(make_clip, make_attachment):
    def make(name="sample.hwp", clip=None, data=None, **fields):
        clip = clip or make_clip()
        return make_attachment(clip, name=name, data=data or sample(name).read_bytes(), **fields)

    return make


def converted(attachment):
    run_queue()
    return Attachment.objects.select_related("conversion").get(pk=attachment.pk)


def test_a_document_upload_is_queued_and_no_request_converts_it(client, make_document):
    hwp = make_document(title="Budget 2019")
    queued = Conversion.objects.get(attachment=hwp)
    assert queued.status == Conversion.Status.QUEUED and queued.source_sha256 == hwp.sha256
    assert queued.title == "Budget 2019"
    assert "View in browser" not in client.get(hwp.clip.get_absolute_url()).content.decode()
    assert client.get(hwp.get_view_url()).status_code == 404
    queued.refresh_from_db()
    assert queued.status == Conversion.Status.QUEUED, "reading the page converted nothing"


def test_pdfs_and_other_files_are_not_queued(make_clip, make_attachment):
    clip = make_clip()
    make_attachment(clip, name="report.pdf")
    make_attachment(clip, name="notes.txt", data=b"Plain notes")
    assert not Conversion.objects.exists()


def test_once_converted_the_page_offers_view_in_browser_with_pages_and_size(client, make_document):
    hwp = converted(make_document(title="Budget 2019"))
    made = hwp.conversion
    assert made.status == Conversion.Status.DONE and made.pages == 1 and made.attempts == 1
    html = client.get(hwp.clip.get_absolute_url()).content.decode()
    assert hwp.get_view_url() in html
    assert "View in browser" in html and "(PDF, 1 page, " in html
    assert "Ask for an accessible version" in html, "an HWP drawn as pages is not a tagged PDF"


def test_a_tagged_pdf_replaces_the_request_for_an_accessible_version(client, make_document):
    docx = converted(make_document("sample.docx"))
    assert docx.conversion.tagged
    html = client.get(docx.clip.get_absolute_url()).content.decode()
    assert docx.get_view_url() in html
    assert "Ask for an accessible version" not in html


def test_the_pdf_is_served_inline_titled_and_counted_apart_from_downloads(client, make_document):
    hwp = converted(make_document(title="Budget 2019"))
    response = client.get(hwp.get_view_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    pdf = PdfReader(io.BytesIO(body(response)))
    assert pdf.metadata.title == "Budget 2019"
    assert "".join(HANGUL_SENTENCE.split()) in "".join(pdf.pages[0].extract_text().split())
    client.head(hwp.get_view_url())
    client.get(hwp.get_view_url(), HTTP_RANGE="bytes=0-99")
    hwp.refresh_from_db()
    assert (hwp.pdf_view_count, hwp.download_count) == (1, 0), "a HEAD or a range is not a reading"
    client.get(hwp.get_absolute_url())
    hwp.refresh_from_db()
    assert (hwp.pdf_view_count, hwp.download_count) == (1, 1)


def test_an_editors_own_pdf_version_takes_precedence(client, make_document):
    hwp = converted(make_document())
    hwp.set_checked_pdf(ContentFile(pdf_bytes("the editor's own"), name="own.pdf"))
    hwp.save()
    assert body(client.get(hwp.get_view_url())) == pdf_bytes("the editor's own")


def test_a_drafts_and_a_pending_attachments_pdf_are_404(client, make_clip, make_document):
    draft = converted(make_document(clip=make_clip(status=NewsClip.Status.DRAFT)))
    assert draft.conversion.status == Conversion.Status.DONE
    assert client.get(draft.get_view_url()).status_code == 404
    live = converted(make_document())
    Attachment.objects.filter(pk=live.pk).update(pending=True)
    assert client.get(live.get_view_url()).status_code == 404
    assert Attachment.objects.get(pk=live.pk).pdf_view_count == 0


def test_replacing_the_file_withdraws_its_pdf_until_the_new_one_is_made(
    client, make_document, django_capture_on_commit_callbacks
):
    hwp = converted(make_document())
    old_pdf = hwp.conversion.pdf.name
    hwpx = sample("sample.hwpx")
    hwp.set_checked_file("sample.hwpx", KINDS[".hwpx"], ContentFile(hwpx.read_bytes(), name="sample.hwpx"))
    with django_capture_on_commit_callbacks(execute=True):
        hwp.save()
    made = Conversion.objects.get(attachment=hwp)
    assert made.status == Conversion.Status.QUEUED and not made.pdf and made.text == ""
    assert client.get(hwp.get_view_url()).status_code == 404
    assert not hwp.file.storage.exists(old_pdf)
    hwp = converted(hwp)
    assert "quokkahwpx" in hwp.conversion.text
    assert client.get(hwp.get_view_url()).status_code == 200


def test_a_new_title_makes_the_pdf_again_and_the_old_one_serves_meanwhile(client, make_document):
    hwp = converted(make_document(title="Old title"))
    hwp.title = "New title"
    hwp.save()
    assert Conversion.objects.get(attachment=hwp).status == Conversion.Status.QUEUED
    assert client.get(hwp.get_view_url()).status_code == 200
    hwp = converted(hwp)
    assert PdfReader(hwp.conversion.pdf.path).metadata.title == "New title"


def test_a_document_that_hangs_the_converter_keeps_its_download_and_the_editor_sees_why(
    client, admin_client, settings, make_document
):
    settings.CONVERSION_TIME_LIMIT = 2
    settings.CONVERSION_MAX_ATTEMPTS = 1
    docx = make_document("sample.docx", data=endless_docx(), title="Endless")
    assert run_queue() == (0, 1)
    made = Conversion.objects.get(attachment=docx)
    assert made.status == Conversion.Status.FAILED and "longer than 2 seconds" in made.reason
    page = client.get(docx.clip.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert docx.get_absolute_url() in html and docx.get_view_url() not in html
    assert "Ask for an accessible version" in html
    assert client.get(docx.get_absolute_url()).status_code == 200
    assert client.get(docx.get_view_url()).status_code == 404
    admin_page = admin_client.get(reverse("admin:news_newsclip_change", args=[docx.clip.pk])).content.decode()
    assert "Browser PDF failed" in admin_page and "longer than 2 seconds" in admin_page


def damaged_hwp(clip):
    """An HWP whose structure is cut short (the upload check refuses it, but a file may still be
    damaged on disk later): rhwp panics on it."""
    attachment = Attachment(clip=clip)
    data = sample("sample.hwp").read_bytes()[:5000]
    attachment.set_checked_file("cut.hwp", KINDS[".hwp"], ContentFile(data, name="cut.hwp"))
    attachment.save()
    return attachment


def test_failures_are_retried_later_a_bounded_number_of_times(settings, make_clip):
    settings.CONVERSION_MAX_ATTEMPTS = 2
    hwp = damaged_hwp(make_clip())
    assert run_queue() == (0, 1)
    made = Conversion.objects.get(attachment=hwp)
    assert made.status == Conversion.Status.QUEUED and made.attempts == 1 and made.reason
    assert made.available_at > timezone.now()
    assert run_queue() == (0, 0), "not due yet"
    Conversion.objects.filter(pk=made.pk).update(available_at=timezone.now())
    assert run_queue() == (0, 1)
    made.refresh_from_db()
    assert made.status == Conversion.Status.FAILED and made.attempts == 2
    Conversion.objects.filter(pk=made.pk).update(available_at=timezone.now())
    assert run_queue() == (0, 0), "a failed conversion stays failed until someone asks again"


def test_convert_again_in_the_admin_queues_a_failed_conversion(admin_client, make_document):
    hwp = make_document()
    Conversion.objects.filter(attachment=hwp).update(status=Conversion.Status.FAILED, attempts=2, reason="Broken")
    made = Conversion.objects.get(attachment=hwp)
    response = admin_client.post(
        reverse("admin:news_conversion_changelist"), {"action": "convert_again", "_selected_action": [made.pk]}
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Conversion.Status.QUEUED and made.attempts == 0 and made.reason == ""


def test_a_conversion_left_running_by_a_stopped_worker_is_taken_back(make_document):
    hwp = make_document()
    long_ago = timezone.now() - timedelta(hours=1)
    Conversion.objects.filter(attachment=hwp).update(status=Conversion.Status.RUNNING, started_at=long_ago, attempts=1)
    assert run_queue() == (0, 0)  # taken back, then due after the retry delay
    made = Conversion.objects.get(attachment=hwp)
    assert made.status == Conversion.Status.QUEUED and "interrupted" in made.reason
    Conversion.objects.filter(pk=made.pk).update(available_at=timezone.now())
    assert run_queue() == (1, 0)


def test_the_queue_is_a_table_the_command_works_through(make_document):
    """Nothing is kept in memory between runs: a restart finds the queue where it was."""
    first, second = make_document(), make_document("sample.hwpx")
    call_command("convert_attachments", verbosity=0)
    assert set(Conversion.objects.values_list("status", flat=True)) == {Conversion.Status.DONE}
    for attachment in (first, second):
        assert converted(attachment).conversion.pdf.storage.exists(attachment.conversion.pdf.name)


def test_the_admin_shows_downloads_and_pdf_views(admin_client, client, make_document):
    hwp = converted(make_document())
    client.get(hwp.get_view_url())
    client.get(hwp.get_absolute_url())
    client.get(hwp.get_absolute_url())
    html = admin_client.get(reverse("admin:news_newsclip_change", args=[hwp.clip.pk])).content.decode()
    assert "2 downloads, 1 PDF view" in html
    assert "Browser PDF: ready, 1 page," in html


def test_deleting_an_attachment_removes_its_pdf_after_commit(make_document, django_capture_on_commit_callbacks):
    hwp = converted(make_document())
    name, storage = hwp.conversion.pdf.name, hwp.conversion.pdf.storage
    with django_capture_on_commit_callbacks(execute=True):
        hwp.delete()
    assert not storage.exists(name)
