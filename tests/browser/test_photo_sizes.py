"""Photos in a real browser: a phone fetches a small rendition and a desktop a larger one, as
WebP (Chromium accepts it); lazy photos still all print, by the button, Ctrl+P or the Print menu."""

import re

import pytest

from tests.helpers import SEED_SLUG

from .helpers import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHOTO = re.compile(r"/photos/\d+/(?P<size>[^/]+)/$")
ALL_LOADED = "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"


def photo_responses(page):
    """(size token, content type) of every photo the page fetches, in order."""
    seen = []
    page.on(
        "response",
        lambda r: (m := PHOTO.search(r.url)) and seen.append((m["size"], r.headers.get("content-type"))),
    )
    return seen


def lead_photo_width(page, site, viewport):
    page.set_viewport_size(viewport)
    fetched = photo_responses(page)
    page.goto(f"{site}/news/{SEED_SLUG}/")
    page.wait_for_function("() => document.querySelector('.gallery img').complete")
    current = page.evaluate("document.querySelector('.gallery img').currentSrc")
    size = PHOTO.search(current)["size"]
    assert size.endswith(".webp"), f"Chromium accepts WebP but got {current}"
    assert all(kind == "image/webp" for _, kind in fetched), fetched
    return int(size.removesuffix(".webp"))


def test_a_phone_fetches_a_small_rendition_and_a_desktop_a_larger_one(site, new_context):
    phone = lead_photo_width(new_context().new_page(), site, PHONE)
    desktop = lead_photo_width(new_context().new_page(), site, DESKTOP)
    assert phone <= 480  # 343 CSS px wide on a 375 px screen
    assert desktop >= 960  # 800 CSS px wide
    assert phone < desktop


def test_print_media_shows_every_lazy_photo(site, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{site}/news/{SEED_SLUG}/")
    assert page.locator("img[loading=lazy]").count() >= 2
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert page.locator("img[loading=lazy]").count() == 0
    page.wait_for_function(ALL_LOADED)
    assert page.locator(".gallery picture img").count() == 3


def test_ctrl_p_waits_for_every_photo_like_the_button(site, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{site}/news/{SEED_SLUG}/", wait_until="networkidle")
    page.evaluate(
        "window.print = () => { window.__printedLoaded = [...document.images]"
        ".map(img => [img.currentSrc, img.complete, img.naturalWidth]); }"
    )
    page.keyboard.press("Control+P")
    page.wait_for_function("() => window.__printedLoaded !== undefined")
    states = page.evaluate("window.__printedLoaded")
    assert all(complete and width > 0 for _, complete, width in states), states
