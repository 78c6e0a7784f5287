"""A draft of a live clip that adds a photo and an attachment: nothing of them reaches a public
surface (search on both databases, the feedback page, lists, feed, sitemap, JSON-LD, share tags,
ZIP) until the draft is published; then they do."""

import io
import re
import zipfile
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from news.models import Attachment, ClipImage
from tests.helpers import change_url, form_data, image_bytes, pdf_bytes, post_change, upload

pytestmark = pytest.mark.django_db

EMBARGOED_NAME = "embargoed_zebrafinch_plan.pdf"
EMBARGOED_TITLE = "Walrus budget figures"


@pytest.fixture
def live(make_clip, make_photo, make_attachment):
    clip = make_clip(title="Harbour lantern festival", body="<p>Lanterns on the river.</p>")
    make_photo(clip, caption="Live photo", alt_text="Live photo")
    make_attachment(clip, name="programme.pdf")
    return clip


def save_draft_with_new_files(editor, clip):
    """The editor adds a photo and an attachment to the live clip and saves a draft."""
    data = form_data(editor, clip)
    photos, files = int(data["images-TOTAL_FORMS"]), int(data["attachments-TOTAL_FORMS"])
    data.update(
        {
            "images-TOTAL_FORMS": str(photos + 1),
            f"images-{photos}-image": upload("secret.jpg", image_bytes(), "image/jpeg"),
            f"images-{photos}-alt_text": "Embargoed photo",
            f"images-{photos}-position": str(photos),
            "attachments-TOTAL_FORMS": str(files + 1),
            f"attachments-{files}-file": upload(EMBARGOED_NAME, pdf_bytes("embargo")),
            f"attachments-{files}-title": EMBARGOED_TITLE,
            f"attachments-{files}-position": str(files),
            "_workflow": "save",
        }
    )
    response = editor.post(change_url(clip), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ClipImage.objects.get(alt_text="Embargoed photo"), Attachment.objects.get(original_name=EMBARGOED_NAME)


@pytest.mark.parametrize("url_name", ["news:list", "search"])
def test_a_drafts_attachment_is_not_found_by_search_until_published(client, editor, publisher, live, url_name):
    def found(word):
        return live.title in client.get(reverse(url_name), {"q": word}).content.decode()

    assert found("lantern") and found("programme"), "the live clip and its live file are searchable"
    save_draft_with_new_files(editor, live)
    # Words, and phrases (on PostgreSQL a phrase is looked up by its word pairs first: they too
    # come from the public index only).
    for word in ("zebrafinch", "embargoed", "walrus", '"walrus budget figures"', '"embargoed zebrafinch"'):
        assert not found(word), f"{word!r} of the draft's file name or title reached the public index"
    assert found("programme")

    assert post_change(publisher, live, "publish").status_code == 302
    assert found("zebrafinch") and found("walrus"), "published, the file's words are searchable"
    assert found('"walrus budget figures"') and found('"embargoed zebrafinch"'), "and its phrases"


def test_feedback_page_does_not_name_a_drafts_attachment(client, editor, live):
    _photo, pending = save_draft_with_new_files(editor, live)
    kept = live.attachments.get(original_name="programme.pdf")
    assert "programme.pdf" in client.get(reverse("feedback"), {"attachment": kept.pk}).content.decode()
    response = client.get(reverse("feedback"), {"attachment": pending.pk})
    assert response.status_code == 404
    assert "zebrafinch" not in response.content.decode()


def test_every_public_surface_shows_only_the_live_files(client, editor, live):
    photo, attachment = save_draft_with_new_files(editor, live)
    photo_path = f"/photos/{photo.pk}/"
    secrets = (photo_path, "Embargoed photo", "zebrafinch", EMBARGOED_TITLE, f"/attachments/{attachment.pk}/")
    pages = {
        "home": reverse("home"),
        "list": reverse("news:list"),
        "detail (JSON-LD, share tags)": live.get_absolute_url(),
        "feed": reverse("news:feed"),
        "sitemap": reverse("sitemap"),
        "site search": reverse("search") + "?q=lantern",
    }
    detail = client.get(live.get_absolute_url()).content.decode()
    assert 'property="og:image"' in detail and "application/ld+json" in detail
    live_photo = live.images.get(alt_text="Live photo")
    assert f"/photos/{live_photo.pk}/" in re.search(r'og:image" content="([^"]+)"', detail).group(1)
    sections = 0
    for label, url in pages.items():
        response = client.get(url)
        text = b"".join(response.streaming_content) if response.streaming else response.content
        for section in re.findall(r"<loc>([^<]+\.xml)</loc>", text.decode()):  # the sitemap's sections
            text += client.get(urlsplit(section).path).content
            sections += 1
        for secret in secrets:
            assert secret not in text.decode(), f"{label} shows {secret!r} of the unpublished draft"
    assert sections, "the sitemap's sections were read too"
    bundle = client.get(reverse("news:bundle", args=[live.slug]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(bundle.streaming_content))).namelist()
    assert names == ["programme.pdf"]
    assert client.get(photo.thumb_url).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_saving_a_draft_with_files_leaves_the_public_page_cache_alone(client, editor, live, django_assert_num_queries):
    assert client.get(reverse("news:list")).status_code == 200  # now cached
    save_draft_with_new_files(editor, live)
    with django_assert_num_queries(0):  # served from the page cache, as before the draft
        assert client.get(reverse("news:list")).status_code == 200
