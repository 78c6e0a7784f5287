"""Cached public pages never show stale content or counts."""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

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
    # Served before the view runs: the counter's UPDATE and the download counts, nothing else
    # (one statement each on both databases; SQLite's test transaction adds savepoints).
    bookkeeping = ("SAVEPOINT", "RELEASE SAVEPOINT")
    assert len([q for q in ctx.captured_queries if not q["sql"].startswith(bookkeeping)]) == 2
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
        reverse("admin:news_newsclip_changelist"),
        {"action": "unpublish", "_selected_action": [seeded.pk], "confirmed": "yes"},
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


def test_unknown_parameters_share_one_cache_entry(client, make_clip, django_assert_num_queries):
    make_clip(title="Hydrogen centre opens")
    assert "Hydrogen centre opens" in html(client, reverse("news:list") + "?utm_source=first")
    # Any other tracking parameter, or none, is the same page: served from the cache.
    for n in range(20):
        with django_assert_num_queries(0):
            assert "Hydrogen centre opens" in html(client, reverse("news:list") + f"?utm_x={n}")
    with django_assert_num_queries(0):
        html(client, reverse("news:list"))


def test_parameters_a_page_reads_are_keyed_in_a_normal_order(client, make_clip, django_assert_num_queries):
    clip = make_clip(title="Subway line two")
    year = clip.publish_at.year
    first = html(client, reverse("news:list") + f"?q=subway&year={year}&utm_campaign=x")
    assert "Subway line two" in first
    with django_assert_num_queries(0):
        assert html(client, reverse("news:list") + f"?year={year}&q=subway") == first
    # A parameter the page reads is part of the key.
    assert "Subway line two" not in html(client, reverse("news:list") + "?q=nothing-matches-this")


def test_pagination_links_keep_only_the_parameters_the_list_reads(client, make_clip):
    for n in range(12):
        make_clip(title=f"Clip {n}")
    page = html(client, reverse("news:list") + "?utm_source=newsletter&q=Clip")
    assert "page=2" in page
    assert "utm_source" not in page


def test_head_requests_do_not_count_as_views(client, seeded):
    before = NewsClip.objects.get(pk=seeded.pk).view_count
    assert client.head(seeded.get_absolute_url()).status_code == 200
    assert client.head(seeded.get_absolute_url()).status_code == 200
    assert NewsClip.objects.get(pk=seeded.pk).view_count == before
    client.get(seeded.get_absolute_url())
    assert NewsClip.objects.get(pk=seeded.pk).view_count == before + 1


def test_policy_and_project_pages_are_cached_and_follow_edits(client, seeded, django_assert_num_queries):
    project = seeded.projects.get(slug="second-subway-line")
    url = reverse("projects:detail", args=[project.slug])
    html(client, url)
    with django_assert_num_queries(0):
        html(client, url)
    project.name = "Gwangju Urban Railway Line 2"
    project.save()
    assert "Gwangju Urban Railway Line 2" in html(client, url)
    objective = seeded.objectives.order_by("number").first()
    url = reverse("policies:objective", args=[objective.number])
    html(client, url)
    objective.title = "An edited objective title"
    objective.save()
    assert "An edited objective title" in html(client, url)


def test_a_cached_clip_page_is_not_served_past_the_clips_expiry(client, make_clip, monkeypatch):
    clip = make_clip(expires_at=timezone.now() + timedelta(minutes=5))
    assert client.get(clip.get_absolute_url()).status_code == 200
    assert client.get(clip.get_absolute_url()).status_code == 200  # from the cache
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: later.timestamp())
    assert client.get(clip.get_absolute_url()).status_code == 404


def test_a_cached_page_keeps_the_headers_of_the_page_that_filled_it(client, seeded):
    first = client.get(seeded.get_absolute_url())
    again = client.get(seeded.get_absolute_url())
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Type", "Permissions-Policy", "ETag"):
        assert again[header] == first[header]
    assert not again.cookies


def test_a_cached_page_answers_without_the_session_or_the_view(client, seeded, django_assert_num_queries):
    url = reverse("news:list")
    html(client, url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert not hasattr(response.wsgi_request, "session")
    assert response.wsgi_request.resolver_match is None  # the handler never routed it to the view


def test_a_deleted_clip_is_not_served_or_counted_from_the_cache(client, seeded):
    html(client, seeded.get_absolute_url())
    NewsClip.objects.filter(pk=seeded.pk).delete()
    assert client.get(seeded.get_absolute_url()).status_code == 404


def test_a_database_error_while_filling_a_cached_page_is_answered_by_the_view_not_a_500(client, seeded, monkeypatch):
    """The database went away between counting a cached page's view and filling its download
    counts: the cache steps aside and the view answers (here the database is back: a 200)."""
    from django.db import OperationalError

    from news.public import counters

    url = seeded.get_absolute_url()
    assert client.get(url).status_code == 200  # now in the page cache
    real_fill = counters.fill_counters
    calls = []

    def fill_once_failing(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_fill(*args)

    monkeypatch.setattr(counters, "fill_counters", fill_once_failing)
    response = client.get(url)
    assert response.status_code == 200
    assert len(calls) == 1, "the cached hit tried to fill; the view then rendered the page itself"
    assert re.search(r"\d+ downloads?", response.content.decode())
