"""The news list's count ("12 clips") is kept between requests, and is exact all the same:
an edit, a scheduled clip coming out and a clip expiring change it at once, with or
without the page cache (staff with a session are never served cached pages)."""

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


def test_filtered_counts_are_kept_apart(staff_client, make_clip):
    make_clip(publish_at=timezone.now().replace(year=2024))
    make_clip()
    year = timezone.now().year
    assert count_shown(staff_client, "?year=2024") == 1
    assert count_shown(staff_client) == 2
    assert count_shown(staff_client, f"?year={year}") == 1


def test_the_count_is_not_queried_again_for_the_next_reader(staff_client, make_clip):
    for _ in range(3):
        make_clip()
    count_shown(staff_client)
    with CaptureQueriesContext(connection) as queries:
        assert count_shown(staff_client) == 3
    assert not any("COUNT(*)" in query["sql"] for query in queries.captured_queries)
