"""The clip body's HTML allow-list. Everything else an editor pastes is removed."""

import re
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

from core.text import strip_control_characters

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "ul",
    "ol",
    "li",
    "blockquote",
    "q",
    "cite",
    "abbr",
    "a",
    "span",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "type"},
    "span": {"lang"},
    "blockquote": {"cite"},
}
# Only the classes our stylesheet gives meaning to.
ALLOWED_CLASSES = {"ul": {"lead-points"}, "p": {"reference", "section-heading"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _only_safe_urls(tag, attribute, value):
    """nh3 checks the schemes of `href` only; `cite` is a URL too, and feed readers and
    scripts follow it. Keep it only when it is a web address or relative."""
    if attribute == "cite":
        try:
            scheme = urlsplit(value.strip()).scheme.lower()
        except ValueError:
            return None
        if scheme and scheme not in {"http", "https"}:
            return None
        if any(ord(ch) < 0x21 for ch in value.strip()):
            return None
    return value


def sanitise_body(html):
    return nh3.clean(
        strip_control_characters(html or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_only_safe_urls,
    )


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
