"""The news list's "N clips" and the feed's state are kept between requests (news.published)
and must still be exact: a save, a delete, a scheduled clip coming out or a clip expiring
changes them at once, with no save in between for the last two."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip

pytestmark = pytest.mark.django_db


def shown_count(client, **params):
    # A session cookie: the uncached page an editor gets, not the page cache.
    client.cookies["sessionid"] = "editor"
    response = client.get(reverse("news:list"), params)
    assert response.status_code == 200
    return int(re.search(r'class="result-count"[^>]*>(\d+) clip', response.content.decode()).group(1))


def test_count_follows_saves_and_deletes(client, make_clip):
    make_clip()
    assert shown_count(client) == 1
    second = make_clip()
    assert shown_count(client) == 2
    second.delete()
    assert shown_count(client) == 1


def test_count_follows_the_clock_without_a_save(client, make_clip, monkeypatch):
    now = timezone.now()
    make_clip()
    make_clip(status=NewsClip.Status.SCHEDULED, publish_at=now + timedelta(hours=1))
    make_clip(expires_at=now + timedelta(hours=2))
    assert shown_count(client) == 2
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    assert shown_count(client) == 3
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2, seconds=1))
    assert shown_count(client) == 2


def test_filtered_and_invalid_lists_count_their_own_clips(client, make_clip, make_project):
    project = make_project()
    make_clip().projects.add(project)
    make_clip()
    assert shown_count(client) == 2
    assert shown_count(client, project=project.pk) == 1
    assert shown_count(client, year="1999") == 0
    assert shown_count(client, page="2") == 2


def test_feed_etag_changes_when_a_scheduled_clip_comes_out(client, make_clip, monkeypatch):
    now = timezone.now()
    make_clip()
    make_clip(status=NewsClip.Status.SCHEDULED, publish_at=now + timedelta(hours=1), title="Coming soon")
    first = client.get(reverse("news:feed"))
    assert "Coming soon" not in first.content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    second = client.get(reverse("news:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "Coming soon" in second.content.decode()
