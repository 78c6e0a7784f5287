"""The reader's tools in a real browser: the phone menu and filters by keyboard alone, copy link
announced, Print with every photo loaded, feedback without a page load, nothing from other sites."""

import pytest

from tests.helpers import SEED_SLUG

from .helpers import PHONE, save_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector, limit=40):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("sel => document.activeElement.matches(sel)", selector):
            return
    pytest.fail(f"{selector} never got the keyboard focus")


def test_phone_menu_opens_and_closes_by_keyboard(site, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(site + "/")
    header_height = (
        page.locator(".identity-bar").bounding_box()["height"] + page.locator(".site-header").bounding_box()["height"]
    )
    assert header_height < 130, f"the header takes {header_height}px of the phone screen"
    assert page.locator(".main-nav").is_hidden()
    tab_to(page, ".menu-button")
    page.keyboard.press("Enter")
    assert page.locator(".menu-button").get_attribute("aria-expanded") == "true"
    tab_to(page, ".main-nav a[href='/news/']")
    save_screenshot(page, "menu-open-phone")
    page.keyboard.press("Escape")
    assert page.locator(".main-nav").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")


def test_phone_menu_works_without_javascript(site, new_context):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(site + "/")
    assert page.locator(".main-nav").is_hidden()
    page.click(".menu-link")
    assert page.locator(".main-nav").is_visible()
    page.click(".menu-close")
    assert page.locator(".main-nav").is_hidden()


def test_phone_filters_are_collapsed_and_open_by_keyboard(site, new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto(site + "/news/")
    assert page.locator("input[type=search]").count() == 1  # one search box on the page
    assert page.locator("#id_year").is_hidden()
    tab_to(page, ".filter-more summary")
    page.keyboard.press("Enter")
    assert page.locator("#id_year").is_visible()
    tab_to(page, "#id_year")
    page.keyboard.press("ArrowDown")
    tab_to(page, ".filters button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "year=" in page.url


def test_copy_link_copies_and_is_announced(site, new_context):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/news/{SEED_SLUG}/")
    button = page.locator("[data-copy-link]")
    status = page.locator("[data-copy-status]")
    assert status.get_attribute("role") == "status"
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-copy-status]').textContent.length > 0")
    assert "copied" in status.text_content().lower()
    assert button.text_content() == "Copied"
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/news/{SEED_SLUG}/")


def test_print_loads_every_photo_and_prints_the_readers_address(site, page):
    # The renditions are made beforehand: what is tested is that Print waits for the lazy photos,
    # not how fast a loaded machine resizes them (the script gives up waiting after 10 s).
    from news.files.renditions import WEBP, WIDTHS, ensure_rendition
    from news.models import ClipImage

    for photo in ClipImage.objects.all():
        for width in WIDTHS:
            ensure_rendition(photo, str(width))
            ensure_rendition(photo, f"{width}{WEBP}")
    page.goto(f"{site}/news/{SEED_SLUG}/?utm_source=newsletter")
    page.evaluate("window.print = () => { window.__printed = true; }")
    assert page.locator("img[loading=lazy]").count() >= 1
    page.click("[data-print]")
    page.wait_for_function("() => window.__printed === true")
    images = page.evaluate("[...document.images].map(img => [img.src, img.complete, img.naturalWidth])")
    assert all(complete and width > 0 for _, complete, width in images), images
    page.emulate_media(media="print")
    assert page.locator(".print-masthead").is_visible()
    assert "Gwangju Metropolitan City" in page.locator(".print-masthead").text_content()
    assert page.locator(".print-url").text_content().strip().endswith("?utm_source=newsletter")


def test_feedback_with_javascript_stays_on_the_page(site, page):
    page.goto(f"{site}/news/{SEED_SLUG}/")
    page.click(".feedback-ask button[value=no]")
    page.locator("#feedback-comment").wait_for(state="visible")
    assert page.evaluate("document.activeElement.id") == "feedback-comment"
    page.fill("#feedback-comment", "The full list of 100 achievements")
    page.click(".feedback-more button[type=submit]")
    page.wait_for_function("() => document.querySelector('[data-feedback-status]').textContent.includes('Thank you')")
    from gwangju_site.models import Feedback

    assert list(Feedback.objects.order_by("id").values_list("helpful", "comment")) == [
        (False, ""),
        (None, "The full list of 100 achievements"),
    ]


def test_feedback_without_javascript_thanks_through_the_page(site, new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site}/news/{SEED_SLUG}/")
    page.click(".feedback-ask button[value=yes]")
    page.wait_for_url("**#feedback-thanks")
    assert page.locator("#feedback-thanks").is_visible()
    assert page.locator(".feedback-ask").is_hidden()


@pytest.mark.parametrize("path", ["/", "/news/", f"/news/{SEED_SLUG}/", "/projects/second-subway-line/"])
def test_no_request_leaves_the_site(site, page, path):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(site) or url.startswith("data:") for url in requested), requested
