"""A library file is public only while a live row of a published clip uses it (issue 21).

The same bytes uploaded on two clips are one library item with two uses; each use answers by its
own clip's state, and the item has no public address of its own."""

import pytest
from django.test import Client
from django.urls import reverse

from news.models import Document, NewsClip, Photo
from news.publishing import workflow

pytestmark = pytest.mark.django_db


def addresses(clip, photo, attachment):
    return {
        "page": reverse("news:detail", args=[clip.slug]),
        "attachment": reverse("news:attachment", args=[clip.slug, attachment.pk]),
        "zip": reverse("news:bundle", args=[clip.slug]),
        "pdf": reverse("news:pdf", args=[clip.slug]),
        **{
            f"photo-{size}": reverse("news:photo", args=[clip.slug, photo.pk, size])
            for size in ("thumb", "640", "640.webp", "large", "original")
        },
    }


def listings(client, word):
    """Every listing surface, as text."""
    urls = [
        reverse("home"),
        reverse("news:list"),
        reverse("news:list") + f"?q={word}",
        reverse("search") + f"?q={word}",
        reverse("news:feed"),
        reverse("sitemap-section", args=["news", 1]),
    ]
    return "".join(client.get(url).content.decode() for url in urls)


@pytest.fixture
def shared(make_clip, make_photo, make_attachment):
    """One photo and one document, used by a live clip and by a draft clip."""
    live = make_clip(title="Live clip", slug="live-clip")
    draft = make_clip(title="Draft clip", slug="draft-clip", status=NewsClip.Status.DRAFT)
    uses = {}
    for clip in (live, draft):
        uses[clip.slug] = (
            make_photo(clip, alt_text="Mayor at city hall"),
            make_attachment(clip, name="Sharedword-report.pdf", title="Sharedword report"),
        )
    return live, draft, uses


def test_the_same_bytes_on_two_clips_are_one_library_item(shared):
    live, draft, uses = shared
    (live_photo, live_doc), (draft_photo, draft_doc) = uses[live.slug], uses[draft.slug]
    assert Photo.objects.count() == 1 and Document.objects.count() == 1
    assert live_photo.photo_id == draft_photo.photo_id and live_doc.document_id == draft_doc.document_id
    assert live_photo.image.name == draft_photo.image.name, "one file on disk"


def test_an_item_used_by_a_live_and_a_draft_clip_is_public_only_through_the_live_one(client, shared):
    live, draft, uses = shared
    for name, url in addresses(live, *uses[live.slug]).items():
        assert client.get(url).status_code == 200, name
    for name, url in addresses(draft, *uses[draft.slug]).items():
        assert client.get(url).status_code == 404, name
    # The draft's use row under the live clip's address is not a way in either.
    draft_photo = uses[draft.slug][0]
    assert client.get(reverse("news:photo", args=[live.slug, draft_photo.pk, "thumb"])).status_code == 404
    assert "draft-clip" not in listings(client, "Sharedword")


def test_an_item_whose_only_live_use_is_withdrawn_answers_404_everywhere(client, shared, admin_user):
    live, draft, uses = shared
    assert client.get(addresses(live, *uses[live.slug])["attachment"]).status_code == 200
    workflow.unpublish(live, admin_user)
    for clip in (live, draft):
        for name, url in addresses(clip, *uses[clip.slug]).items():
            assert client.get(url).status_code == 404, (clip.slug, name)
    text = listings(client, "Sharedword")
    assert "live-clip" not in text and "draft-clip" not in text and "Sharedword report" not in text


def test_a_live_clips_draft_that_adds_a_library_photo_keeps_it_private(client, make_clip, make_photo, admin_user):
    live = make_clip(slug="live-with-draft")
    other = make_clip(slug="other-live")
    used = make_photo(other, alt_text="Shared photo")
    pending = make_photo(live, alt_text="Shared photo")
    type(pending).objects.filter(pk=pending.pk).update(pending=True)
    assert pending.photo_id == used.photo_id
    assert client.get(reverse("news:photo", args=[live.slug, pending.pk, "thumb"])).status_code == 404
    assert client.get(reverse("news:photo", args=[other.slug, used.pk, "thumb"])).status_code == 200
    page = client.get(live.get_absolute_url()).content.decode()
    assert f"/photos/{pending.pk}/" not in page


def test_library_files_have_no_public_address(shared, staff_client):
    live, _draft, uses = shared
    photo, attachment = uses[live.slug]
    urls = [
        reverse("admin:news_photo_file", args=[photo.photo_id, "thumb"]),
        reverse("admin:news_photo_file", args=[photo.photo_id, "original"]),
        reverse("admin:news_document_file", args=[attachment.document_id]),
    ]
    anonymous = Client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
        # Staff without the library's view permission are refused too.
        assert staff_client.get(url).status_code == 403, url
