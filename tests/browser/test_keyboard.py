"""Keyboard only: the skip link, and every link and button of the clip page reachable and visibly focused."""

import pytest

from tests.helpers import SEED_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Focus is visible when the focused element draws an outline or a box shadow.
FOCUS_STATE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        id: el.dataset.tabId || null,
        tag: el.tagName.toLowerCase(),
        text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none',
    };
}"""

# Every link, button and form field a reader could use: rendered (not inside display:none or a
# closed <details>, such as the related block's "Show all"), whether or not it is on screen right now.
TAG_TARGETS = """() => {
    const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
        .filter(el => !el.disabled && el.getClientRects().length > 0)
        .filter(el => !el.closest('details:not([open]) > :not(summary)'));
    targets.forEach((el, i) => { el.dataset.tabId = String(i); });
    return targets.map(el => (el.innerText || el.value || el.getAttribute('aria-label') || el.tagName).trim());
}"""


def test_skip_link_moves_focus_to_the_main_content(site, page):
    page.goto(f"{site}/news/{SEED_SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.className, document.activeElement.innerText]")
    assert focused == ["skip-link", "Skip to main content"]
    assert page.locator(".skip-link").is_visible()
    assert page.locator(".skip-link").bounding_box()["y"] >= 0, "the focused skip link stays off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => [document.activeElement.tagName, document.activeElement.id]") == ["MAIN", "main"]
    # The next Tab starts inside the main content, past the header and navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_every_link_and_button_of_the_clip_page_is_reachable_and_visibly_focused(site, page):
    page.goto(f"{site}/news/{SEED_SLUG}/")
    labels = page.evaluate(TAG_TARGETS)
    assert len(labels) > 20
    reached, invisible = set(), []
    for _ in range(len(labels) + 5):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["tag"] == "body":  # past the last element
            break
        if state["id"] is not None:
            reached.add(int(state["id"]))
        if not (state["outline"] or state["shadow"]):
            invisible.append(state)
    missed = [labels[i] for i in range(len(labels)) if i not in reached]
    assert not missed, f"not reachable with Tab: {missed}"
    assert not invisible, f"focused without a visible focus indicator: {invisible}"
