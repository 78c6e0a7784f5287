"""Replace in place: a corrected file keeps its item, every clip's public address and download count;
the clip page says when it was updated; the earlier file stays in the item's history, for staff only."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from news.models import Attachment, ClipRevision, NewsClip, ReplacedFile
from tests.helpers import image_bytes, library_change_data, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def change_url(item):
    return reverse(f"admin:news_{item._meta.model_name}_change", args=[item.pk])


def download(client, attachment):
    response = client.get(reverse("news:attachment", args=[attachment.clip.slug, attachment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_publisher_replaces_a_live_clips_pdf_keeping_its_address_and_count(
    publisher, make_clip, make_attachment, django_capture_on_commit_callbacks
):
    live = make_clip(title="Live clip")
    other = make_clip(title="Another clip")
    attachment = make_attachment(live, name="report.pdf", title="Report")
    elsewhere = make_attachment(other, name="report.pdf")
    Attachment.objects.filter(pk=attachment.pk).update(download_count=41)
    reader = Client()
    assert download(reader, attachment) == pdf_bytes()
    document = attachment.document
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            change_url(document),
            library_change_data(document, replacement=upload("Erratum report.pdf", pdf_bytes("Corrected"))),
        )
    assert response.status_code == 302
    # The old address serves the new file, and the count goes on from where it was.
    assert download(reader, attachment) == pdf_bytes("Corrected")
    attachment.refresh_from_db()
    assert attachment.download_count == 43 and attachment.original_name == "Erratum report.pdf"  # 41 + 2
    assert download(reader, elsewhere) == pdf_bytes("Corrected"), "every clip using it"
    # Search knows the new file name, not the old one.
    listing = reader.get(reverse("news:list"), {"q": "Erratum"}).content.decode()
    assert "Live clip" in listing
    # The ZIP holds the new file too.
    response = reader.get(reverse("news:bundle", args=[live.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.read(archive.namelist()[0]) == pdf_bytes("Corrected")
    # The page says the file was corrected; each clip's history records it.
    page = reader.get(live.get_absolute_url()).content.decode()
    assert "the file was corrected" in page
    for clip in (live, other):
        assert clip.revisions.filter(action=ClipRevision.Action.REPLACED).count() == 1
    # The earlier file: in the item's history for staff, never for the public.
    earlier = ReplacedFile.objects.get(document=document)
    version_url = reverse("admin:news_document_version", args=[document.pk, earlier.pk])
    assert version_url in publisher.get(change_url(document)).content.decode()
    staff_copy = publisher.get(version_url)
    assert b"".join(staff_copy.streaming_content) == pdf_bytes()
    assert reader.get(version_url).status_code == 302  # to the login page


def test_a_replaced_photo_is_served_at_the_same_addresses_with_new_renditions(publisher, make_clip, make_photo):
    clip = make_clip()
    use = make_photo(clip, data=image_bytes(size=(800, 600), color=(200, 0, 0)))
    reader = Client()
    url = reverse("news:photo", args=[clip.slug, use.pk, "480"])
    before = reader.get(url)
    assert before.status_code == 200
    photo = use.photo
    response = publisher.post(
        change_url(photo),
        library_change_data(photo, replacement=upload("blue.png", image_bytes("PNG", (640, 480), (0, 0, 200)))),
    )
    assert response.status_code == 302
    use.refresh_from_db()
    assert (use.width, use.height) == (640, 480) and use.image.name.endswith(".png")
    after = reader.get(url)
    with Image.open(io.BytesIO(b"".join(after.streaming_content))) as image:
        assert image.format == "PNG" and image.getpixel((10, 10))[:3] == (0, 0, 200)


def test_an_editor_may_not_replace_a_file_the_public_sees(editor, make_clip, make_attachment):
    attachment = make_attachment(make_clip())
    document = attachment.document
    response = editor.post(
        change_url(document), library_change_data(document, replacement=upload("new.pdf", pdf_bytes("new")))
    )
    assert response.status_code == 200
    assert "only a publisher may replace it" in response.content.decode()
    attachment.refresh_from_db()
    assert attachment.sha256 == document.sha256 and not ReplacedFile.objects.exists()


def test_an_editor_may_replace_a_file_only_drafts_use(editor, make_clip, make_attachment):
    attachment = make_attachment(make_clip(status=NewsClip.Status.DRAFT))
    document = attachment.document
    response = editor.post(
        change_url(document), library_change_data(document, replacement=upload("new.pdf", pdf_bytes("new")))
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.original_name == "new.pdf" and attachment.sha256 != document.sha256


def test_a_replacement_the_library_already_holds_is_refused(publisher, make_clip, make_attachment):
    clip = make_clip()
    first = make_attachment(clip, name="a.pdf", data=pdf_bytes("A"))
    make_attachment(clip, name="b.pdf", data=pdf_bytes("B"))
    response = publisher.post(
        change_url(first.document),
        library_change_data(first.document, replacement=upload("again.pdf", pdf_bytes("B"))),
        follow=True,
    )
    assert "already in the library" in response.content.decode()
    first.refresh_from_db()
    assert first.original_name == "a.pdf"


def test_a_refused_replacement_is_a_form_error(publisher, make_clip, make_attachment):
    attachment = make_attachment(make_clip())
    response = publisher.post(
        change_url(attachment.document),
        library_change_data(attachment.document, replacement=upload("x.svg", b"<svg onload=alert(1)></svg>")),
    )
    assert response.status_code == 200
    assert "SVG" in response.content.decode()


@pytest.mark.parametrize("step", ["publish", "draft-then-publish"])
def test_a_new_file_chosen_on_a_live_clips_form_keeps_the_address_and_count(
    publisher, make_clip, make_attachment, step
):
    """The reported bug: "Change:" on a live clip's attachment and publishing moved /attachments/1/ to a
    new address and zeroed its count. The corrected file now takes the row's place on publication."""
    from tests.helpers import change_url as clip_change_url
    from tests.helpers import form_data

    clip = make_clip()
    attachment = make_attachment(clip, name="report.pdf", title="Report")
    Attachment.objects.filter(pk=attachment.pk).update(download_count=7)
    data = form_data(publisher, clip)
    data["attachments-0-file"] = upload("report-v2.pdf", pdf_bytes("Version 2"))
    if step == "draft-then-publish":
        assert publisher.post(clip_change_url(clip), {**data, "_workflow": "save"}).status_code == 302
        reader = Client()
        assert download(reader, attachment) == pdf_bytes(), "the draft is not public"
        assert clip.attachments.count() == 2
        assert (
            publisher.post(clip_change_url(clip), {**form_data(publisher, clip), "_workflow": "publish"}).status_code
            == 302
        )
    else:
        assert publisher.post(clip_change_url(clip), {**data, "_workflow": "publish"}).status_code == 302
    assert list(clip.attachments.values_list("pk", flat=True)) == [attachment.pk]
    reader = Client()
    assert download(reader, attachment) == pdf_bytes("Version 2")
    attachment.refresh_from_db()
    assert attachment.download_count == 7 + (2 if step == "draft-then-publish" else 1)
    assert attachment.original_name == "report-v2.pdf"
    assert attachment.title == "Report" and attachment.file_replaced_at is not None
    assert "the file was corrected" in reader.get(clip.get_absolute_url()).content.decode()
