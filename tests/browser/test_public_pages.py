"""What must hold on every public page type: WCAG 2.1 AA by axe, no sideways scrolling on a
phone, a clean print; with a full-page screenshot of each at desktop, phone and print."""

import pytest

from tests.helpers import SEED_SLUG

from .helpers import A4, PHONE, assert_no_axe_violations, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "home": ("/", 200),
    "news-list": ("/news/", 200),
    "news-list-empty": ("/news/?q=no-such-words-anywhere", 200),
    "clip": (f"/news/{SEED_SLUG}/", 200),
    "policies": ("/policies/", 200),
    "achievements": ("/policies/achievements/", 200),
    "objective": ("/policies/objectives/6/", 200),
    "projects": ("/projects/", 200),
    "project": ("/projects/second-subway-line/", 200),
    "search": ("/search/?q=subway", 200),
    "accessibility": ("/accessibility/", 200),
    "feedback-form": ("/feedback/?page=/news/", 200),
    "accessible-version-form": ("/feedback/?attachment=1", 200),
    "not-found": ("/no-such-page/", 404),
}
# Hidden when printing: they are no use on paper.
SCREEN_ONLY = [
    ".identity-bar",
    ".main-nav",
    ".header-search",
    ".site-footer",
    ".skip-link",
    ".feedback",
    ".share",
    ".back-to-top",
]


def horizontal_overflow(page):
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .filter(el => !el.closest('.visually-hidden, .skip-link'))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + [...el.classList].join('.') : ''));
            return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: wide};
        }"""
    )


@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_fits_a_phone_and_prints_cleanly(site, page, axe, name):
    path, status = PAGES[name]
    response = page.goto(site + path)
    assert response.status == status
    page.wait_for_load_state("load")
    save_screenshot(page, f"{name}-desktop")
    assert_no_axe_violations(axe, page)

    page.set_viewport_size(PHONE)
    overflow = horizontal_overflow(page)
    save_screenshot(page, f"{name}-phone")
    assert overflow["scrollWidth"] <= overflow["innerWidth"], f"{path} scrolls sideways at 375 px: {overflow}"

    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    for selector in SCREEN_ONLY:
        for element in page.locator(selector).all():
            assert element.is_hidden(), f"{selector} is printed on {path}"
    overflow = horizontal_overflow(page)
    assert overflow["scrollWidth"] <= overflow["innerWidth"], f"{path} is wider than the printed page: {overflow}"
    save_screenshot(page, f"{name}-print")


def test_printed_clip_fits_its_text_and_photos_on_the_page(site, page):
    page.set_viewport_size(A4)
    page.emulate_media(media="print")
    page.goto(f"{site}/news/{SEED_SLUG}/")
    width = page.evaluate("window.innerWidth")
    photos = page.locator(".gallery img")
    assert photos.count() == 3
    for photo in photos.all():
        box = photo.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"photo {box} overflows the {width}px page"
    for selector in [".clip-header", ".highlights", ".clip-body", ".attachments", ".related"]:
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} {box} overflows the {width}px page"
    body_width = page.locator(".clip-body").evaluate("el => el.scrollWidth")
    assert body_width <= width
    # The page's address is printed, the screen-only tools are not.
    assert page.locator(".print-url").is_visible()
    assert page.locator(".clip-actions").is_hidden()
