"""gzip for pages, feed, sitemap and JSON; never for downloads or responses carrying a CSRF token."""

import gzip

import pytest
from django.urls import reverse

from tests.helpers import body, image_bytes

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture
def clip(make_clip, make_photo, make_attachment):
    clip = make_clip(slug="compressed", body="<p>" + "Gwangju news body text. " * 400 + "</p>")
    make_photo(clip)
    make_attachment(clip, name="notes.txt", data=b"plain text, very compressible\n" * 400)
    make_attachment(clip, name="photo.png", data=image_bytes("PNG", size=(300, 300)), position=2)
    return clip


@pytest.mark.parametrize(
    "url",
    [
        lambda c: reverse("home"),
        lambda c: reverse("news:list"),
        lambda c: c.get_absolute_url(),
        lambda c: reverse("news:feed"),
        lambda c: reverse("sitemap"),
    ],
    ids=["home", "list", "detail", "feed", "sitemap"],
)
def test_text_responses_are_gzipped(client, clip, url):
    plain = client.get(url(clip))
    packed = client.get(url(clip), **GZIP)
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert int(packed["Content-Length"]) < len(plain.content)
    unpacked = gzip.decompress(packed.content)
    # Pages hold live counters; everything else is byte for byte the same.
    assert unpacked.split(b"<dd>")[0] == plain.content.split(b"<dd>")[0]


def test_plain_clients_get_plain_bytes(client, clip):
    response = client.get(clip.get_absolute_url(), HTTP_ACCEPT_ENCODING="identity")
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"<!doctype html>")


def test_compression_pads_against_breach(client, clip):
    """Django's padding: the same page compresses to different lengths (Heal the Breach)."""
    sizes = {len(client.get(reverse("news:list"), **GZIP).content) for _ in range(8)}
    assert len(sizes) > 1


@pytest.mark.parametrize(
    "url",
    [
        lambda c: c.attachments.get(original_name="notes.txt").get_absolute_url(),
        lambda c: c.attachments.get(original_name="photo.png").get_absolute_url(),
        lambda c: reverse("news:bundle", args=[c.slug]),
        lambda c: reverse("news:pdf", args=[c.slug]),
        lambda c: c.images.get().large_url,
    ],
    ids=["text-attachment", "png-attachment", "zip", "pdf", "photo"],
)
def test_downloads_are_never_compressed(client, clip, url, settings, tmp_path):
    settings.PDF_CACHE_ROOT = tmp_path
    response = client.get(url(clip), **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert int(response["Content-Length"]) == len(body(response))


def test_pages_with_a_csrf_token_are_not_compressed(client, admin_user):
    """The admin login form carries a CSRF token: no compression-size oracle for it."""
    response = client.get(reverse("admin:login"), **GZIP)
    assert b"csrfmiddlewaretoken" in response.content
    assert "Content-Encoding" not in response
