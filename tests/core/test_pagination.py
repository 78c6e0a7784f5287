"""Page links around the page being read, not around page 1."""

import re
from datetime import timedelta

import pytest
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
