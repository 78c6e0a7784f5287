"""Take down everywhere: one confirmed step removes an item from every clip (live rows, drafts' rows and
drafts' snapshots), recorded in each clip's history, with pages, ZIPs, PDFs and caches updated.
Publishers only; an item in use cannot be deleted by accident."""

import pytest
from django.test import Client
from django.urls import reverse

from news.models import ClipImage, ClipRevision, NewsClip, Photo
from news.publishing import workflow

pytestmark = pytest.mark.django_db


def take_down_url(item):
    return reverse(f"admin:news_{item._meta.model_name}_take_down", args=[item.pk])


@pytest.fixture
def everywhere(make_clip, make_photo, make_attachment):
    """One photo on a live clip, on a draft clip, and added by the pending draft of another live clip."""
    live = make_clip(slug="live")
    draft = make_clip(slug="draft", status=NewsClip.Status.DRAFT)
    with_draft = make_clip(slug="with-draft")
    uses = [make_photo(live), make_photo(draft)]
    pending = make_photo(with_draft)
    ClipImage.objects.filter(pk=pending.pk).update(pending=True)
    data = workflow.snapshot(with_draft, photos=[pending])
    workflow.save_draft(with_draft, None, data)
    make_attachment(live)
    return live, draft, with_draft, uses + [pending]


def test_the_confirmation_lists_every_use_and_changes_nothing(publisher, everywhere):
    live, draft, with_draft, uses = everywhere
    photo = uses[0].photo
    page = publisher.get(take_down_url(photo)).content.decode()
    for clip in (live, draft, with_draft):
        assert reverse("admin:news_newsclip_change", args=[clip.pk]) in page
    assert "on the public site on 1 clip" in page
    assert ClipImage.objects.filter(photo=photo).count() == 3


def test_a_publisher_takes_a_photo_down_everywhere_in_one_step(
    publisher, everywhere, django_capture_on_commit_callbacks
):
    live, draft, with_draft, uses = everywhere
    photo = uses[0].photo
    reader = Client()
    photo_url = reverse("news:photo", args=[live.slug, uses[0].pk, "thumb"])
    assert reader.get(photo_url).status_code == 200
    assert reader.get(reverse("news:pdf", args=[live.slug])).status_code == 200  # cached PDF with the photo
    page_before = reader.get(live.get_absolute_url()).content.decode()
    assert photo_url.removesuffix("thumb/") in page_before
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(take_down_url(photo), {"confirm": "yes", "reason": "Copyright complaint"})
    assert response.status_code == 302
    assert not ClipImage.objects.filter(photo=photo).exists()
    assert reader.get(photo_url).status_code == 404
    page = reader.get(live.get_absolute_url()).content.decode()
    assert f"/photos/{uses[0].pk}/" not in page, "the cached page was refreshed"
    assert reader.get(reverse("news:pdf", args=[live.slug])).status_code == 200
    for clip in (live, draft, with_draft):
        revision = clip.revisions.get(action=ClipRevision.Action.TAKEN_DOWN)
        assert "Copyright complaint" in revision.note and revision.user == publisher.user
    # The draft will not bring it back when published.
    draft_revision = with_draft.revisions.get(pending=True)
    assert draft_revision.data["photos"] == []
    workflow.publish(NewsClip.objects.get(pk=with_draft.pk), publisher.user)
    assert not with_draft.images.exists()
    # Nothing uses it now: the item stays in the library until a publisher deletes it.
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_editors_may_not_take_down_or_delete(editor, everywhere):
    _live, _draft, _with_draft, uses = everywhere
    photo = uses[0].photo
    assert editor.get(take_down_url(photo)).status_code == 403
    assert editor.post(take_down_url(photo), {"confirm": "yes"}).status_code == 403
    assert ClipImage.objects.filter(photo=photo).count() == 3
    assert editor.post(reverse("admin:news_photo_delete", args=[photo.pk]), {"post": "yes"}).status_code == 403
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_the_take_down_button_is_for_publishers(editor, publisher, everywhere):
    photo = everywhere[3][0].photo
    url = reverse("admin:news_photo_change", args=[photo.pk])
    assert "Take down everywhere" in publisher.get(url).content.decode()
    assert "Take down everywhere" not in editor.get(url).content.decode()


def test_an_item_in_use_cannot_be_deleted_by_a_publisher_either(publisher, everywhere):
    photo = everywhere[3][0].photo
    response = publisher.post(reverse("admin:news_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert Photo.objects.filter(pk=photo.pk).exists()
    publisher.post(take_down_url(photo), {"confirm": "yes"})
    response = publisher.post(reverse("admin:news_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Photo.objects.filter(pk=photo.pk).exists()
