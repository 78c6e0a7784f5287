"""Preview shows the photos and files chosen on the form but not saved yet, and saves nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from news.models import Attachment, ClipImage, NewsClip, StagedUpload
from tests.helpers import clip_form_data, form_data, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db
KOREAN_PDF = "민선7기_1주년_성과.pdf"


def staged_urls(html):
    return re.findall(r'(?:src|href)="(/admin/news/newsclip/staged/[0-9a-f-]+/)"', html)


def test_preview_of_a_new_clip_shows_its_new_photo_and_attachment(editor):
    data = clip_form_data(
        title="Lantern festival",
        images=[
            {"image": upload("lanterns.jpg", image_bytes()), "alt_text": "Lanterns on the water", "caption": "At dusk"}
        ],
        attachments=[{"file": upload(KOREAN_PDF, pdf_bytes()), "title": "Programme"}],
    )
    response = editor.post(reverse("admin:news_newsclip_preview_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'alt="Lanterns on the water"' in html and "At dusk" in html
    assert "Programme" in html and KOREAN_PDF in html
    photo_url, file_url = staged_urls(html)[0], staged_urls(html)[-1]

    photo = editor.get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert b"".join(photo.streaming_content)[:2] == b"\xff\xd8"
    document = editor.get(file_url)
    assert document.status_code == 200 and document["Content-Disposition"].startswith("attachment")

    assert not NewsClip.objects.exists() and not ClipImage.objects.exists() and not Attachment.objects.exists()
    assert StagedUpload.objects.count() == 2  # kept for the session, cleared with the other staged uploads


def test_a_staged_preview_file_is_only_for_the_session_that_chose_it(editor, publisher):
    data = clip_form_data(images=[{"image": upload("private.jpg", image_bytes()), "alt_text": "Private"}])
    html = editor.post(reverse("admin:news_newsclip_preview_new"), data).content.decode()
    url = staged_urls(html)[0]
    assert publisher.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    other_session = Client()
    other_session.force_login(editor.user)
    assert other_session.get(url).status_code == 404


def test_preview_of_a_live_clip_with_a_new_photo_row(editor, make_clip, make_photo):
    clip = make_clip(title="Live")
    make_photo(clip, caption="Saved photo", position=1)
    data = form_data(editor, clip)
    data.update(
        {
            "images-TOTAL_FORMS": "2",
            "images-1-image": upload("new.png", image_bytes("PNG")),
            "images-1-alt_text": "A new photo",
            "images-1-caption": "New caption",
            "images-1-position": "0",
        }
    )
    html = editor.post(reverse("admin:news_newsclip_preview", args=[clip.pk]), data).content.decode()
    assert html.index("Saved photo") < html.index("New caption"), "a new row goes after the others, as a save puts it"
    assert len(staged_urls(html)) == 2  # the link and the image
    assert ClipImage.objects.filter(clip=clip).count() == 1 and not clip.revisions.exists()
