"""The clip body's plain-text excerpt. The body's allow-list is `core.rich_text`, shared with the editor."""

import re
from html import unescape

from django.utils.html import strip_tags
from django.utils.text import Truncator

# Control characters have no place in text, and two of them mark matches in search excerpts.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(html):
    """The text of a body, tags removed and entities resolved: what search indexes and quotes."""
    text = unescape(strip_tags((html or "").replace("</", " </")))
    return " ".join(_CONTROL.sub(" ", text).split())


_PARAGRAPH = re.compile(r"<p[ >].*?</p>", re.DOTALL)


def make_excerpt(html, words=50):
    """The plain-text start of a body, stored so list pages need not strip tags per request.

    Made from the paragraphs, so that lead lists and headings do not run into the text."""
    paragraphs = _PARAGRAPH.findall(html or "") or [html or ""]
    text = " ".join(strip_tags(" ".join(paragraphs).replace("</", " </")).split())
    return Truncator(text).words(words)
