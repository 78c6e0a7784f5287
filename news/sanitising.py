"""The clip body's plain-text excerpt. The body's allow-list is `core.rich_text`, shared with the editor."""

import re

from django.utils.html import strip_tags
from django.utils.text import Truncator

_PARAGRAPH = re.compile(r"<p[ >].*?</p>", re.DOTALL)


def make_excerpt(html, words=50):
    """The plain-text start of a body, stored so list pages need not strip tags per request.

    Made from the paragraphs, so that lead lists and headings do not run into the text."""
    paragraphs = _PARAGRAPH.findall(html or "") or [html or ""]
    text = " ".join(strip_tags(" ".join(paragraphs).replace("</", " </")).split())
    return Truncator(text).words(words)
