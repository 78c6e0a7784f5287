"""A parameter a page does not read (a campaign tag, a click id) changes nothing on it: the page
cached for everyone is the plain one, whichever request filled the cache."""

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

TRACKING = {"utm_source": "newsletter", "utm_campaign": "july", "fbclid": "x1"}


@pytest.fixture
def content(make_clip, make_project):
    make_clip(title="Harbour lantern festival")
    make_project(name="Lantern project")


@pytest.mark.parametrize("url_name", ["news:list", "projects:list"])
def test_a_tracking_parameter_does_not_change_the_cached_list(client, content, url_name):
    tagged = client.get(reverse(url_name), TRACKING).content.decode()
    assert "Clear filters" not in tagged, "the list reads a parameter its cache key leaves out"
    plain = client.get(reverse(url_name)).content.decode()  # served from the entry the tagged request made
    assert "Clear filters" not in plain
    assert plain == tagged


@pytest.mark.parametrize(
    ("url_name", "query"),
    [
        ("home", {}),
        ("news:list", {}),
        ("news:list", {"q": "lantern"}),
        ("projects:list", {"status": "planned"}),
        ("search", {"q": "lantern"}),
        ("policies:index", {}),
        ("policies:achievements", {}),
        ("accessibility", {}),
    ],
)
def test_every_cached_page_is_the_same_with_and_without_tracking_parameters(client, content, url_name, query):
    tagged = client.get(reverse(url_name), {**query, **TRACKING})
    cache.clear()
    plain = client.get(reverse(url_name), query)
    assert tagged.status_code == plain.status_code == 200
    assert tagged.content == plain.content


def test_clear_filters_is_offered_for_a_filter_not_for_a_page_number(client, content):
    assert "Clear filters" in client.get(reverse("news:list"), {"q": "lantern"}).content.decode()
    assert "Clear filters" in client.get(reverse("projects:list"), {"status": "planned"}).content.decode()
    assert "Clear filters" not in client.get(reverse("news:list"), {"page": "1"}).content.decode()
