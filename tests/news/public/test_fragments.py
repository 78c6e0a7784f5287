"""Parts of pages kept between requests (core.fragments: the clip page's content blocks, the news
list's rows and filter form) follow the page cache's rule: with them warm, an edit, an
unpublish, a takedown or a scheduled clip coming out shows on the very next request, and
with Redis down every page still renders, from the database."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client):
    """A reader with a session cookie: the page cache never answers, the fragments do."""
    client.cookies["sessionid"] = "not-a-session"
    return client


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def without_counts(page):
    """The page but for its view counts: the clip page's is live (one more at each request); a
    list's, like the page cache's copy, may be up to PAGE_CACHE_SECONDS old."""
    page = re.sub(r"<dt>Views</dt><dd>\d+</dd>", "<dt>Views</dt><dd>N</dd>", page)
    return re.sub(r"· \d+ views?", "· N views", page)


def tables_read(client, url):
    with CaptureQueriesContext(connection) as ctx:
        html(client, url)
    sql = " ".join(query["sql"] for query in ctx.captured_queries)
    return {
        table
        for table in ("news_clipimage", "news_attachment", "projects_project", "policies_objective")
        if table in sql
    }


def test_the_parts_are_kept_and_the_page_is_the_same(reader, client, make_clip, make_photo, make_attachment):
    clip = make_clip(title="Hydrogen centre opens")
    make_photo(clip)
    make_attachment(clip)
    list_url = reverse("news:list")
    cold_clip, cold_list = without_counts(html(reader, clip.get_absolute_url())), html(reader, list_url)
    # Kept: no photos, attachments or related items are read again (but the attachments' live
    # download counts, filled in on every request), for the page nor for the list.
    assert tables_read(reader, clip.get_absolute_url()) <= {"news_attachment"}
    assert tables_read(reader, list_url) == set()
    assert without_counts(html(reader, clip.get_absolute_url())) == cold_clip
    assert html(reader, list_url) == cold_list
    anonymous = client.__class__()
    assert (
        without_counts(html(anonymous, clip.get_absolute_url())) == cold_clip
    )  # what the page cache stores is the same
    assert html(anonymous, list_url) == cold_list


def test_an_edit_shows_at_once_with_the_parts_warm(reader, make_clip, django_capture_on_commit_callbacks):
    clip = make_clip(title="Old title", body="<p>Old body.</p>")
    html(reader, clip.get_absolute_url()), html(reader, reverse("news:list"))
    with django_capture_on_commit_callbacks(execute=True):
        clip.title, clip.body = "New title", "<p>New body.</p>"
        clip.save()
    page = html(reader, clip.get_absolute_url())
    assert "New title" in page and "New body." in page
    assert "Old title" not in page and "Old body." not in page
    listed = html(reader, reverse("news:list"))
    assert "New title" in listed and "Old title" not in listed


def test_an_unpublished_clip_is_gone_at_once_from_its_page_the_list_and_its_neighbours(
    reader, make_clip, django_capture_on_commit_callbacks
):
    older = make_clip(title="Older clip", publish_at=timezone.now() - timedelta(days=2))
    secret = make_clip(title="Clip to withdraw", publish_at=timezone.now() - timedelta(days=1))
    newer = make_clip(title="Newer clip", publish_at=timezone.now() - timedelta(hours=1))
    for url in (secret.get_absolute_url(), older.get_absolute_url(), newer.get_absolute_url(), reverse("news:list")):
        assert "Clip to withdraw" in html(reader, url)
    with django_capture_on_commit_callbacks(execute=True):
        secret.status = NewsClip.Status.DRAFT
        secret.save()
    html(reader, secret.get_absolute_url(), status=404)
    for url in (older.get_absolute_url(), newer.get_absolute_url(), reverse("news:list")):
        assert "Clip to withdraw" not in html(reader, url)


def test_a_photo_taken_down_is_gone_at_once(
    reader, publisher, make_clip, make_photo, django_capture_on_commit_callbacks
):
    clip = make_clip()
    row = make_photo(clip)
    assert f"/photos/{row.pk}/" in html(reader, clip.get_absolute_url())
    assert f"/photos/{row.pk}/" in html(reader, reverse("news:list"))
    with django_capture_on_commit_callbacks(execute=True):
        response = publisher.post(
            reverse("admin:news_photo_take_down", args=[row.photo.pk]), {"confirm": "yes", "reason": "Privacy"}
        )
    assert response.status_code == 302
    assert f"/photos/{row.pk}/" not in html(reader, clip.get_absolute_url())
    assert f"/photos/{row.pk}/" not in html(reader, reverse("news:list"))


def test_a_scheduled_clip_is_not_shown_before_its_time_and_the_parts_expire_at_it(reader, make_clip, settings):
    from news.publishing.state import valid_until

    shown = make_clip(title="Already out")
    soon = timezone.now() + timedelta(minutes=5)
    make_clip(title="Embargoed clip", publish_at=soon)
    page = html(reader, shown.get_absolute_url())
    assert "Embargoed clip" not in page and "Embargoed clip" not in html(reader, reverse("news:list"))
    # The parts are kept no longer than the moment the clock publishes the scheduled clip.
    assert valid_until() <= soon.timestamp()


def test_no_fragment_cache_renders_the_same_page(reader, make_clip, make_photo, settings):
    clip = make_clip()
    make_photo(clip)
    html(reader, clip.get_absolute_url()), html(reader, reverse("news:list"))
    warm = without_counts(html(reader, clip.get_absolute_url())), without_counts(html(reader, reverse("news:list")))
    settings.FRAGMENT_CACHE = False
    cold = without_counts(html(reader, clip.get_absolute_url())), without_counts(html(reader, reverse("news:list")))
    assert cold == warm


def test_with_redis_down_the_pages_render_correctly_and_edits_show(
    reader, make_clip, make_photo, django_capture_on_commit_callbacks, dead_redis
):
    clip = make_clip(title="Typhoon warning")
    row = make_photo(clip)
    page = html(reader, clip.get_absolute_url())
    assert "Typhoon warning" in page and f"/photos/{row.pk}/" in page
    assert "Typhoon warning" in html(reader, reverse("news:list"))
    with django_capture_on_commit_callbacks(execute=True):
        clip.title = "Typhoon warning lifted"
        clip.save()
    assert "Typhoon warning lifted" in html(reader, clip.get_absolute_url())
    assert "Typhoon warning lifted" in html(reader, reverse("news:list"))
