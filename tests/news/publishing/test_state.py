"""What the public sees right now, kept between requests (news.publishing.state) and exact all
the same: the news list's count ("12 clips") and the feed's state change at once with an edit,
a delete, a scheduled clip coming out or a clip expiring (no save in between for the last two),
with or without the page cache (staff with a session are never served cached pages)."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip

pytestmark = pytest.mark.django_db


def count_shown(client, query=""):
    page = client.get(reverse("news:list") + query).content.decode()
    count = page.split('<p class="result-count" role="status">', 1)[1].split(" clip", 1)[0]
    return int(count)


@pytest.fixture(params=["anonymous", "staff"])
def reader(request, db):
    if request.param == "anonymous":
        return Client()
    return request.getfixturevalue("staff_client")


def test_an_edit_changes_the_count_at_once(reader, make_clip):
    make_clip()
    make_clip()
    assert count_shown(reader) == 2
    make_clip()
    assert count_shown(reader) == 3
    NewsClip.objects.order_by("pk").first().delete()
    assert count_shown(reader) == 2


def test_the_clock_changes_the_count_at_once(reader, make_clip, monkeypatch):
    now = timezone.now()
    make_clip(publish_at=now - timedelta(days=1))
    make_clip(publish_at=now + timedelta(minutes=10))  # scheduled
    make_clip(publish_at=now - timedelta(days=2), expires_at=now + timedelta(minutes=20))
    assert count_shown(reader) == 2
    assert count_shown(reader) == 2

    def move_clock(minutes):
        later = now + timedelta(minutes=minutes)
        monkeypatch.setattr(timezone, "now", lambda: later)
        monkeypatch.setattr(time, "time", lambda: later.timestamp())

    move_clock(11)  # the scheduled clip is out; the scheduler has not run
    assert count_shown(reader) == 3
    move_clock(21)  # and the other has expired
    assert count_shown(reader) == 2


def test_filtered_and_invalid_lists_count_their_own_clips(staff_client, make_clip, make_project):
    project = make_project()
    make_clip(publish_at=timezone.now().replace(year=2024)).projects.add(project)
    make_clip()
    year = timezone.now().year
    assert count_shown(staff_client) == 2
    assert count_shown(staff_client, "?year=2024") == 1
    assert count_shown(staff_client, f"?year={year}") == 1
    assert count_shown(staff_client, f"?project={project.pk}") == 1
    assert count_shown(staff_client, "?year=1999") == 0
    assert count_shown(staff_client, "?page=2") == 2, "a page past the end counts the whole list"


def test_the_count_is_not_queried_again_for_the_next_reader(staff_client, make_clip):
    for _ in range(3):
        make_clip()
    count_shown(staff_client)
    with CaptureQueriesContext(connection) as queries:
        assert count_shown(staff_client) == 3
    assert not any("COUNT(*)" in query["sql"] for query in queries.captured_queries)


def test_feed_etag_changes_when_a_scheduled_clip_comes_out(client, make_clip, monkeypatch):
    now = timezone.now()
    make_clip()
    make_clip(status=NewsClip.Status.SCHEDULED, publish_at=now + timedelta(hours=1), title="Coming soon")
    first = client.get(reverse("news:feed"))
    assert "Coming soon" not in first.content.decode()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=1, seconds=1))
    second = client.get(reverse("news:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and "Coming soon" in second.content.decode()
