"""Full-text search on the news list and the site search: what matches, in which order,
what the reader sees. These run on SQLite (FTS5) and on PostgreSQL (tsvector) alike."""

import re
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news import search

pytestmark = pytest.mark.django_db

LIST, SITE = reverse("news:list"), reverse("search")


def html(response):
    return response.content.decode()


def list_titles(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200
    return re.findall(r'class="clip-card-title"><a [^>]*>([^<]*)</a>', html(response))


def site_titles(client, **params):
    response = client.get(SITE, params)
    assert response.status_code == 200
    group = re.search(r"News clips <span.*?</ul>", html(response), re.S)
    return re.findall(r'<li><a href="/news/[^"]*">([^<]*)</a>', group.group(0)) if group else []


@pytest.fixture
def clips(make_clip):
    return {
        "body": make_clip(title="Budget news", body="<p>The hydrogen tram will run on the river road.</p>"),
        "title": make_clip(title="Hydrogen tram for Gwangju", body="<p>A new vehicle for the city.</p>"),
        "other": make_clip(title="Festival opens", body="<p>Music and food by the river.</p>"),
    }


@pytest.mark.parametrize("results", [list_titles, site_titles], ids=["news-list", "site-search"])
def test_title_matches_rank_above_body_matches(client, clips, results):
    assert results(client, q="hydrogen") == ["Hydrogen tram for Gwangju", "Budget news"]


@pytest.mark.parametrize("results", [list_titles, site_titles], ids=["news-list", "site-search"])
def test_web_search_syntax(client, clips, results):
    assert results(client, q="hydrogen -budget") == ["Hydrogen tram for Gwangju"]
    assert sorted(results(client, q="festival OR budget")) == ["Budget news", "Festival opens"]
    assert results(client, q='"river road"') == ["Budget news"]
    assert results(client, q='"road river"') == []
    # Stemming: the plural finds the singular.
    assert results(client, q="trams") == ["Hydrogen tram for Gwangju", "Budget news"]


def test_attachment_titles_and_korean_file_names_are_searchable_and_kept_current(client, make_clip, make_attachment):
    clip = make_clip(title="Press release")
    attachment = make_attachment(clip, name="2024_광주_보도자료.pdf", title="Mayor's briefing notes")
    assert list_titles(client, q="briefing") == ["Press release"]
    assert list_titles(client, q="보도자료") == ["Press release"]
    assert site_titles(client, q="광주") == ["Press release"]
    attachment.delete()
    assert list_titles(client, q="보도자료") == []


def test_edits_are_searchable_at_once(client, make_clip):
    clip = make_clip(title="Old headline", body="<p>Nothing here.</p>")
    clip.title = "Subway opening"
    clip.save()
    assert list_titles(client, q="subway") == ["Subway opening"]
    assert list_titles(client, q="headline") == []
    clip.delete()
    assert list_titles(client, q="subway") == []


def test_drafts_are_not_found(client, make_clip):
    make_clip(title="Secret subway plan", status="draft")
    assert list_titles(client, q="subway") == [] and site_titles(client, q="subway") == []


@pytest.mark.parametrize("url", [LIST, SITE])
def test_matched_words_are_highlighted_and_the_text_escaped(client, make_clip, url):
    make_clip(title="Tram", body="<p>Jobs &amp; growth: &lt;b&gt;stop&lt;/b&gt; at the hydrogen tram depot.</p>")
    page = html(client.get(url, {"q": "hydrogen"}))
    assert "<mark>hydrogen</mark>" in page
    assert "Jobs &amp; growth" in page
    assert "<b>stop</b>" not in page


@pytest.mark.parametrize("url", [LIST, SITE])
@pytest.mark.parametrize("query", ["the", "and of the", '"the"', "-subway", "...", "%_\\", "OR"])
def test_a_query_with_nothing_to_search_says_so(client, clips, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    assert "no words to search for" in html(response)
    assert "Hydrogen tram" not in html(response)


BAD_QUERIES = [
    '"unbalanced quote',
    '""',
    '"',
    "- - -",
    "hydrogen OR OR -",
    "-",
    "word " * 1000,
    "!@#$%^&*()",
    "광주 보도자료",
    "a\x00b",
    "100%",
    "_tram_",
    "back\\slash\\",
    "tram*",
    "NEAR(tram hydrogen)",
    "title:tram",
    "^tram",
    "tram AND NOT",
    "'; DROP TABLE news_newsclip; --",
    "\u202ehydrogen",
]


@pytest.mark.parametrize("url", [LIST, SITE])
@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: repr(q)[:25])
def test_odd_queries_get_a_page_not_an_error(client, clips, url, query):
    response = client.get(url, {"q": query})
    assert response.status_code == 200


def test_operator_words_are_searched_as_words(client, make_clip):
    make_clip(title="Near the station", body="<p>A column about trams.</p>")
    assert list_titles(client, q="NEAR(station)") == ["Near the station"]
    assert list_titles(client, q="station:column") == ["Near the station"]


def test_search_keeps_other_filters_even_past_the_newest_matches(client, make_clip, monkeypatch):
    """Only the newest matches are ranked; the year filter must choose among them first."""
    monkeypatch.setattr(search, "MAX_CANDIDATES", 1)
    make_clip(title="Subway today")
    make_clip(title="Subway long ago", publish_at=timezone.make_aware(datetime(2015, 5, 1)))
    assert list_titles(client, q="subway") == ["Subway today"]
    assert list_titles(client, q="subway", year="2015") == ["Subway long ago"]


def count_queries(client, url, params):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [LIST, SITE])
def test_search_queries_constant_in_the_number_of_matches(client, make_clip, make_photo, make_attachment, url):
    first = make_clip(title="Subway 0")
    make_photo(first)
    make_attachment(first)
    one = count_queries(client, url, {"q": "subway"})
    for n in range(15):
        clip = make_clip(title=f"Subway {n + 1}", publish_at=timezone.now() - timedelta(days=n))
        make_photo(clip)
        make_attachment(clip)
    assert count_queries(client, url, {"q": "subway"}) == one


