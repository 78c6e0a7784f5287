"""Every public page shows the seed content."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get_html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_latest_clip_objectives_and_featured_projects(client, seeded):
    html = get_html(client, reverse("home"))
    assert "Gwangju! A year in innovation" in html
    assert "①" in html and "⑩" in html
    assert "Urban Regeneration New Deal" in html
    assert reverse("news:photo", args=[seeded.slug, seeded.images.order_by("position")[0].pk, "thumb"]) in html


def test_clip_page_shows_everything_the_city_page_does(client, seeded):
    html = get_html(client, seeded.get_absolute_url())
    for text in [
        "Gwangju! A year in innovation",
        "Three more years working for the future of Korea",
        "Gwangju Mayor holds one-year anniversary press conference",
        "Name",
        "admin",
        "2019-07-09 10:45",
        "Views",
        "Night view of the Asia Culture Center",
        "Major achievements of the first year in office",
        "Print",
        "Download page",
        "Full (compressed) download",
        "광주_혁신_1년_보도자료.pdf",
        "PDF",
    ]:
        assert text in html, text
    assert reverse("news:bundle", args=[seeded.slug]) in html
    assert reverse("news:pdf", args=[seeded.slug]) in html
    for attachment in seeded.attachments.all():
        assert attachment.get_absolute_url() in html
    assert 'loading="lazy"' in html and 'width="1600"' in html
    assert '"@type": "NewsArticle"' in html
    assert 'property="og:title" content="Gwangju! A year in innovation"' in html


def test_clip_page_lists_related_projects_and_objectives(client, seeded):
    html = get_html(client, seeded.get_absolute_url())
    assert reverse("projects:detail", args=["second-subway-line"]) in html
    assert reverse("policies:objective", args=[9]) in html


def test_view_counter_counts_each_request_without_touching_updated(client, seeded):
    updated = seeded.updated
    html = get_html(client, seeded.get_absolute_url())
    assert "<dt>Views</dt><dd>33</dd>" in html
    get_html(client, seeded.get_absolute_url())
    seeded.refresh_from_db()
    assert seeded.view_count == 34
    assert seeded.updated == updated


def test_news_list_search_and_filters(client, seeded):
    assert "Gwangju! A year in innovation" in get_html(client, reverse("news:list"))
    assert "Gwangju! A year in innovation" in get_html(client, reverse("news:list"), q="subway line")
    assert "No news clips match" in get_html(client, reverse("news:list"), q="zebra")
    assert "Gwangju! A year in innovation" in get_html(client, reverse("news:list"), year="2019")
    project = seeded.projects.get(slug="second-subway-line")
    assert "Gwangju! A year in innovation" in get_html(client, reverse("news:list"), project=project.pk)
    objective = seeded.objectives.get(number=3)
    assert "Gwangju! A year in innovation" in get_html(client, reverse("news:list"), objective=objective.pk)


def test_news_list_paginates_newest_first(client, make_clip):
    clips = [make_clip() for _ in range(12)]  # each one an hour older than the last
    html = get_html(client, reverse("news:list"))
    assert html.index(clips[0].title + "<") < html.index(clips[1].title + "<")
    assert clips[11].title + "<" not in html
    assert clips[11].title + "<" in get_html(client, reverse("news:list"), page="2")
    assert 'aria-current="page">1<' in html


def test_policies_pages(client, seeded):
    html = get_html(client, reverse("policies:index"))
    for text in [
        "Innovation",
        "Communication",
        "Integrity",
        "Reviving the Gwangju spirit",
        "Righteous and affluent Gwangju",
        "Gwangju, as the future of Korea",
        "Jobs and economy",
        "⑩",
    ]:
        assert text in html, text
    html = get_html(client, reverse("policies:achievements"))
    assert html.index("Gwangju Job Project successfully established") < html.index("FINA World Championships")
    html = get_html(client, reverse("policies:achievements"), field="safety-and-welfare")
    assert "safest city" in html and "Gwangju Job Project successfully established" not in html
    html = get_html(client, reverse("policies:objective", args=[9]))
    assert "37-billion-won" in html and "Gwangju stream restoration" in html
    assert "Gwangju! A year in innovation" in html


def test_projects_pages(client, seeded):
    html = get_html(client, reverse("projects:list"))
    assert "Gwangju second subway line" in html
    html = get_html(client, reverse("projects:list"), status="planned")
    assert "Bitgreen" in html and "Gwangju second subway line" not in html
    html = get_html(client, reverse("projects:list"), objective="9")
    assert "Gwangju stream restoration" in html and "Bitgreen" not in html
    html = get_html(client, reverse("projects:detail", args=["urban-regeneration-new-deal"]))
    assert "1.236 trillion won" in html and "91.8 billion won" in html
    html = get_html(client, reverse("projects:detail", args=["gwangju-job-project-automotive-plant"]))
    assert "latter half of 2019" in html and "Production begins" in html
    assert "Gwangju! A year in innovation" in html


def test_site_search_groups_results_by_type(client, seeded):
    html = get_html(client, reverse("search"), q="subway")
    for group in ["News clips", "Major achievements", "Key policy objectives", "Projects"]:
        assert group in html
    assert "Gwangju second subway line" in html


def test_feed_sitemap_robots_healthz(client, seeded):
    feed = client.get(reverse("news:feed"))
    assert feed.status_code == 200 and b"<rss" in feed.content
    assert b"Gwangju! A year in innovation" in feed.content
    index = get_html(client, reverse("sitemap"))
    sitemap = "".join(get_html(client, url) for url in re.findall(r"<loc>([^<]*)</loc>", index))
    assert seeded.get_absolute_url() in sitemap and "/projects/second-subway-line/" in sitemap
    robots = get_html(client, reverse("robots"))
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in robots
    assert client.get(reverse("healthz")).json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


def test_404_page_is_in_the_site_design(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Gwangju Metropolitan City" in response.content.decode()


def test_500_page_shows_no_traceback(client, db, monkeypatch):
    from gwangju_site import views

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views.HomeView, "get_context_data", explode)
    client.raise_request_exception = False
    response = client.get(reverse("home"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html and "secret internals" not in html and "Traceback" not in html
