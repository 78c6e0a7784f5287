"""The clip admin as an editor finds it: filters and search that find work, file links that open,
new rows last, plain-word help, one date format."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip
from news.publishing import workflow
from tests.helpers import clip_form_data, image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

LIST = "admin:news_newsclip_changelist"


def titles(response):
    return [clip.title for clip in response.context["cl"].result_list]


def test_state_filter_tells_scheduled_from_live_and_draft(admin_client, make_clip):
    now = timezone.now()
    make_clip(title="Live", publish_at=now - timedelta(days=1))
    make_clip(title="Scheduled", publish_at=now + timedelta(days=1))
    make_clip(title="Draft", status=NewsClip.Status.DRAFT)
    assert titles(admin_client.get(reverse(LIST), {"state": "scheduled"})) == ["Scheduled"]
    assert titles(admin_client.get(reverse(LIST), {"state": "published"})) == ["Live"]
    assert titles(admin_client.get(reverse(LIST), {"state": "draft"})) == ["Draft"]
    assert "clip-state-scheduled" in admin_client.get(reverse(LIST)).content.decode()


def test_search_finds_clips_by_attachment_name(admin_client, make_clip, make_attachment):
    clip = make_clip(title="Budget briefing")
    make_attachment(clip, name="민선7기_예산.pdf", title="Budget tables")
    make_clip(title="Unrelated")
    assert titles(admin_client.get(reverse(LIST), {"q": "민선7기"})) == ["Budget briefing"]
    assert titles(admin_client.get(reverse(LIST), {"q": "tables"})) == ["Budget briefing"]


def test_currently_links_open_the_stored_files_through_checked_views(admin_client, make_clip, make_attachment):
    clip = make_clip(status=NewsClip.Status.DRAFT)
    attachment = make_attachment(clip, name="민선7기_1주년_성과.pdf")
    response = admin_client.post(
        reverse("admin:news_newsclip_add"),
        clip_form_data(images=[{"image": upload("city-hall.jpg", image_bytes()), "alt_text": "City hall"}]),
    )
    photo_clip = NewsClip.objects.exclude(pk=clip.pk).get()
    assert response.status_code == 302

    html = admin_client.get(reverse("admin:news_newsclip_change", args=[clip.pk])).content.decode()
    assert f'<a href="{attachment.get_absolute_url()}">민선7기_1주년_성과.pdf</a>' in html
    assert admin_client.get(attachment.get_absolute_url()).status_code == 200
    photo = photo_clip.images.get()
    html = admin_client.get(reverse("admin:news_newsclip_change", args=[photo_clip.pk])).content.decode()
    assert f'<a href="{photo.original_url}">city-hall.jpg</a>' in html
    assert "Lead photo" in html
    assert admin_client.get(photo.original_url).status_code == 200


def test_new_rows_are_placed_after_the_existing_ones(admin_client, make_clip, make_photo, make_attachment):
    clip = make_clip()
    make_photo(clip, alt_text="Old lead", position=1)
    make_attachment(clip, name="first.pdf", position=1)
    data = clip_form_data(
        slug=clip.slug,
        title=clip.title,
        images=[{"image": upload("new.jpg", image_bytes()), "alt_text": "Added later"}],
        attachments=[{"file": upload("second.pdf", pdf_bytes()), "title": ""}],
    )
    # The browser sends no order for a row the editor did not move.
    data.update({"images-0-position": "", "attachments-0-position": ""})
    for prefix, model in (("images", clip.images), ("attachments", clip.attachments)):
        existing = model.get()
        data.update({f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "1"})
        moved = {
            key.replace(f"{prefix}-0-", f"{prefix}-1-"): value
            for key, value in data.items()
            if key.startswith(f"{prefix}-0-")
        }
        data = {key: value for key, value in data.items() if not key.startswith(f"{prefix}-0-")} | moved
        data.update({f"{prefix}-0-id": str(existing.pk), f"{prefix}-0-clip": str(clip.pk), f"{prefix}-0-position": "1"})
        if prefix == "images":
            data["images-0-alt_text"] = existing.alt_text
        else:
            data["attachments-0-title"] = ""
    data.update(lock_token=str(workflow.lock_token(clip)), _workflow="publish")
    response = admin_client.post(reverse("admin:news_newsclip_change", args=[clip.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert list(clip.images.values_list("alt_text", flat=True)) == ["Old lead", "Added later"]
    assert list(clip.attachments.values_list("original_name", flat=True)) == ["first.pdf", "second.pdf"]


def test_publish_time_says_which_time_zone(admin_client):
    html = admin_client.get(reverse("admin:news_newsclip_add")).content.decode()
    assert "Seoul time (Asia/Seoul, UTC+9)" in html
    assert "The key points shown in bold under the subtitle" in html


def test_public_pages_write_dates_one_way(client, seeded):
    # The clip page gives the time; lists may give the date only (issue 15), in the same form.
    for url, shown in ((seeded.get_absolute_url(), "2019-07-09 10:45"), (reverse("news:list"), "2019-07-09")):
        page = client.get(url).content.decode()
        assert shown in page, url
        assert "9 July 2019" not in page and "July 9, 2019" not in page, url
