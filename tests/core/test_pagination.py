"""Page links around the page being read, not around page 1."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def page_links(client, page):
    html = client.get(reverse("news:list"), {"page": page}).content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    return re.findall(r">(\d+|…)</(?:a|span)>", re.sub(r'<span class="visually-hidden">[^<]*</span>', "", nav))


def test_middle_page_shows_its_neighbours(client, make_clip):
    for _ in range(150):  # 15 pages of 10
        make_clip()
    assert page_links(client, 8) == ["1", "…", "6", "7", "8", "9", "10", "…", "15"]
    assert page_links(client, 1)[:4] == ["1", "2", "3", "…"]
    assert page_links(client, 15)[-4:] == ["…", "13", "14", "15"]


def test_deep_pages_hold_the_right_clips_in_order(client, make_clip):
    clips = [make_clip(title=f"Deep {n:02}", publish_at=timezone.now() - timedelta(hours=n)) for n in range(25)]
    seen = []
    for page in (1, 2, 3):
        html = client.get(reverse("news:list"), {"page": page}).content.decode()
        seen += re.findall(r'class="clip-card-title"><a [^>]*>([^<]*)</a>', html)
    assert seen == [clip.title for clip in clips]


def _titles(client, page, **params):
    html = client.get(reverse("news:list"), {"page": page, **params}).content.decode()
    return re.findall(r'class="clip-card-title"><a [^>]*>([^<]*)</a>', html)


def test_deep_pages_seek_from_kept_positions_and_hold_the_same_clips(client, make_clip, monkeypatch):
    # Every 7th row's sort key is kept (SEEK_STRIDE, 1,000 in production): pages past the
    # first stride start from a kept row. Clips share publication times, so the seek must
    # order ties by id exactly as the plain list does.
    import core.pagination

    monkeypatch.setattr(core.pagination, "SEEK_STRIDE", 7)
    moment = timezone.now() - timedelta(days=1)
    clips = [make_clip(title=f"Seek {n:02}", publish_at=moment - timedelta(hours=n // 3)) for n in range(45)]
    expected = [clip.title for clip in sorted(clips, key=lambda clip: (clip.publish_at, clip.pk), reverse=True)]

    assert [title for page in range(1, 6) for title in _titles(client, page)] == expected
    # A filtered list seeks within its own rows.
    filtered = [title for page in range(1, 3) for title in _titles(client, page, year=moment.year)]
    assert filtered == [title for title in expected if title in filtered] and len(filtered) == 20

    # Unpublished: the kept positions are content's, so the next deep page no longer holds it.
    gone = clips[20]
    gone.status = gone.Status.DRAFT
    gone.save()
    expected.remove(gone.title)
    assert [title for page in range(1, 6) for title in _titles(client, page)] == expected


def test_deep_page_skips_fewer_rows_than_its_offset(make_clip, monkeypatch):
    import core.pagination
    from core.pagination import DeferredJoinPaginator
    from news.models import NewsClip

    monkeypatch.setattr(core.pagination, "SEEK_STRIDE", 10)
    for _ in range(60):
        make_clip()
    clips = NewsClip.objects.published().order_by("-publish_at", "-id")
    paginator = DeferredJoinPaginator(clips, 5, count_key="test-seek")
    page = paginator.page(11)  # rows 50-54: one kept position (row 50) before them
    with CaptureQueriesContext(connection) as queries:
        rows = list(page.object_list)
    assert [clip.pk for clip in rows] == [clip.pk for clip in clips[50:55]]
    assert "OFFSET" not in queries[-1]["sql"]  # starts at the kept row itself: nothing skipped
