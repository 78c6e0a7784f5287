"""What a share preview, a search engine's rich result and a screen reader reading the PDF see."""

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from pypdf import PdfReader

from tests.helpers import body

pytestmark = pytest.mark.django_db

CITY = "Gwangju Metropolitan City"


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = {}, {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs["content"]
        elif tag == "link":
            self.links.setdefault(attrs["rel"], attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadParser()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def content(make_clip, make_photo, make_project, make_objective):
    with_photo = make_clip(slug="with-photo", title="A clip with a photo", subtitle="Its subtitle")
    make_photo(with_photo, alt_text="The lead photo")
    make_photo(with_photo, alt_text="Second photo", position=2)
    return {
        "with_photo": with_photo,
        "without_photo": make_clip(slug="no-photo", title="A clip without photos"),
        "project": make_project(slug="subway", name="Second subway line", summary="A subway."),
        "objective": make_objective(3, title="Clean air"),
    }


PAGES = {
    "home": lambda c: reverse("home"),
    "news-list": lambda c: reverse("news:list"),
    "clip": lambda c: c["with_photo"].get_absolute_url(),
    "clip-no-photo": lambda c: c["without_photo"].get_absolute_url(),
    "projects": lambda c: reverse("projects:list"),
    "project": lambda c: c["project"].get_absolute_url(),
    "policies": lambda c: reverse("policies:index"),
    "achievements": lambda c: reverse("policies:achievements"),
    "objective": lambda c: c["objective"].get_absolute_url(),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_content_page_has_a_share_preview(client, content, page):
    url = PAGES[page](content)
    parsed = head(client, url)
    meta = parsed.meta
    for name in ("og:title", "og:description", "og:image", "og:url", "og:type", "twitter:card", "description"):
        assert meta.get(name), name
    assert meta["og:url"] == settings.SITE_URL + url == parsed.links["canonical"]
    assert meta["og:image"].startswith(settings.SITE_URL + "/")
    assert meta["twitter:card"] == "summary_large_image"


def test_clip_preview_uses_the_lead_photo(client, content):
    clip = content["with_photo"]
    meta = head(client, clip.get_absolute_url()).meta
    lead = clip.images.order_by("position").first()
    assert meta["og:image"] == settings.SITE_URL + lead.large_url
    assert meta["og:image:alt"] == "The lead photo"
    assert (meta["og:title"], meta["og:description"], meta["og:type"]) == (clip.title, clip.subtitle, "article")


def test_without_photo_the_site_image_is_used_and_served(client, content):
    meta = head(client, content["without_photo"].get_absolute_url()).meta
    path = meta["og:image"].removeprefix(settings.SITE_URL)
    assert path.startswith("/static/img/share")
    image = client.get(path)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")


def test_json_ld_names_the_city_never_a_login(client, content):
    clip = content["with_photo"]
    clip.author_name = "admin"
    clip.save()
    blocks = head(client, clip.get_absolute_url()).json_ld
    article = next(block for block in blocks if block["@type"] == "NewsArticle")
    assert article["author"]["name"] == CITY and "admin" not in json.dumps(article)
    publisher = article["publisher"]
    assert publisher["name"] == CITY and publisher["url"] == settings.SITE_URL + "/"
    logo = publisher["logo"]["url"].removeprefix(settings.SITE_URL)
    assert client.get(logo).status_code == 200


@pytest.mark.parametrize("page", ["news-list", "clip", "project", "objective", "achievements"])
def test_breadcrumb_list_matches_the_breadcrumbs(client, content, page):
    url = PAGES[page](content)
    response = client.get(url)
    parser = HeadParser()
    parser.feed(response.content.decode())
    crumbs = next(block for block in parser.json_ld if block["@type"] == "BreadcrumbList")["itemListElement"]
    nav = re.search(r'<nav class="breadcrumbs.*?</nav>', response.content.decode(), re.S).group(0)
    shown = [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", nav, re.S)]
    assert [crumb["name"] for crumb in crumbs] == [s.replace("&#x27;", "'") for s in shown]
    assert [crumb["position"] for crumb in crumbs] == list(range(1, len(shown) + 1))
    assert crumbs[0]["item"] == settings.SITE_URL + "/"
    assert "item" not in crumbs[-1]  # the current page


def test_favicon_and_touch_icons(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and body(icon).startswith(b"\x00\x00\x01\x00")  # an ICO file
    links = head(client, reverse("home")).links
    for rel in ("icon", "apple-touch-icon"):
        assert client.get(links[rel]).status_code == 200
    assert finders.find("img/apple-touch-icon.png")


def test_page_pdf_is_tagged_with_title_language_and_the_city_as_author(client, content, settings, tmp_path):
    settings.PDF_CACHE_ROOT = tmp_path
    clip = content["with_photo"]
    reader = PdfReader(io.BytesIO(body(client.get(reverse("news:pdf", args=[clip.slug])))))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert str(catalog["/Lang"]).lower().startswith("en")
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == clip.title
    assert reader.metadata.author == CITY
