"""Every absolute URL the site makes starts with SITE_URL, whatever Host the request names:
behind nginx the Host may be an internal name, and copies of a URL (page, feed, sitemap,
share previews, PDF) must agree."""

import re
import xml.etree.ElementTree as ET
from io import BytesIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from tests.helpers import body

pytestmark = pytest.mark.django_db

OTHER_HOST = "localhost"  # allowed by the test settings, and not SITE_URL's host


@pytest.fixture
def clip(make_clip, make_photo):
    clip = make_clip(slug="site-url-clip")
    make_photo(clip)
    return clip


def absolute_urls(text):
    return re.findall(r"""https?://[^\s"'<>]+""", text)


def test_pages_use_site_url(client, clip):
    for url in [reverse("home"), reverse("news:list"), clip.get_absolute_url(), reverse("projects:list")]:
        html = client.get(url, HTTP_HOST=OTHER_HOST).content.decode()
        # Every address of this site is on SITE_URL. The other links are the city's Korean site
        # and share links, which carry this page's address on SITE_URL.
        site = quote(settings.SITE_URL, safe="")
        found = [
            u
            for u in absolute_urls(html)
            if "schema.org" not in u and not u.startswith(settings.KOREAN_SITE_URL) and site not in u
        ]
        assert found, url
        assert all(u.startswith(settings.SITE_URL + "/") for u in found), (url, found)
        assert f'<link rel="canonical" href="{settings.SITE_URL}{url}">' in html


def test_feed_uses_site_url(client, clip):
    xml = client.get(reverse("news:feed"), HTTP_HOST=OTHER_HOST).content.decode()
    root = ET.fromstring(xml)
    links = [root.findtext("channel/link"), *(item.findtext("link") for item in root.iter("item"))]
    assert settings.SITE_URL + clip.get_absolute_url() in links
    assert all(link.startswith(settings.SITE_URL + "/") for link in links)
    assert OTHER_HOST not in xml


def test_sitemap_uses_site_url(client, clip):
    index = client.get(reverse("sitemap"), HTTP_HOST=OTHER_HOST).content.decode()
    sections = re.findall(r"<loc>([^<]+)</loc>", index)
    assert settings.SITE_URL + reverse("sitemap-section", args=["news", 1]) in sections
    xml = client.get(reverse("sitemap-section", args=["news", 1]), HTTP_HOST=OTHER_HOST).content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert settings.SITE_URL + clip.get_absolute_url() in locations
    assert all(loc.startswith(settings.SITE_URL + "/") for loc in [*sections, *locations])


def test_robots_names_the_sitemap_on_site_url(client):
    text = client.get(reverse("robots"), HTTP_HOST=OTHER_HOST).content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text.splitlines()


def test_pdf_footer_uses_site_url(client, clip, settings, tmp_path):
    settings.PDF_CACHE_ROOT = tmp_path
    response = client.get(reverse("news:pdf", args=[clip.slug]), HTTP_HOST=OTHER_HOST)
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(body(response))).pages).replace("\n", "")
    assert settings.SITE_URL + clip.get_absolute_url() in text
