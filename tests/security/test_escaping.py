"""Every editor field except the sanitised body is escaped wherever it appears."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db

CLOSE_SCRIPT = "</script><script>alert(1)</script>"
ATTRIBUTE_BREAKOUT = '" onmouseover="alert(2)" x="'
TITLE = f"Gwangju{CLOSE_SCRIPT}{ATTRIBUTE_BREAKOUT}"
SUBTITLE = "<img src=x onerror=alert(3)>subtitle"
HIGHLIGHT = "| <b onclick=alert(4)>highlight</b>"
AUTHOR = "<svg onload=alert(5)>Press office"
ALT = '" onerror="alert(6)'
CAPTION = "<iframe src=javascript:alert(7)>"
ATTACHMENT_TITLE = "<a href=javascript:alert(8)>report</a>"
ATTACHMENT_NAME = "<img src=x onerror=alert(9)>.pdf"
PROJECT = "<script>alert(10)</script>Subway line 2"

# What must never reach a page unescaped.
RAW_PAYLOADS = [
    "<script>alert(",
    'onmouseover="alert(2)"',
    "<img src=x",
    "<b onclick",
    "<svg onload",
    'onerror="alert(6)"',
    "<iframe",
    "<a href=javascript",
]


def assert_inert(html):
    for payload in RAW_PAYLOADS:
        assert payload not in html, payload


@pytest.fixture
def hostile(make_clip, make_photo, make_attachment, make_project):
    project = make_project(name=PROJECT)
    clip = make_clip(title=TITLE, subtitle=SUBTITLE, highlights=HIGHLIGHT, author_name=AUTHOR, body="<p>gwangju</p>")
    clip.projects.add(project)
    make_photo(clip, alt_text=ALT, caption=CAPTION)
    make_attachment(clip, name=ATTACHMENT_NAME, title=ATTACHMENT_TITLE)
    return clip


def test_detail_page_escapes_every_field(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    assert_inert(html)
    assert f'<h1 id="clip-title">{escape(TITLE)}</h1>' in html
    assert f"<title>{escape(TITLE)} | Gwangju Metropolitan City</title>" in html
    assert f'<meta property="og:title" content="{escape(TITLE)}">' in html
    assert f'<meta name="description" content="{escape(SUBTITLE)}">' in html
    assert f'<meta property="og:description" content="{escape(SUBTITLE)}">' in html
    for text in (
        SUBTITLE,
        "&lt;b onclick=alert(4)&gt;highlight&lt;/b&gt;",
        AUTHOR,
        CAPTION,
        ATTACHMENT_TITLE,
        ATTACHMENT_NAME,
        PROJECT,
    ):
        assert (escape(text) if "&lt;" not in text else text) in html
    assert f'alt="{escape(ALT)}"' in html


def test_json_ld_cannot_be_closed_by_the_title(client, hostile):
    html = client.get(hostile.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 2
    for block in blocks:
        assert "</script" not in block.lower() and "<" not in block
    breadcrumbs, article = (json.loads(block) for block in blocks)
    assert breadcrumbs["itemListElement"][-1]["name"] == TITLE
    assert article["headline"] == TITLE[:110]
    # Only our own scripts: the two JSON-LD blocks and the site script.
    assert html.lower().count("<script") == 3


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda clip: reverse("news:list"), id="news-list"),
        pytest.param(lambda clip: reverse("home"), id="home"),
        pytest.param(lambda clip: reverse("news:list") + "?q=Gwangju", id="news-list-search"),
        pytest.param(lambda clip: reverse("search") + "?q=Gwangju", id="site-search"),
    ],
)
def test_cards_and_results_escape_the_title(client, hostile, url):
    html = client.get(url(hostile)).content.decode()
    assert escape(TITLE) in html
    assert_inert(html)


def test_prev_next_links_escape_the_neighbour_title(client, hostile, make_clip):
    from datetime import timedelta

    older = make_clip(publish_at=hostile.publish_at - timedelta(days=1))
    html = client.get(older.get_absolute_url()).content.decode()
    assert f'rel="next"><span class="label">Next clip</span> {escape(TITLE)}</a>' in html
    assert_inert(html)


def test_search_results_escape_project_names(client, hostile):
    html = client.get(reverse("search") + "?q=Subway").content.decode()
    assert escape(PROJECT) in html
    assert_inert(html)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("search", id="site-search"),
        pytest.param("news:list", id="news-list"),
    ],
)
def test_reflected_query_is_escaped(client, db, path):
    query = '"><script>alert(1)</script>'
    html = client.get(reverse(path), {"q": query}).content.decode()
    assert "<script>alert(1)" not in html
    assert escape(query) in html


def test_feed_escapes_titles_and_descriptions(client, hostile):
    response = client.get(reverse("news:feed"))
    raw = response.content.decode()
    # Quotes are harmless in XML text; angle brackets are not.
    for payload in ("<script>alert(", "<img src=x", "<svg onload"):
        assert payload not in raw
    item = ET.fromstring(response.content).find("channel/item")
    assert item.findtext("title") == TITLE  # a plain-text element: XML escaping is enough


def test_feed_description_is_inert_html_for_feed_readers(client, hostile):
    # Readers decode the XML, then render <description> as HTML: editor text must
    # arrive HTML-escaped inside it, so the reader shows it as text.
    item = ET.fromstring(client.get(reverse("news:feed")).content).find("channel/item")
    description = item.findtext("description")
    assert "<img" not in description
    assert description.startswith(escape(SUBTITLE))


def test_admin_changelist_escapes_titles(admin_client, hostile):
    html = admin_client.get(reverse("admin:news_newsclip_changelist")).content.decode()
    assert escape(TITLE) in html
    assert "<script>alert(1)" not in html
