"""Text as editors paste it, made fit to store and to send as HTML, XML, JSON and PDF."""

import re
from html import unescape

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator

# Word's Shift+Enter pastes a vertical tab; page breaks come as form feeds. They
# meant a line break: one in multi-line text, a space in a one-line field.
_LINE_BREAKS = re.compile("[\x0b\x0c\x85]")
# The one definition of a control character: C0 controls but tab, newline and carriage return;
# DEL; C1 controls; and the two noncharacters XML 1.0 forbids. An RSS feed with one of these
# cannot be written, and two of them mark matches in search excerpts (core.search).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_control_characters(text, *, multiline=True):
    """`text` without control characters; line-breaking ones become "\\n" (or " " if not `multiline`)."""
    return CONTROL_CHARACTERS.sub("", _LINE_BREAKS.sub("\n" if multiline else " ", text))


def strip_control_characters_from_fields(instance):
    """Clean every text field of a model instance in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                multiline = isinstance(field, models.TextField)
                setattr(instance, field.attname, strip_control_characters(value, multiline=multiline))


class ControlCharacterFreeMixin:
    """For content models: no text field keeps a control character.

    Cleaned before validation, so the admin form checks (and shows) the clean
    value, and again on every save, whatever code saves.
    """

    def clean_fields(self, exclude=None):
        strip_control_characters_from_fields(self)
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        strip_control_characters_from_fields(self)
        super().save(*args, **kwargs)


def plain_text(html):
    """The text of some HTML as one line: tags removed (a closing tag parts words), entities resolved,
    control characters and runs of whitespace made single spaces. What search indexes, what
    excerpts, descriptions and teasers show (escaped once more by the template)."""
    text = unescape(strip_tags((html or "").replace("</", " </")))
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


_PARAGRAPH = re.compile(r"<p[ >].*?</p>", re.DOTALL)


def make_excerpt(html, words=50):
    """The plain-text start of a body, stored so list pages need not strip tags per request.
    Made from the paragraphs, so that lead lists and headings do not run into the text."""
    paragraphs = _PARAGRAPH.findall(html or "") or [html or ""]
    return Truncator(plain_text(" ".join(paragraphs))).words(words)
