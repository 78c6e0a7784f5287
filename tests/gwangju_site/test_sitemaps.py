"""The sitemap index and its sections: every published clip exactly once, a lastmod on every
URL, and conditional GETs."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from gwangju_site import sitemaps

pytestmark = pytest.mark.django_db


def locs(content, tag="url"):
    return re.findall(rf"<{tag}><loc>([^<]*)</loc>", content.decode())


def all_urls(client):
    """Every URL of every section the index points at, with its lastmod."""
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200 and index["Content-Type"].startswith("application/xml")
    urls = []
    for section in locs(index.content, "sitemap"):
        response = client.get(section)
        assert response.status_code == 200, section
        urls += re.findall(r"<url><loc>([^<]*)</loc><lastmod>([^<]+)</lastmod></url>", response.content.decode())
        assert response.content.count(b"<url>") == len(re.findall(r"<lastmod>", response.content.decode()))
    return urls


def test_every_published_clip_exactly_once_across_sections(client, seeded, make_clip, monkeypatch):
    monkeypatch.setattr(sitemaps, "CLIPS_PER_SITEMAP", 2)
    published = [make_clip() for _ in range(4)] + [seeded]
    draft = make_clip(status="draft")
    urls = [loc for loc, _ in all_urls(client)]
    clip_urls = [loc for loc in urls if "/news/" in loc and not loc.endswith("/news/")]
    assert sorted(clip_urls) == sorted(f"{settings.SITE_URL}{clip.get_absolute_url()}" for clip in published)
    assert draft.get_absolute_url() not in " ".join(urls)
    assert any(loc.endswith("/projects/second-subway-line/") for loc in urls)
    index = client.get(reverse("sitemap")).content.decode()
    assert index.count("/sitemaps/news/") == 3  # five clips, two to a file
    assert index.count("<sitemap>") == index.count("<lastmod>")


def test_lastmod_is_the_clip_update_time(client, make_clip):
    clip = make_clip()
    [(loc, lastmod)] = [(loc, lastmod) for loc, lastmod in all_urls(client) if clip.slug in loc]
    assert lastmod == clip.updated.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("path", [reverse("sitemap"), reverse("sitemap-section", args=["news", 1])])
def test_conditional_get(client, make_clip, monkeypatch, path):
    monkeypatch.setattr(sitemaps, "CLIPS_PER_SITEMAP", 1)
    clip = make_clip()
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    clip.slug = "edited-slug"
    clip.save()
    make_clip(slug="a-new-clip")
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