def test_search_results_page_on(client, make_clip):
    for n in range(12):
        make_clip(title=f"Subway {n:02}", publish_at=timezone.now() - timedelta(days=n))
    first, second = list_titles(client, q="subway"), list_titles(client, q="subway", page=2)
    assert first + second == [f"Subway {n:02}" for n in range(12)]


@pytest.mark.parametrize("url", [LIST, SITE])
def test_a_search_stopped_for_taking_too_long_says_so(client, clips, url, monkeypatch):
    def too_slow(self, rows):
        self.too_slow = True
        return []

    monkeypatch.setattr(search.SearchResults, "_time_limited", too_slow)
    if connection.vendor != "postgresql":
        monkeypatch.setattr(search, "_postgres", lambda: True)
        monkeypatch.setattr(search.SearchResults, "_pg_query", lambda self: None)
        monkeypatch.setattr(search.SearchResults, "_pg_pairs", lambda self: None)
    response = client.get(url, {"q": '"hydrogen tram"'})
    assert response.status_code == 200
    assert "took too long" in html(response)
    assert "Hydrogen tram for Gwangju" not in html(response)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_the_time_limit_stops_the_query_and_the_page_goes_on(make_clip, monkeypatch):
    from core.search import parse_query
    from news.models import NewsClip

    make_clip(title="Hydrogen tram")
    monkeypatch.setattr(search, "TIME_LIMIT_MS", 50)
    slow = NewsClip.objects.published().extra(where=["pg_sleep(0.2) IS NOT NULL"])
    results = search.search_clips(slow, parse_query("hydrogen"))
    assert results.count() == 0 and results.too_slow
    assert [c.title for c in search.search_clips(NewsClip.objects.published(), parse_query("hydrogen"))[:5]] == [
        "Hydrogen tram"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
