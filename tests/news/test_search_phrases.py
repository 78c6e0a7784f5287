"""Quoted phrases: the words side by side, in order, on both databases. On PostgreSQL a phrase
first narrows its candidates by the clips' word pairs and triples (news_newsclip.search_pairs,
migration 0025), so these also check that the narrowing never loses a clip the phrase matches."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


def titles(client, query):
    response = client.get(reverse("news:list"), {"q": query})
    assert response.status_code == 200
    return sorted(re.findall(r'class="clip-card-title"><a [^>]*>([^<]*)</a>', response.content.decode()))


@pytest.fixture
def phrases(make_clip):
    return [
        make_clip(title="Side by side", body="<p>The new hydrogen subway line opens in May.</p>"),
        make_clip(title="Apart", body="<p>The subway runs; hydrogen buses run beside it.</p>"),
        make_clip(title="Reversed", body="<p>A subway for hydrogen, and subway hydrogen trials.</p>"),
        make_clip(title="Stop words", body="<p>The mayor of the City of Gwangju spoke.</p>"),
        make_clip(title="Punctuation", body="<p>Hydrogen, subway: both are budgeted.</p>"),
    ]


def test_a_phrase_finds_its_words_side_by_side_in_order(client, phrases):
    assert titles(client, '"hydrogen subway"') == ["Punctuation", "Side by side"]
    assert titles(client, '"subway hydrogen"') == ["Reversed"]
    assert titles(client, '"new hydrogen subway line"') == ["Side by side"]


def test_stop_words_inside_a_phrase(client, phrases):
    assert titles(client, '"city of gwangju"') == ["Stop words"]
    assert titles(client, '"mayor gwangju"') == []


def test_phrases_in_alternatives_and_beside_words(client, phrases):
    assert titles(client, '"new hydrogen subway" OR "city of gwangju"') == ["Side by side", "Stop words"]
    # One alternative without a phrase: nothing can be narrowed, every match still found.
    assert titles(client, '"new hydrogen subway" OR buses') == ["Apart", "Side by side"]
    assert titles(client, '"hydrogen subway" budgeted') == ["Punctuation"]
    assert titles(client, '"hydrogen subway" -budgeted') == ["Side by side"]


def test_an_edit_moves_the_phrase(client, phrases):
    clip = phrases[1]
    clip.body = "<p>Now the hydrogen subway is here too.</p>"
    clip.save()
    assert titles(client, '"hydrogen subway"') == ["Apart", "Punctuation", "Side by side"]
    clip.body = "<p>Gone again: subway, and later hydrogen.</p>"
    clip.save()
    assert titles(client, '"hydrogen subway"') == ["Punctuation", "Side by side"]


def test_an_attachment_name_phrase(client, make_clip, make_attachment):
    clip = make_clip(title="With a file", body="<p>See the file.</p>")
    make_attachment(clip, name="hydrogen-subway-plan.pdf")
    assert titles(client, '"hydrogen subway plan"') == ["With a file"]


@postgres_only
def test_a_phrase_asks_the_pairs_index_first(client, phrases):
    with CaptureQueriesContext(connection) as queries:
        titles(client, '"new hydrogen subway line"')
    assert any("search_pairs" in query["sql"] for query in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        titles(client, "hydrogen subway")  # no phrase: nothing to narrow
    assert not any("search_pairs" in query["sql"] for query in queries.captured_queries)


@postgres_only
def test_a_clip_with_too_many_pairs_is_still_found(client, make_clip):
    # More distinct pairs and triples than a clip keeps (50,000): it is a candidate for every phrase.
    # (At its start: PostgreSQL counts positions up to 16,383 only, and past that no phrase matches.)
    words = " ".join(f"w{n}" for n in range(26_000))
    clip = make_clip(title="Very long", body=f"<p>harbour festival lanterns {words}</p>")
    make_clip(title="Short", body="<p>The harbour festival lanterns.</p>")
    clip.refresh_from_db()
    assert clip.search_pairs == "'~all'"
    assert titles(client, '"harbour festival lanterns"') == ["Short", "Very long"]


@postgres_only
def test_hostile_words_do_not_break_the_index(client, make_clip):
    giant = "x" * 3000  # longer than a lexeme may be: PostgreSQL leaves the word out
    long = "y" * 300  # a lexeme, and long: its pairs' keys are as short as any
    clip = make_clip(title="Hostile", body=f"<p>{giant} hydrogen subway {long} tram {giant}</p>")
    clip.refresh_from_db()
    assert clip.search_pairs
    assert titles(client, '"hydrogen subway"') == ["Hostile"]
