"""Photos at the size they are shown: <picture> with WebP and srcset/sizes, width and height, lazy
loading for all but the first photo a reader sees."""

import re

import pytest
from django.urls import reverse

from tests.helpers import image_bytes

pytestmark = pytest.mark.django_db


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, re.DOTALL)


def srcset_widths(markup, tag):
    srcset = re.search(rf'<{tag}[^>]* srcset="([^"]+)"', markup).group(1)
    return [candidate.rsplit(" ", 1)[1] for candidate in srcset.split(", ")]


@pytest.fixture
def clip_with_photos(make_clip, make_photo):
    clip = make_clip()
    make_photo(clip, data=image_bytes(size=(2000, 1000)), position=0)
    make_photo(clip, data=image_bytes(size=(900, 600)), position=1)
    make_photo(clip, data=image_bytes(size=(300, 200)), position=2)
    return clip


def test_clip_page_offers_webp_and_every_width_up_to_the_original(client, clip_with_photos):
    html = client.get(clip_with_photos.get_absolute_url()).content.decode()
    lead, second, small = pictures(html)
    assert '<source type="image/webp"' in lead
    assert srcset_widths(lead, "source") == srcset_widths(lead, "img") == ["320w", "480w", "640w", "960w", "1280w"]
    assert "/320.webp/ 320w" in lead and "/320/ 320w" in lead
    # Never upscaled: a 900 px photo's widest candidate is the 960 rendition, which is 900 px wide.
    assert srcset_widths(second, "img") == ["320w", "480w", "640w", "900w"]
    assert "/960/ 900w" in second
    assert srcset_widths(small, "img") == ["300w"]
    assert 'width="2000" height="1000"' in lead and 'width="900" height="600"' in second


def test_only_the_first_photo_loads_at_once(client, clip_with_photos):
    lead, *rest = pictures(client.get(clip_with_photos.get_absolute_url()).content.decode())
    assert 'loading="lazy"' not in lead and "decoding" not in lead
    assert 'sizes="(max-width: 52rem) calc(100vw - 2rem), 50rem"' in lead
    for markup in rest:
        assert 'loading="lazy" decoding="async"' in markup
        assert 'sizes="(max-width: 39rem) calc(100vw - 2rem)' in markup


def test_cards_show_small_lazy_renditions(client, clip_with_photos):
    html = client.get(reverse("news:list")).content.decode()
    (card,) = pictures(html)
    assert 'class="clip-card-thumb"' in card and 'alt=""' in card
    assert 'loading="lazy" decoding="async"' in card
    assert 'sizes="(max-width: 48rem) calc(100vw - 4rem), 11rem"' in card
    assert re.search(r'<img src="[^"]+/thumb/"', card)


def test_a_webp_original_needs_no_webp_source(client, make_clip, make_photo):
    clip = make_clip()
    make_photo(clip, name="p.webp", data=image_bytes("WEBP", size=(700, 350)))
    (markup,) = pictures(client.get(clip.get_absolute_url()).content.decode())
    assert "<source" not in markup
    assert srcset_widths(markup, "img") == ["320w", "480w", "640w", "700w"]


def test_every_srcset_candidate_is_served(client, clip_with_photos):
    html = client.get(clip_with_photos.get_absolute_url()).content.decode()
    urls = {c.rsplit(" ", 1)[0] for s in re.findall(r'srcset="([^"]+)"', html) for c in s.split(", ")}
    assert len(urls) == 2 * (5 + 4 + 1)
    for url in urls:
        assert client.get(url).status_code == 200, url
