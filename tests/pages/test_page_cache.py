"""Cached public pages never show stale content or counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.models import NewsClip

pytestmark = pytest.mark.django_db


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_cached_clip_page_still_counts_and_shows_every_view(client, seeded):
    assert "<dt>Views</dt><dd>33</dd>" in html(client, seeded.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        page = html(client, seeded.get_absolute_url())
    assert "<dt>Views</dt><dd>34</dd>" in page
    assert len(ctx.captured_queries) <= 3  # the clip, the counter, the download counts
    seeded.refresh_from_db()
    assert seeded.view_count == 34


def test_cached_clip_page_shows_current_download_counts(client, seeded):
    attachment = seeded.attachments.order_by("position").first()
    assert "· 0 downloads" in html(client, seeded.get_absolute_url())
    b"".join(client.get(attachment.get_absolute_url()).streaming_content)
    assert "· 1 download<" in html(client, seeded.get_absolute_url())


def test_an_edit_shows_at_once(client, seeded):
    html(client, seeded.get_absolute_url())
    html(client, reverse("news:list"))
    seeded.title = "A year in innovation, edited"
    seeded.save()
    assert "A year in innovation, edited" in html(client, seeded.get_absolute_url())
    assert "A year in innovation, edited" in html(client, reverse("news:list"))
    assert "A year in innovation, edited" in html(client, reverse("home"))


def test_bulk_unpublish_hides_cached_pages_at_once(client, admin_client, seeded):
    html(client, seeded.get_absolute_url())
    assert seeded.title in html(client, reverse("home"))
    admin_client.post(
        reverse("admin:news_newsclip_changelist"), {"action": "unpublish", "_selected_action": [seeded.pk]}
    )
    assert NewsClip.objects.published().count() == 0
    assert client.get(seeded.get_absolute_url()).status_code == 404
    assert seeded.title not in html(client, reverse("home"))
    assert seeded.title not in html(client, reverse("news:list"))


def test_a_new_photo_caption_shows_at_once(client, seeded, make_photo):
    html(client, seeded.get_absolute_url())
    make_photo(seeded, caption="A brand-new caption", position=99)
    assert "A brand-new caption" in html(client, seeded.get_absolute_url())


def test_related_project_rename_shows_at_once(client, seeded):
    html(client, seeded.get_absolute_url())
    project = seeded.projects.get(slug="second-subway-line")
    project.name = "Gwangju Urban Railway Line 2"
    project.save()
    assert "Gwangju Urban Railway Line 2" in html(client, seeded.get_absolute_url())


def test_logged_in_readers_bypass_the_cache(staff_client, client, seeded):
    html(client, seeded.get_absolute_url())
    NewsClip.objects.filter(pk=seeded.pk).update(title="Changed behind the cache's back")
    assert "Changed behind the cache's back" in html(staff_client, seeded.get_absolute_url())
