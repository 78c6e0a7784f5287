"""A live clip with a pending draft: the public sees the live version on every surface until it is published."""

import io
import zipfile

import pytest
from django.urls import reverse

from news.models import Attachment, ClipImage, NewsClip
from tests.helpers import change_url, form_data, image_bytes, pdf_bytes, post_change, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(make_clip, make_photo, make_attachment):
    clip = make_clip(title="Live title", body="<p>Live sentence.</p>")
    clip.kept_photo = make_photo(clip, caption="Kept photo", position=0)
    clip.dropped_photo = make_photo(clip, caption="Dropped photo", position=1)
    clip.kept_file = make_attachment(clip, name="kept.pdf", position=0)
    return clip


def draft_with_new_files(editor, clip):
    """The editor changes the text, adds a photo and an attachment and removes a photo, saving a draft."""
    data = form_data(editor, clip, title="Draft title", body="<p>Draft sentence.</p>")
    data.update(
        {
            "images-TOTAL_FORMS": "3",
            "images-2-image": upload("new.jpg", image_bytes(), "image/jpeg"),
            "images-2-alt_text": "New photo",
            "images-2-caption": "New photo",
            "images-2-position": "2",
            "images-1-DELETE": "on",
            "attachments-TOTAL_FORMS": "2",
            "attachments-1-file": upload("new.pdf", pdf_bytes("new")),
            "attachments-1-position": "1",
            "_workflow": "save",
        }
    )
    response = editor.post(change_url(clip), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ClipImage.objects.get(caption="New photo"), Attachment.objects.get(original_name="new.pdf")


def test_saving_a_live_clip_keeps_the_row_and_records_a_draft(editor, live):
    new_photo, new_file = draft_with_new_files(editor, live)
    live.refresh_from_db()
    assert live.title == "Live title" and live.status == NewsClip.Status.PUBLISHED
    draft = live.revisions.get(pending=True)
    assert draft.user == editor.user and draft.data["title"] == "Draft title"
    assert [p["id"] for p in draft.data["photos"]] == [live.kept_photo.pk, new_photo.pk]
    assert new_photo.pending and new_file.pending
    assert ClipImage.objects.filter(pk=live.dropped_photo.pk).exists(), "a removal waits for publication"


def test_public_surfaces_show_only_the_live_version(client, editor, live):
    new_photo, new_file = draft_with_new_files(editor, live)
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Live title" in page and "Live sentence." in page and "Draft" not in page
    assert "Dropped photo" in page and "New photo" not in page
    assert "new.pdf" not in page
    for url_name in ("home", "news:list", "news:feed", "sitemap"):
        assert "Draft title" not in client.get(reverse(url_name)).content.decode()
    assert "Draft title" not in client.get(reverse("search"), {"q": "Draft"}).content.decode()
    assert client.get(new_photo.thumb_url).status_code == 404
    assert client.get(new_photo.original_url).status_code == 404
    assert client.get(new_file.get_absolute_url()).status_code == 404
    assert client.get(live.dropped_photo.thumb_url).status_code == 200
    bundle = client.get(reverse("news:bundle", args=[live.slug]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))).namelist()
    assert names == ["kept.pdf"]


def test_pending_photo_is_private_for_staff(editor, live):
    new_photo, _ = draft_with_new_files(editor, live)
    response = editor.get(new_photo.thumb_url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_change_form_shows_the_draft_with_links(editor, live):
    draft_with_new_files(editor, live)
    html = editor.get(change_url(live)).content.decode()
    assert "This clip has unpublished changes" in html
    assert 'value="Draft title"' in html
    assert "New photo" in html and "Dropped photo" not in html
    assert reverse("admin:news_newsclip_draft", args=[live.pk]) in html
    draft_page = editor.get(reverse("admin:news_newsclip_draft", args=[live.pk]))
    assert "private" in draft_page["Cache-Control"] and "no-store" in draft_page["Cache-Control"]
    assert "Draft sentence." in draft_page.content.decode() and "New photo" in draft_page.content.decode()


def test_publishing_the_draft_applies_everything_at_once(client, editor, publisher, live):
    new_photo, new_file = draft_with_new_files(editor, live)
    response = post_change(publisher, live, step="publish")
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Draft title" and not live.revisions.filter(pending=True).exists()
    page = client.get(live.get_absolute_url()).content.decode()
    assert "Draft sentence." in page and "New photo" in page and "Dropped photo" not in page
    assert client.get(new_file.get_absolute_url()).status_code == 200
    assert not ClipImage.objects.filter(pk=live.dropped_photo.pk).exists()
    assert not ClipImage.objects.filter(pending=True).exists() and not Attachment.objects.filter(pending=True).exists()


def test_publishing_a_draft_whose_file_is_missing_is_refused(client, editor, publisher, live):
    _, new_file = draft_with_new_files(editor, live)
    new_file.file.storage.delete(new_file.file.name)
    response = post_change(publisher, live, step="publish")
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Live title"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("is missing" in m for m in messages)


def test_unpublish_with_a_draft_makes_the_draft_the_private_row(editor, publisher, live):
    draft_with_new_files(editor, live)
    post_change(publisher, live, step="confirm_unpublish")
    live.refresh_from_db()
    assert live.status == NewsClip.Status.UNPUBLISHED and live.title == "Draft title"


def test_discarding_a_draft_removes_its_pending_files_and_keeps_the_live_ones(editor, publisher, live):
    new_photo, new_file = draft_with_new_files(editor, live)
    assert "Discard the unpublished changes" in publisher.get(change_url(live)).content.decode()
    response = publisher.post(reverse("admin:news_newsclip_review", args=[live.pk]), {"decision": "discard"})
    assert response.status_code == 302
    assert not ClipImage.objects.filter(pk=new_photo.pk).exists() and not Attachment.objects.filter(pk=new_file.pk)
    assert ClipImage.objects.filter(pk=live.dropped_photo.pk).exists()
    live.refresh_from_db()
    assert live.title == "Live title" and not live.revisions.filter(pending=True).exists()
    assert live.revisions.first().action == "discarded"


def test_pdf_is_made_from_the_live_files_only(client, editor, live, monkeypatch):
    from news.files import views as download_views

    made_from = {}
    real = download_views.cached_pdf

    def spy(clip, photos, attachments):
        made_from.update(photos=[p.caption for p in photos], attachments=[a.original_name for a in attachments])
        return real(clip, photos, attachments)

    monkeypatch.setattr(download_views, "cached_pdf", spy)
    draft_with_new_files(editor, live)
    assert client.get(reverse("news:pdf", args=[live.slug])).status_code == 200
    assert made_from == {"photos": ["Kept photo", "Dropped photo"], "attachments": ["kept.pdf"]}
