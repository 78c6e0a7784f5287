"""Hangul on the public pages renders from the bundled webfont on a machine without a Korean font
(this one: `fc-list :lang=ko` is empty), in the header's language link and the footer as in the text.

Chromium reports, per element, which fonts drew its text (DevTools' CSS.getPlatformFontsForNode):
an empty box is drawn by a system font that lacks the glyph (here DejaVu Sans), a real one by the
bundled web font "Gwangju Hangul".
"""

import subprocess

import pytest

from .helpers import save_screenshot

pytestmark = pytest.mark.browser


def fonts_drawing(page, selector):
    """{(font family, a web font?): glyphs drawn} for the text of the element at `selector`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {(font["familyName"], font["isCustomFont"]): font["glyphCount"] for font in fonts}


def test_this_machine_has_no_korean_font():
    # The test below proves something only where the system cannot draw Hangul by itself.
    listed = subprocess.run(["fc-list", ":lang=ko"], capture_output=True, text=True, check=True).stdout
    assert listed.strip() == "", f"a Korean system font is installed: {listed}"


@pytest.mark.parametrize(
    ("selector", "hangul"),
    [
        (".language-link", "한국어"),
        (".site-footer a[hreflang=ko]", "한국어"),
    ],
)
def test_hangul_in_the_header_and_footer_is_drawn_by_the_bundled_font(site, page, selector, hangul):
    page.goto(site + "/")
    page.evaluate("() => document.fonts.ready")
    assert hangul in page.locator(selector).first.inner_text()
    fonts = fonts_drawing(page, selector)
    # The bundled font is the only web font, and it has the Hangul range only (its own name is Noto's).
    from_web_font = sum(count for (_family, web), count in fonts.items() if web)
    assert from_web_font == len(hangul), f"{selector}: drawn by {fonts}; the Hangul is empty boxes"
    assert page.evaluate("(text) => document.fonts.check(`16px '${'Gwangju Hangul'}'`, text)", hangul)
    save_screenshot(page, "hangul-header-footer")
