"""Conditional GET: feed readers, crawlers and browsers revalidate instead of downloading again."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from news.models import NewsClip
from news.publishing import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def clip(make_clip):
    return make_clip(slug="conditional")


@pytest.mark.parametrize("name", ["news:feed", "sitemap"])
def test_feed_and_sitemap_answer_304(client, clip, name):
    first = client.get(reverse(name))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(reverse(name), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    gzipped = client.get(reverse(name), HTTP_ACCEPT_ENCODING="gzip")
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=gzipped["ETag"]).status_code == 304


@pytest.mark.parametrize("url", [lambda: reverse("news:feed"), lambda: reverse("sitemap-section", args=["news", 1])])
@pytest.mark.parametrize("change", ["edit", "new", "withdraw", "delete", "scheduled-comes-out"])
def test_any_change_gets_the_new_version(client, clip, make_clip, admin_user, url, change):
    """Changes made the ways they are made: an edit, a publication, the workflow's unpublish,
    a delete, and the scheduler's minute (which bumps the page cache the sitemap is kept in)."""
    scheduled = make_clip(slug="later", publish_at=timezone.now() + timedelta(hours=1))
    first = client.get(url())
    if change == "edit":
        clip.title = "Edited"
        clip.slug = "conditional-edited"
        clip.save()
    elif change == "new":
        make_clip(slug="brand-new")
    elif change == "withdraw":
        workflow.unpublish(clip, admin_user)
    elif change == "delete":
        clip.delete()
    else:
        NewsClip.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
        call_command("publish_scheduled", stdout=io.StringIO())
    again = client.get(url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "url", [lambda c: reverse("home"), lambda c: reverse("news:list"), lambda c: c.get_absolute_url()]
)
def test_cached_pages_answer_304(client, clip, url):
    first = client.get(url(clip))
    assert first["ETag"].startswith('W/"')
    assert client.get(url(clip), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    clip.title = "Changed title"
    clip.save()
    changed = client.get(url(clip), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"Changed title" in changed.content


def test_staff_pages_carry_no_etag(staff_client, clip):
    response = staff_client.get(clip.get_absolute_url())
    assert response.status_code == 200 and "ETag" not in response
