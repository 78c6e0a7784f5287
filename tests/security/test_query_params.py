"""Bad query parameters get an empty result, the nearest page or a 400/404, never a 500."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOT_UNDERSTOOD = "some filters were not understood and no clips match them"
HUGE = "9" * 30


@pytest.fixture
def content(make_clip, make_project, make_objective, make_achievement):
    make_objective(1)
    make_achievement(1)
    make_clip(title="Subway line two", slug="subway")
    make_project(name="Subway line 2", slug="subway-line-2")


FILTERS_NOT_UNDERSTOOD = [
    pytest.param("year=abc", id="year-text"),
    pytest.param("year=99999", id="year-out-of-range"),
    pytest.param("year=2019%00", id="year-nul"),
    pytest.param("project=abc", id="project-text"),
    pytest.param(f"project={HUGE}", id="project-huge-id"),
    pytest.param("project=%00", id="project-nul"),
    pytest.param("project=-1", id="project-negative"),
    pytest.param("objective=1%27%20OR%201=1--", id="objective-sql"),
    pytest.param("objective=../../etc/passwd", id="objective-path"),
]


@pytest.mark.parametrize("query", FILTERS_NOT_UNDERSTOOD)
def test_news_list_filter_it_cannot_read_gives_an_empty_list(client, content, query):
    response = client.get(f"{reverse('news:list')}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOT_UNDERSTOOD in html
    assert "0 clips" in html


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("page=abc", id="page-text"),
        pytest.param("page=-1", id="page-negative"),
        pytest.param("page=0", id="page-zero"),
        pytest.param(f"page={HUGE}", id="page-huge"),
        pytest.param("page=1e9", id="page-exponent"),
        pytest.param("page=%00", id="page-nul"),
        pytest.param("page=1&page=2", id="page-repeated"),
        pytest.param("q=%00", id="q-nul"),
        pytest.param("q=%ff%fe", id="q-invalid-utf8"),
        pytest.param("q=" + "subway%20" * 2000, id="q-very-long"),
        pytest.param("q=%25%5F%5C", id="q-like-wildcards"),
        pytest.param("q=%27%20OR%201=1--", id="q-sql"),
        pytest.param("q[]=x&q=subway", id="q-array-syntax"),
    ],
)
def test_news_list_odd_page_or_search_is_a_page_not_an_error(client, content, query):
    assert client.get(f"{reverse('news:list')}?{query}").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("/search/?q=%00", id="search-nul"),
        pytest.param("/search/?q=%ff%fe%fd", id="search-invalid-utf8"),
        pytest.param("/search/?q=" + "a%20" * 5000, id="search-many-words"),
        pytest.param("/search/?q=%25%25%25", id="search-percent"),
        pytest.param("/search/?q=\u202e%E2%80%AE", id="search-bidi"),
        pytest.param("/policies/achievements/?field=%00", id="achievements-field-nul"),
        pytest.param("/policies/achievements/?field=../x", id="achievements-field-path"),
        pytest.param("/projects/?status=%3Cscript%3E", id="projects-status-markup"),
        pytest.param(f"/projects/?objective={HUGE}", id="projects-objective-huge"),
        pytest.param("/projects/?objective=1e400", id="projects-objective-exponent"),
        pytest.param("/projects/?objective=NaN", id="projects-objective-nan"),
        pytest.param("/projects/?objective=-Infinity", id="projects-objective-infinity"),
        pytest.param("/projects/?objective=%00", id="projects-objective-nul"),
        pytest.param("/news/feed/?page=abc", id="feed-ignores-params"),
    ],
)
def test_other_public_pages_answer_200(client, content, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        pytest.param(f"/policies/objectives/{HUGE}/", 404, id="objective-huge-number"),
        pytest.param("/policies/objectives/0/", 404, id="objective-zero"),
        pytest.param("/news/no-such-clip/", 404, id="unknown-clip"),
        pytest.param("/news/%EA%B4%91%EC%A3%BC/", 404, id="non-ascii-slug"),
        pytest.param("/news/subway/attachments/" + HUGE + "/", 404, id="attachment-huge-id"),
        pytest.param("/news/subway/photos/" + HUGE + "/thumb/", 404, id="photo-huge-id"),
        pytest.param("/sitemaps/news/abc.xml", 404, id="sitemap-page-text"),
        pytest.param("/sitemaps/news/99.xml", 404, id="sitemap-page-missing"),
        pytest.param("/sitemaps/news/0.xml", 404, id="sitemap-page-zero"),
        pytest.param("/sitemaps/pages/2.xml", 404, id="sitemap-section-page-missing"),
        pytest.param("/sitemaps/nothing/1.xml", 404, id="sitemap-section-unknown"),
    ],
)
def test_bad_paths_are_404(client, content, url, status):
    assert client.get(url).status_code == status


def test_unknown_host_is_a_400(client, db):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_too_many_query_parameters_is_a_400(client, db):
    query = "&".join(f"year={i}" for i in range(100))
    assert client.get(f"/news/?{query}").status_code == 400
    assert client.get(f"/search/?{query}").status_code == 400
