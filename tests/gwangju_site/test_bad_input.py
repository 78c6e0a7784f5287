"""Malformed query parameters get a clear answer, never a 500, and are always escaped."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BAD_PARAMS = [
    {"page": "abc"},
    {"page": "99999"},
    {"page": "-1"},
    {"page": "0"},
    {"year": "abcd"},
    {"year": "99999999999"},
    {"project": "999999"},
    {"project": "x"},
    {"objective": "-5"},
    {"q": "x" * 5000},
    {"q": "%"},
    {"q": "_"},
    {"q": "100%_done"},
    {"q": "a\x00b"},
    {"q": "<script>alert(1)</script>"},
    {"status": "nonsense"},
    {"field": "no-such-field"},
    {"q": ["a", "b"]},
]
URLS = ["news:list", "search", "projects:list", "policies:achievements", "home"]


@pytest.mark.parametrize("url_name", URLS)
@pytest.mark.parametrize("params", BAD_PARAMS, ids=lambda p: repr(p)[:30])
def test_bad_parameters_never_500(client, seeded, url_name, params):
    response = client.get(reverse(url_name), params)
    assert response.status_code in {200, 400, 404}
    assert b"<script>alert(1)</script>" not in response.content


def test_page_past_the_end_shows_the_last_page(client, seeded):
    response = client.get(reverse("news:list"), {"page": "99999"})
    assert response.status_code == 200
    assert "Gwangju! A year in innovation" in response.content.decode()


def test_unknown_project_id_gives_an_empty_list_with_a_message(client, seeded):
    html = client.get(reverse("news:list"), {"project": "999999"}).content.decode()
    assert "No news clips match" in html


def test_search_text_is_escaped(client, seeded):
    html = client.get(reverse("search"), {"q": '"><b>bold</b>'}).content.decode()
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "path",
    [
        "/news/no-such-clip/",
        "/projects/no-such-project/",
        "/policies/objectives/11/",
        "/policies/objectives/0/",
        "/policies/objectives/99999999999999999999/",
    ],
)
def test_unknown_objects_are_404(client, seeded, path):
    assert client.get(path).status_code == 404
